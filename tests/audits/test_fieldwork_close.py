"""Fieldwork is closed by the lead auditor (the report submitted) before a decision is recorded;
the decision maker records a rationale and any conditions beside the engine's reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.audits import permissions as perm
from assay.audits import services as svc
from assay.audits.findings import FindingInput, corrective_action_respond, finding_raise
from assay.audits.models import AuditDecision, AuditorAssignment, FieldworkReport
from assay.audits.records import audit_problems
from assay.audits.selectors import action_get
from assay.errors import InvalidInput, NotAllowed
from tests.audits.world import AuditWorld, sampled_offices, score_all, to_fieldwork

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(aw: AuditWorld) -> AuditWorld:
    svc.auditor_assign(by=aw["body_admin"], audit=aw.audit, auditor=aw["auditor_other"])
    to_fieldwork(aw)
    score_all(aw, 7)
    return aw


def test_the_first_assigned_auditor_leads_and_only_the_lead_closes(fw: AuditWorld) -> None:
    leads = AuditorAssignment.objects.filter(audit=fw.audit, lead=True)
    assert [a.auditor.username for a in leads] == ["auditor"]
    for role in ("auditor_other", "body_admin", "decision_maker", "contact"):
        with pytest.raises(NotAllowed, match="lead auditor"):
            svc.fieldwork_close(by=fw[role], audit=fw.audit, summary="done")
    with pytest.raises(InvalidInput, match="summary"):
        svc.fieldwork_close(by=fw["auditor"], audit=fw.audit, summary="\u200b ")
    assert not FieldworkReport.objects.exists()
    report = svc.fieldwork_close(by=fw["auditor"], audit=fw.audit, summary="All sites seen")
    assert report.submitted_on == dt.date(2013, 3, 1)
    with pytest.raises(InvalidInput, match="already closed"):
        svc.fieldwork_close(by=fw["auditor"], audit=fw.audit, summary="again")


def test_a_decision_waits_for_the_report_and_needs_a_rationale(fw: AuditWorld) -> None:
    dm = fw["decision_maker"]
    with pytest.raises(InvalidInput, match="fieldwork is not closed"):
        svc.decision_record(by=dm, audit=fw.audit, rationale="ok")
    svc.fieldwork_close(by=fw["auditor"], audit=fw.audit, summary="All sites seen")
    with pytest.raises(InvalidInput, match="rationale"):
        svc.decision_record(by=dm, audit=fw.audit, rationale=" ")
    with pytest.raises(InvalidInput) as caught:
        svc.decision_record(by=dm, audit=fw.audit, rationale="ok", conditions="bell\x07")
    assert "conditions" in caught.value.errors
    assert not AuditDecision.objects.exists()
    row = svc.decision_record(
        by=dm, audit=fw.audit, rationale="  Reasons reviewed ", conditions="Keep the log"
    )
    assert (row.rationale, row.conditions) == ("Reasons reviewed", "Keep the log")
    assert audit_problems(fw.audit.pk) == []
    AuditDecision.objects.update(rationale="Something else")
    assert any("rationale" in p for p in audit_problems(fw.audit.pk))


def test_closed_fieldwork_takes_no_scores_or_findings_but_actions_move_on(fw: AuditWorld) -> None:
    office = sampled_offices(fw.audit)[0]
    finding_raise(
        by=fw["auditor"],
        audit=fw.audit,
        data=FindingInput(office, "S1.1", "minor", "No log", "seen", due_on=dt.date(2013, 4, 1)),
    )
    svc.fieldwork_close(by=fw["auditor"], audit=fw.audit, summary="All sites seen")
    with pytest.raises(InvalidInput, match="fieldwork is closed"):
        svc.site_score_record(
            by=fw["auditor"], audit=fw.audit, entries=[svc.SiteScoreInput(office, "S1.1", 5)]
        )
    with pytest.raises(InvalidInput, match="fieldwork is closed"):
        finding_raise(
            by=fw["auditor"],
            audit=fw.audit,
            data=FindingInput(office, "S1.1", "observation", "x", "y"),
        )
    action = action_get(fw["contact"], fw.audit.pk, 1)
    done = corrective_action_respond(by=fw["contact"], action=action, owner="J", response="plan")
    assert done.state == "proposed"


def test_an_audit_assigned_before_leads_lets_any_assigned_auditor_close(fw: AuditWorld) -> None:
    AuditorAssignment.objects.filter(audit=fw.audit).update(lead=False)
    assert perm.is_lead_auditor(fw["auditor_other"], fw.audit)
    assert not perm.is_lead_auditor(fw["decision_maker"], fw.audit)
