"""Who is told about a certification audit's findings and report: the organisation's contacts
of a finding raised (a nonconformity waits for their answer, with its due date) and of the
auditor's review or verification; the audit's assigned auditors of an answer; the body's
decision makers of the report submitted. Receivers of ``audits.signals``, inside the acts'
transactions."""

from __future__ import annotations

from django.urls import reverse

from assay.audits.models import (
    Audit,
    AuditorAssignment,
    BodyMembership,
    BodyRole,
    CorrectiveAction,
    FieldworkReport,
    Finding,
    OrganisationContact,
)
from assay.engines.dates import ddmmyyyy
from assay.engines.notifications import Event, Recipient
from assay.notifications.services import notify
from assay.users import User


def _contacts(audit: Audit, why: str) -> list[Recipient]:
    found = OrganisationContact.objects.filter(
        organisation_id=audit.organisation_id, active=True
    ).values_list("user_id", flat=True)
    return [Recipient(who, why) for who in sorted(set(found))]


def _auditors(audit: Audit, why: str) -> list[Recipient]:
    found = AuditorAssignment.objects.filter(audit=audit).values_list("auditor_id", flat=True)
    return [Recipient(who, why) for who in sorted(set(found))]


def finding_raised(sender: object, *, finding: Finding, by: User, **_: object) -> None:
    audit = finding.audit
    action = getattr(finding, "corrective_action", None)
    label = finding.get_grade_display()
    text = f"{label} {finding.ref} in audit {audit.pk}" + (
        f": your answer is due by {ddmmyyyy(action.due_on)}" if action is not None else ""
    )
    notify(
        kind=Event.AUDIT_FINDING,
        recipients=_contacts(audit, "you are a contact of the audited organisation"),
        text=text,
        line=f"{finding.attribute} at {finding.office.name}: {finding.summary}",
        link=reverse("audit-findings", args=[audit.pk]),
        actor=by,
    )


def action_changed(
    sender: object, *, action: CorrectiveAction, act: str, by: User, **_: object
) -> None:
    finding = action.finding
    audit = finding.audit
    if act == "respond":
        recipients = _auditors(audit, "you are an auditor of this audit")
        text = f"{finding.ref} in audit {audit.pk} answered: owner {action.owner}"
    else:
        recipients = _contacts(audit, "you are a contact of the audited organisation")
        text = f"{finding.ref} in audit {audit.pk}: corrective action {action.state}"
    notify(
        kind=Event.AUDIT_ACTION,
        recipients=recipients,
        text=text,
        line=(action.response if act == "respond" else action.auditor_note) or finding.summary,
        link=reverse("audit-findings", args=[audit.pk]),
        actor=by,
    )


def fieldwork_closed(sender: object, *, report: FieldworkReport, by: User, **_: object) -> None:
    audit = report.audit
    found = BodyMembership.objects.filter(
        body_id=audit.body_id, role=BodyRole.DECISION_MAKER, active=True
    ).values_list("user_id", flat=True)
    notify(
        kind=Event.AUDIT_REPORTED,
        recipients=[
            Recipient(who, "you make certification decisions for this body")
            for who in sorted(set(found))
        ],
        text=f"Audit {audit.pk} of {audit.organisation.name}: fieldwork report submitted",
        line=report.summary,
        link=reverse("audit-decision", args=[audit.pk]),
        actor=by,
    )


def connect() -> None:
    from assay.audits import signals

    signals.finding_raised.connect(finding_raised, dispatch_uid="notifications.audits.finding")
    signals.action_changed.connect(action_changed, dispatch_uid="notifications.audits.action")
    signals.fieldwork_closed.connect(fieldwork_closed, dispatch_uid="notifications.audits.reported")
