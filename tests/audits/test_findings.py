"""Findings and corrective actions through the services: who may raise, answer, review and
verify (and who is told "not found"), what is refused, what the decision makes of them, and the
audit chain that records every step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay.audits.findings import (
    FindingInput,
    corrective_action_respond,
    corrective_action_review,
    corrective_action_verify,
    finding_raise,
)
from assay.audits.models import CorrectiveAction, CorrectiveActionEvent, Finding
from assay.audits.records import audit_problems
from assay.audits.selectors import action_get, decision_verify, findings_of
from assay.errors import InvalidInput, NotAllowed, NotFound
from tests.audits.world import AuditWorld, close_and_decide, score_all, to_fieldwork

pytestmark = pytest.mark.django_db
DUE = dt.date(2013, 4, 1)


def site(w: AuditWorld, name: str = "Perth") -> int:
    return w.offices[name].pk


def raise_(w: AuditWorld, grade: str = "major", **kw: Any) -> Finding:
    data = {
        "office_id": site(w),
        "attribute": "S1.1",
        "grade": grade,
        "summary": "No complaints log kept",
        "evidence": "Asked for the log; none exists since January",
        "due_on": DUE if grade in ("major", "minor") else None,
        **kw,
    }
    return finding_raise(by=w["auditor"], audit=w.audit, data=FindingInput(**data))


@pytest.fixture
def fw(aw: AuditWorld) -> AuditWorld:
    to_fieldwork(aw)
    score_all(aw, 7)  # certifiable on its scores
    return aw


def test_major_refuses_until_verified_and_minor_until_accepted(fw: AuditWorld) -> None:
    major = raise_(fw, "major")
    minor = raise_(fw, "minor", attribute="S1.2", summary="Queue times not recorded")
    raise_(fw, "observation", summary="Signage faded")
    assert [f.ref for f in findings_of(fw["contact"], fw.audit.pk)] == ["F1", "F2", "F3"]
    a1 = action_get(fw["contact"], fw.audit.pk, 1)
    a2 = action_get(fw["contact"], fw.audit.pk, 2)
    with pytest.raises(NotFound):
        action_get(fw["contact"], fw.audit.pk, 3)  # an observation has no action

    corrective_action_respond(
        by=fw["contact"], action=a1, owner="J. Smith, manager", response="A log from Monday"
    )
    corrective_action_review(by=fw["auditor"], action=a1, accept=False, note="Who reviews the log?")
    corrective_action_respond(
        by=fw["contact"], action=a1, owner="J. Smith", response="Weekly review by the manager"
    )
    corrective_action_review(by=fw["auditor"], action=a1, accept=True, note="")
    corrective_action_respond(
        by=fw["contact"], action=a2, owner="K. Lee", response="Timer installed"
    )
    corrective_action_review(by=fw["auditor"], action=a2, accept=True, note="Fine")
    assert list(CorrectiveActionEvent.objects.filter(action=a1).values_list("act", "state")) == [
        ("raise", "open"),
        ("respond", "proposed"),
        ("reject", "rejected"),
        ("respond", "proposed"),
        ("accept", "accepted"),
    ]
    from assay.audits.pages.audit import decision_preview

    preview = decision_preview(fw["decision_maker"], fw.audit.pk).preview
    assert preview is not None and not preview.certifiable
    assert [r.code for r in preview.blocking] == ["major_nonconformity_open"]
    assert "F1 (major nonconformity, S1.1 at Perth" in preview.blocking[0].text
    corrective_action_verify(by=fw["auditor"], action=a1, note="Log seen, kept daily since 05/03")
    decision = close_and_decide(fw["decision_maker"], fw.audit)
    assert decision.certifiable
    codes = [r["code"] for r in decision.reasons]
    assert {
        "major_nonconformity_closed",
        "minor_nonconformity_planned",
        "finding_observation",
    } <= set(codes)
    assert [f["action"] for f in decision.findings] == ["verified", "accepted", None]
    assert decision_verify(fw["body_admin"], fw.audit.pk).agrees
    assert audit_problems(fw.audit.pk) == []
    assert major.corrective_action.pk == a1.pk and minor.grade == "minor"


def test_an_open_major_is_a_reason_in_the_recorded_decision(fw: AuditWorld) -> None:
    raise_(fw, "major")
    decision = close_and_decide(fw["decision_maker"], fw.audit)
    assert not decision.certifiable
    assert decision.reasons[0]["code"] == "major_nonconformity_open"
    assert decision_verify(fw["body_admin"], fw.audit.pk).agrees


@pytest.mark.parametrize("role", ["auditor_other", "decision_maker", "body_admin", "contact"])
def test_only_assigned_auditors_raise(fw: AuditWorld, role: str) -> None:
    with pytest.raises(NotAllowed, match="assigned auditors"):
        finding_raise(
            by=fw[role],
            audit=fw.audit,
            data=FindingInput(site(fw), "S1.1", "observation", "x", "y"),
        )
    assert not Finding.objects.exists()


def test_who_answers_reviews_and_verifies(fw: AuditWorld) -> None:
    raise_(fw)
    action = action_get(fw["auditor"], fw.audit.pk, 1)
    for role in ("auditor", "body_admin", "decision_maker", "contact_other"):
        with pytest.raises(NotAllowed, match="contacts"):
            corrective_action_respond(by=fw[role], action=action, owner="x", response="y")
    for role in ("contact", "auditor_other", "decision_maker"):
        with pytest.raises(NotAllowed, match="assigned auditors"):
            corrective_action_review(by=fw[role], action=action, accept=True, note="")
        with pytest.raises(NotAllowed, match="assigned auditors"):
            corrective_action_verify(by=fw[role], action=action, note="seen")
    for role in ("contact_other", "auditor_other", "nobody"):
        with pytest.raises(NotFound):
            action_get(fw[role], fw.audit.pk, 1)
        with pytest.raises(NotFound):
            findings_of(fw[role], fw.audit.pk)
    assert CorrectiveAction.objects.get().state == "open"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"office_id": 999999}, "office"),
        ({"attribute": "Z9"}, "attribute"),
        ({"grade": "severe"}, "grade"),
        ({"due_on": None}, "due_on"),
        ({"due_on": dt.date(2013, 2, 28)}, "due_on"),
        ({"due_on": dt.date(2014, 3, 2)}, "due_on"),
        ({"summary": "\u200b"}, "summary"),
        ({"summary": "x" * 301}, "summary"),
        ({"evidence": "  "}, "evidence"),
        ({"note": "bell\x07"}, "note"),
    ],
)
def test_nonsense_findings_are_refused(fw: AuditWorld, changes: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        raise_(fw, **changes)
    assert field in caught.value.errors
    assert not Finding.objects.exists()


def test_an_observation_has_no_due_date(fw: AuditWorld) -> None:
    with pytest.raises(InvalidInput, match="only a nonconformity"):
        raise_(fw, "observation", due_on=DUE)


def test_steps_out_of_order_and_reasons_missing_are_refused(fw: AuditWorld) -> None:
    raise_(fw)
    action = action_get(fw["auditor"], fw.audit.pk, 1)
    with pytest.raises(InvalidInput, match="open cannot be verified"):
        corrective_action_verify(by=fw["auditor"], action=action, note="seen")
    with pytest.raises(InvalidInput, match="owner"):
        corrective_action_respond(by=fw["contact"], action=action, owner=" ", response="plan")
    corrective_action_respond(by=fw["contact"], action=action, owner="J", response="plan")
    with pytest.raises(InvalidInput, match="why the plan is rejected"):
        corrective_action_review(by=fw["auditor"], action=action, accept=False, note="\u200b")
    with pytest.raises(InvalidInput, match="what was verified"):
        corrective_action_verify(by=fw["auditor"], action=action, note="")
    assert CorrectiveAction.objects.get().state == "proposed"
    assert CorrectiveActionEvent.objects.count() == 2


def test_findings_only_during_fieldwork(aw: AuditWorld) -> None:
    with pytest.raises(InvalidInput, match="during fieldwork"):
        finding_raise(
            by=aw["auditor"],
            audit=aw.audit,
            data=FindingInput(site(aw), "S1.1", "observation", "x", "y"),
        )


def test_a_rewritten_action_is_named_by_the_chain(fw: AuditWorld) -> None:
    raise_(fw)
    CorrectiveAction.objects.update(state="verified")
    problems = audit_problems(fw.audit.pk)
    assert any("corrective action" in p and "state is 'verified'" in p for p in problems)
    Finding.objects.update(grade="observation")
    assert any("finding F1" in p and "grade" in p for p in audit_problems(fw.audit.pk))
