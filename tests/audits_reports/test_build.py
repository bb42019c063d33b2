"""``report_for`` builds the report from stored data for whoever may see the audit, and answers
NotFound, exactly like a missing audit, to everyone else."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assay.audits.reports.build import report_for
from assay.audits.reports.pdf import render_pdf
from assay.audits.reports.report_json import report_json
from assay.audits.standards import standard_of
from assay.errors import NotFound
from tests.audits.world import SEED, AuditWorld, close_and_decide, score_all, to_fieldwork

pytestmark = pytest.mark.django_db


def _refused(w: AuditWorld) -> None:
    """Perth scores the first mandatory attribute at 1 (Intention): refused."""
    audit = to_fieldwork(w)
    first = standard_of(audit.standard).mandatory[0].code
    score_all(w, 7, overrides={("Perth", first): 1})
    close_and_decide(w["decision_maker"], audit)


def test_a_recorded_decision_is_reported_as_stored(aw: AuditWorld) -> None:
    _refused(aw)
    rep = report_for(aw["decision_maker"], aw.audit.pk)
    stored = aw.audit.decisions.get()
    assert rep.decision.certifiable is False and rep.decided
    assert [r.text for r in rep.decision.reasons] == [r["text"] for r in stored.reasons]
    assert any("Perth" in r.text for r in rep.decision.reasons if r.blocking)
    assert rep.decision_maker == aw["decision_maker"].get_full_name()
    assert rep.auditors == (aw["auditor"].get_full_name(),)
    assert rep.sample is not None and rep.sample.seed == SEED
    assert {s.name for s in rep.sites} >= {"Sydney", "Melbourne", "Perth"}
    assert all(s.is_main for s in rep.sites if s.name in ("Sydney", "Melbourne", "Perth"))
    assert rep.illustrative and rep.notice.startswith("ILLUSTRATIVE")
    assert [label for label, _ in rep.dates] == ["Planned", "Sample drawn", "Decided"]
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(render_pdf(rep))).pages
    )
    assert "Decision: Not certifiable" in text and "Perth" in text
    assert report_json(rep)["decision"]["recorded"] is True


def test_before_the_decision_the_result_is_provisional(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    rep = report_for(aw["contact"], aw.audit.pk)
    assert rep.decision_maker is None and rep.decision.certifiable is True
    assert rep.outcome == "Provisional result: certifiable"


@pytest.mark.parametrize("role", ["contact_other", "auditor_other", "nobody"])
def test_people_without_a_relation_to_the_audit_get_not_found(aw: AuditWorld, role: str) -> None:
    _refused(aw)
    with pytest.raises(NotFound):
        report_for(aw[role], aw.audit.pk)
    with pytest.raises(NotFound):
        report_for(aw["decision_maker"], aw.audit.pk + 1000)


def test_anonymous_gets_not_found(aw: AuditWorld) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        report_for(AnonymousUser(), aw.audit.pk)
