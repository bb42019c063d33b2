"""``record_append_many``: many chains in one insert, each record exactly what
``record_append`` would have written (a new chain starts at its genesis, an existing one goes
on from its head), one anchor-log write after commit, and the same refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from assay.engines.records import chain
from assay.records.models import ChainRecord
from assay.records.services import (
    anchor_log_read,
    as_record,
    record_append,
    record_append_many,
    records_verify,
)

pytestmark = pytest.mark.django_db


def test_new_and_existing_chains_verify_and_are_anchored_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record_append("note:1", kind="note", payload={"n": 1}, by=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        rows = record_append_many(
            [("note:1", "note", {"n": 2}), ("note:2", "note", {"n": (1, 2)})], by=None
        )
    assert len(callbacks) == 1  # one write of the anchor log for every record
    assert [(r.chain, r.seq) for r in rows] == [("note:1", 2), ("note:2", 1)]
    assert rows[1].payload == {"n": [1, 2]}  # stored as hashed: canonical JSON read back
    for name in ("note:1", "note:2"):
        records = [as_record(r) for r in ChainRecord.objects.filter(chain=name).order_by("seq")]
        assert chain.verify(records, name, stored=True).ok
    heads, _ = anchor_log_read()
    assert {(h.chain, h.length) for h in heads} == {("note:1", 1), ("note:1", 2), ("note:2", 1)}
    assert records_verify().ok


def test_one_record_per_chain_and_only_json() -> None:
    with pytest.raises(ValueError), transaction.atomic():
        record_append_many([("note:3", "note", {}), ("note:3", "note", {})], by=None)
    with pytest.raises(chain.InvalidRecord), transaction.atomic():
        record_append_many([("note:4", "note", {"x": float("nan")})], by=None)
    assert not ChainRecord.objects.exists()
