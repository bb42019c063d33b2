"""The demo audits: consistent with the demo date 01/03/2013, built through the services, and
safe to load twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assay.audits.certificates import status_of
from assay.audits.models import (
    Audit,
    AuditDecision,
    BodyMembership,
    Certificate,
    SelfAssessment,
    SiteScore,
)
from assay.audits.selectors import audit_change, decision_verify, sample_verify
from assay.demo.audits import demo_audits_load
from assay.records.models import ChainRecord
from assay.records.services import records_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> list[str]:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    get_user_model().objects.create_superuser("admin", password=None)
    return list(demo_audits_load())


def snapshot() -> tuple[int, ...]:
    return (
        Audit.objects.count(),
        SiteScore.objects.count(),
        SelfAssessment.objects.count(),
        AuditDecision.objects.count(),
        Certificate.objects.count(),
        BodyMembership.objects.count(),
        get_user_model().objects.count(),
    )


def test_loading_twice_changes_nothing(demo: list[str]) -> None:
    before = snapshot()
    lines = list(demo_audits_load())
    assert snapshot() == before
    assert "Southern Cross Utilities: exists" in lines and "Harbourside Ferries: exists" in lines


def test_the_stories(demo: list[str]) -> None:
    today = dt.date(2013, 3, 1)
    audits = {
        (a.organisation.reference, a.division.name if a.division else None, a.created_on.year): a
        for a in Audit.objects.select_related("organisation", "division")
    }
    assert set(audits) == {
        ("SCU", None, 2012),
        ("SCU", "Energy Retail", 2012),
        ("SCU", None, 2013),
        ("HBF", None, 2013),
    }
    first, division = audits[("SCU", None, 2012)], audits[("SCU", "Energy Retail", 2012)]
    again, refused = audits[("SCU", None, 2013)], audits[("HBF", None, 2013)]
    assert again.kind == "recertification" and again.previous == first
    assert status_of(first.certificate, today) == "expired"
    assert status_of(again.certificate, today) == "valid"
    assert status_of(division.certificate, today) == "valid"
    assert division.certificate.scope_text.endswith("Energy Retail division")
    decision = refused.decisions.get()
    assert not decision.certifiable and not Certificate.objects.filter(audit=refused).exists()
    blocking = [r for r in decision.reasons if r["code"] == "mandatory_at_intention"]
    assert [(r["attribute"], r["site"]) for r in blocking] == [("S1.1", "Hobart")]
    # Improvement year on year: every attribute's mean across sites is at least as high.
    client = Client()
    client.force_login(get_user_model().objects.get(username="sean"))
    page = client.get(f"/audits/{again.pk}/results/").content.decode()
    assert "Year on year" in page and "Comparison with the organisation" in page
    for audit in (first, division, again, refused):
        assert audit.self_assessments.exists()
        assert sample_verify(get_user_model().objects.get(username="cora"), audit.pk).same
        assert decision_verify(get_user_model().objects.get(username="cora"), audit.pk).agrees
    scorers = set(SiteScore.objects.values_list("recorded_by__username", flat=True))
    assert scorers == {"arun", "beth"}
    deciders = set(AuditDecision.objects.values_list("decided_by__username", flat=True))
    assert deciders == {"dmitri"}


def test_improvement_year_on_year(demo: list[str]) -> None:
    again = Audit.objects.get(kind="recertification")
    cora = get_user_model().objects.get(username="cora")
    rows = audit_change(cora, again.pk)
    assert rows and all(b is not None and a is not None and a >= b for _, b, a in rows)
    assert sum(a - b for _, b, a in rows if a is not None and b is not None) > 0


def test_every_demo_audit_has_a_chain_that_verifies(demo: list[str]) -> None:
    report = records_verify()
    assert report.ok, report.problems
    chains = set(ChainRecord.objects.values_list("chain", flat=True))
    assert {f"audit:{pk}" for pk in Audit.objects.values_list("pk", flat=True)} <= chains
