"""The demo's appeal at stage 2: built through the services, idempotent, its chain verified."""

from __future__ import annotations

from typing import Any

import pytest

from assay.appeals.models import Appeal
from assay.demo.load import demo_load
from assay.records.services import records_verify

pytestmark = pytest.mark.django_db


def test_the_demo_appeal_waits_at_the_iqa_review(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    lines = list(demo_load())
    assert "appeal Priya Shah (cand1), 410 6b rejection: at IQA review: created" in lines
    appeal = Appeal.objects.get()
    assert (appeal.stage, appeal.status, str(appeal.due_on)) == ("iqa_review", "open", "2013-03-15")
    again = list(demo_load())
    assert "appeal Priya Shah (cand1), 410 6b rejection: at IQA review: exists" in again
    assert Appeal.objects.count() == 1
    assert [p.message for p in records_verify().problems] == []
