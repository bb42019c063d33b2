"""``assay bench records``: what an operator waits for when checking a large installation —
``records verify`` and ``records checkpoint`` over N chains of M records each.

The chains are written to the generic table inside a transaction that is rolled back, with
their heads in a scratch anchor log, so the bench leaves the database as it found it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.test import override_settings

from assay.engines.records import chain
from assay.records.models import ChainRecord
from assay.records.services import _log_write, checkpoint_write, records_verify

AT = "2013-03-01T09:00:00+00:00"


@dataclass
class RecordsBench:
    chains: int
    per_chain: int
    seconds: dict[str, float]
    problems: int


@contextmanager
def _timed(seconds: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - start


def records_bench(chains: int, per_chain: int) -> RecordsBench:
    """Write the chains, then time a full verify, a checkpoint, and a verify against it."""
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "anchors.log"
        with override_settings(ASSAY_ANCHOR_LOG=log), transaction.atomic():
            with _timed(seconds, "write"):
                heads = []
                for i in range(chains):
                    name = f"bench:{i}"
                    records: list[chain.Record] = []
                    for n in range(per_chain):
                        records.append(
                            chain.append(
                                records,
                                kind="bench",
                                payload={"n": n, "unit": "401", "criterion": "1.1"},
                                actor="system",
                                at=AT,
                                chain_id=name,
                            )
                        )
                    ChainRecord.objects.bulk_create(
                        ChainRecord(
                            chain=name,
                            seq=r.seq,
                            kind=r.kind,
                            payload=dict(r.payload),
                            actor_name=r.actor,
                            at=r.at,
                            prev_hash=r.prev_hash,
                            hash=r.hash,
                        )
                        for r in records
                    )
                    heads.append(
                        {
                            "type": "head",
                            "chain": name,
                            "length": per_chain,
                            "hash": records[-1].hash,
                        }
                    )
                _log_write(heads)
            with _timed(seconds, "verify"):
                first = records_verify()
            with _timed(seconds, "checkpoint"):
                checkpoint_write()
            with _timed(seconds, "verify with checkpoint"):
                second = records_verify()
            transaction.set_rollback(True)
    return RecordsBench(chains, per_chain, seconds, len(first.problems) + len(second.problems))
