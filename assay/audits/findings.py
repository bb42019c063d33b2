"""Findings and corrective actions: the auditor raises a finding at a sampled office against one
attribute; a nonconformity gets a corrective action that the organisation's contact answers
(owner and plan), the auditor accepts or rejects and, once accepted, verifies.

Every write checks role and relation (ADR 0006), locks the audit and appends to its record
chain (``audit:<id>``) in the same transaction: a finding with its action and first event, each
later step with the action as it now stands and the event. The state machine and what the
decision makes of it are the engine's (``assay.engines.audit.findings``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from assay import clock
from assay.audits import permissions as perm
from assay.audits import signals
from assay.audits.models import (
    ActionState,
    Audit,
    AuditStatus,
    CorrectiveAction,
    CorrectiveActionEvent,
    FieldworkReport,
    Finding,
    SamplePick,
)
from assay.audits.records import (
    ACTION,
    FINDING,
    action_fields,
    audit_lock,
    audit_record,
    event_fields,
    finding_fields,
)
from assay.audits.standards import standard_of
from assay.engines.audit.findings import GRADES, NONCONFORMITIES, action_next
from assay.engines.plausible import reason_problem, text_problem
from assay.errors import InvalidInput, NotAllowed
from assay.users import User

__all__ = [
    "FindingInput",
    "corrective_action_respond",
    "corrective_action_review",
    "corrective_action_verify",
    "finding_raise",
]

LONGEST_DUE_DAYS = 365
"""A corrective action falls due within a year of the finding (before re-certification)."""


@dataclass(frozen=True, slots=True)
class FindingInput:
    office_id: int
    attribute: str
    grade: str
    summary: str
    evidence: str
    note: str = ""
    due_on: dt.date | None = None


def _open_for_findings(audit: Audit) -> None:
    if audit.status != AuditStatus.FIELDWORK:
        raise InvalidInput(
            {"audit": f"findings are raised and answered during fieldwork (status {audit.status})"}
        )


def finding_raise(*, by: User, audit: Audit, data: FindingInput) -> Finding:
    """Raise a finding (an assigned auditor, during fieldwork) at a sampled office against an
    attribute of the standard; a nonconformity (major or minor) needs a due date for its
    corrective action, from today to a year ahead."""
    if not perm.is_assigned_auditor(by, audit):
        raise NotAllowed("only the audit's assigned auditors raise findings")
    _open_for_findings(audit)
    if FieldworkReport.objects.filter(audit=audit).exists():
        raise InvalidInput({"audit": "fieldwork is closed: no more findings are raised"})
    today = clock.today()
    errors: dict[str, str] = {}
    if data.grade not in GRADES:
        errors["grade"] = f"unknown grade {data.grade!r}; one of {', '.join(GRADES)}"
    codes = {a.code for a in standard_of(audit.standard).attributes}
    if data.attribute not in codes:
        errors["attribute"] = f"{data.attribute!r} is not an attribute of the audit's standard"
    if not SamplePick.objects.filter(sample__audit=audit, office_id=data.office_id).exists():
        errors["office"] = f"office {data.office_id} is not a sampled site of this audit"
    summary = data.summary.strip()
    problem = reason_problem(summary, "a summary") or text_problem(summary)
    if problem:
        errors["summary"] = problem
    elif len(summary) > 300:
        errors["summary"] = "the summary is at most 300 characters; put the rest in the evidence"
    problem = reason_problem(data.evidence, "the evidence seen")
    if problem:
        errors["evidence"] = problem
    problem = text_problem(data.note, multiline=True)
    if problem:
        errors["note"] = problem
    needs_action = data.grade in NONCONFORMITIES
    if needs_action:
        if data.due_on is None:
            errors["due_on"] = "a nonconformity needs a due date for its corrective action"
        elif data.due_on < today:
            errors["due_on"] = f"the due date {data.due_on:%d/%m/%Y} is before today"
        elif data.due_on > today + dt.timedelta(days=LONGEST_DUE_DAYS):
            errors["due_on"] = "the due date is more than a year ahead"
    elif data.due_on is not None:
        errors["due_on"] = "only a nonconformity has a corrective action to fall due"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        if audit_lock(audit).status != AuditStatus.FIELDWORK:
            raise InvalidInput({"audit": "someone else changed this audit; reload"})
        number = (Finding.objects.filter(audit=audit).aggregate(n=Max("number"))["n"] or 0) + 1
        finding = Finding.objects.create(
            audit=audit,
            number=number,
            office_id=data.office_id,
            attribute=data.attribute,
            grade=data.grade,
            summary=summary,
            evidence=data.evidence.strip(),
            note=data.note.strip(),
            raised_by_id=by.pk,
            raised_on=today,
        )
        action = event = None
        if needs_action:
            assert data.due_on is not None
            action = CorrectiveAction.objects.create(
                finding=finding, state=ActionState.OPEN, due_on=data.due_on, updated_by_id=by.pk
            )
            event = CorrectiveActionEvent.objects.create(
                action=action, act="raise", state=ActionState.OPEN, text="", by_id=by.pk
            )
        audit_record(
            audit.pk,
            FINDING,
            {
                "finding": finding_fields(finding),
                "action": None if action is None else action_fields(action),
                "event": None if event is None else event_fields(event),
            },
            by,
        )
        signals.finding_raised.send(sender=Finding, finding=finding, by=by)
    return finding


def _step(
    *, by: User, action: CorrectiveAction, act: str, text: str, **changes: str
) -> CorrectiveAction:
    """Move the action on by ``act`` (the engine's state machine), under the audit's lock, with
    an event and a chain record."""
    audit = action.finding.audit
    with transaction.atomic():
        if audit_lock(audit).status != AuditStatus.FIELDWORK:
            raise InvalidInput({"audit": "findings are answered during fieldwork"})
        current = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        try:
            state = action_next(current.state, act)
        except ValueError as exc:
            raise InvalidInput({"action": str(exc)}) from exc
        current.state = state
        for field, value in changes.items():
            setattr(current, field, value)
        current.updated_by_id = by.pk
        current.updated_at = clock.now()
        current.save()
        event = CorrectiveActionEvent.objects.create(
            action=current, act=act, state=state, text=text, by_id=by.pk
        )
        audit_record(
            audit.pk, ACTION, {"action": action_fields(current), "event": event_fields(event)}, by
        )
        signals.action_changed.send(sender=CorrectiveAction, action=current, act=act, by=by)
    return current


def corrective_action_respond(
    *, by: User, action: CorrectiveAction, owner: str, response: str
) -> CorrectiveAction:
    """The organisation's contact answers a nonconformity: who owns the action and the plan
    (cause and what will be done). Again after a rejection."""
    audit = action.finding.audit
    if not perm.is_contact_of(by, audit.organisation_id):
        raise NotAllowed("only the organisation's contacts answer its findings")
    _open_for_findings(audit)
    errors: dict[str, str] = {}
    owner = owner.strip()
    problem = reason_problem(owner, "the action's owner") or text_problem(owner)
    if problem:
        errors["owner"] = problem
    elif len(owner) > 200:
        errors["owner"] = "the owner is at most 200 characters"
    problem = reason_problem(response, "the cause and the plan")
    if problem:
        errors["response"] = problem
    if errors:
        raise InvalidInput(errors)
    return _step(
        by=by,
        action=action,
        act="respond",
        text=response.strip(),
        owner=owner,
        response=response.strip(),
    )


def _auditor(by: User, action: CorrectiveAction, what: str) -> None:
    audit = action.finding.audit
    if not perm.is_assigned_auditor(by, audit):
        raise NotAllowed(f"only the audit's assigned auditors {what}")
    _open_for_findings(audit)


def corrective_action_review(
    *, by: User, action: CorrectiveAction, accept: bool, note: str
) -> CorrectiveAction:
    """An assigned auditor accepts the organisation's plan or rejects it; a rejection needs a
    reason (the organisation answers again)."""
    _auditor(by, action, "review corrective actions")
    if accept:
        problem = text_problem(note, multiline=True)
    else:
        problem = reason_problem(note, "why the plan is rejected")
    if problem:
        raise InvalidInput({"note": problem})
    return _step(
        by=by,
        action=action,
        act="accept" if accept else "reject",
        text=note.strip(),
        auditor_note=note.strip(),
    )


def corrective_action_verify(*, by: User, action: CorrectiveAction, note: str) -> CorrectiveAction:
    """An assigned auditor verifies an accepted action as implemented and effective, saying
    what they saw."""
    _auditor(by, action, "verify corrective actions")
    problem = reason_problem(note, "what was verified")
    if problem:
        raise InvalidInput({"note": problem})
    return _step(by=by, action=action, act="verify", text=note.strip(), auditor_note=note.strip())
