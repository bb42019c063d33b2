"""The nightly deadline reminders: corrective actions of ICSS audits, EQA action points and
registration end dates. The engine (``assay.engines.notifications.deadlines``) decides which
are due today and which groups to tell; this names the people and tells them through
``notify`` (in the app, and one email each after commit). Each reminder sent is recorded under
its unique key, so running the job twice on a day sends nothing more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.urls import reverse

from assay import clock
from assay.audits.models import AuditorAssignment, CorrectiveAction, OrganisationContact
from assay.centres.models import Membership, Role
from assay.engines.dates import ddmmyyyy
from assay.engines.notifications import Event, Recipient
from assay.engines.notifications.deadlines import (
    SCHEDULE,
    WHY,
    Audience,
    Deadline,
    DeadlineKind,
    Reminder,
    reminder_due,
)
from assay.eqa.models import ActionPoint
from assay.errors import NotAllowed
from assay.notifications.models import DeadlineReminder
from assay.notifications.services import notify
from assay.registrations.models import PlanUnit, Registration
from assay.users import User


def _due_days(today: dt.date) -> list[dt.date]:
    """The due dates the schedule reminds of today (one per stage)."""
    return [today - dt.timedelta(days=offset) for offset in SCHEDULE.values()]


def _members(centre_id: int, roles: tuple[str, ...]) -> list[int]:
    return list(
        Membership.objects.filter(centre_id=centre_id, role__in=roles, active=True).values_list(
            "user_id", flat=True
        )
    )


def _still_at(centre_id: int, users: list[int], roles: tuple[str, ...] = ()) -> list[int]:
    """Those of ``users`` who still hold an active role (one of ``roles``, or any) at the
    centre: someone who has left it is not reminded of its deadlines."""
    found = Membership.objects.filter(centre_id=centre_id, user_id__in=users, active=True)
    if roles:
        found = found.filter(role__in=roles)
    return sorted(set(found.values_list("user_id", flat=True)))


def _people(audience: Audience, subject: object) -> list[int]:
    """The people of one group for the item (a corrective action, action point or
    registration), by user id."""
    if isinstance(subject, CorrectiveAction):
        audit = subject.finding.audit
        if audience == Audience.CLIENT_CONTACTS:
            return list(
                OrganisationContact.objects.filter(
                    organisation_id=audit.organisation_id, active=True
                ).values_list("user_id", flat=True)
            )
        if audience == Audience.LEAD_AUDITOR:
            return list(
                AuditorAssignment.objects.filter(audit=audit, lead=True).values_list(
                    "auditor_id", flat=True
                )
            )
    if isinstance(subject, ActionPoint):
        if audience == Audience.POINT_OWNER:  # while they still hold a role at the centre
            return _still_at(subject.visit.centre_id, [subject.owner_id])
        if audience == Audience.CENTRE_LEADS:
            return _members(subject.visit.centre_id, (Role.CENTRE_ADMIN, Role.LEAD_IQA))
    if isinstance(subject, Registration):
        if audience == Audience.CENTRE_ADMINS:
            return _members(subject.centre_id, (Role.CENTRE_ADMIN,))
        if audience == Audience.ASSESSORS:  # those still assessors at the centre
            planned = PlanUnit.objects.filter(registration=subject, assessor__isnull=False)
            return _still_at(
                subject.centre_id,
                list(planned.values_list("assessor_id", flat=True)),
                (Role.ASSESSOR,),
            )
    return []


def _recipients(reminder: Reminder, subject: object) -> list[Recipient]:
    """Everyone the reminder's groups hold, once each, with the reason of their first group."""
    told: dict[int, str] = {}
    for audience in reminder.audience:
        for who in _people(audience, subject):
            told.setdefault(who, WHY[audience])
    return [Recipient(who, why) for who, why in sorted(told.items())]


def _deadlines(today: dt.date) -> Iterator[tuple[Deadline, object, str, str]]:
    """Every deadline falling on a day of today's schedule, with its row and the
    notification's text and link."""
    days = _due_days(today)
    actions = CorrectiveAction.objects.filter(due_on__in=days).select_related(
        "finding__audit__organisation"
    )
    for action in actions.order_by("due_on", "pk"):
        finding = action.finding
        audit = finding.audit
        yield (
            Deadline(
                DeadlineKind.CORRECTIVE_ACTION,
                action.pk,
                action.due_on,
                action.state,
                finding.grade,
            ),
            action,
            f"Corrective action for {finding.ref} in audit {audit.pk} "
            f"({audit.organisation.name}) due {ddmmyyyy(action.due_on)}",
            reverse("audit-findings", args=[audit.pk]) + f"#finding-{finding.number}",
        )
    points = ActionPoint.objects.filter(due_on__in=days).select_related("visit__centre")
    for point in points.order_by("due_on", "pk"):
        yield (
            Deadline(
                DeadlineKind.EQA_ACTION_POINT,
                point.pk,
                point.due_on,
                "done" if point.done_at is not None else "open",
            ),
            point,
            f"EQA action point at {point.visit.centre.number} due {ddmmyyyy(point.due_on)}",
            reverse("centre-eqa", args=[point.visit.centre_id]) + f"#point-{point.pk}",
        )
    registrations = Registration.objects.filter(end_date__in=days).select_related(
        "candidate", "centre", "qualification"
    )
    for registration in registrations.order_by("end_date", "pk"):
        yield (
            Deadline(
                DeadlineKind.REGISTRATION_END,
                registration.pk,
                registration.end_date,
                registration.status,
            ),
            registration,
            f"Registration of {registration.candidate} on {registration.qualification.code} "
            f"ends {ddmmyyyy(registration.end_date)}",
            reverse("registration", args=[registration.pk]),
        )


# Each reminder links to its own item (an anchor on the page), so two reminders of one night
# for the same page stay two notifications, each with its own date (``notify`` merges by link).


def _line(subject: object, reminder: Reminder) -> str:
    what = ""
    if isinstance(subject, CorrectiveAction):
        what = subject.finding.summary
    elif isinstance(subject, ActionPoint):
        what = subject.text
    reason = reminder.reason[:1].upper() + reminder.reason[1:]
    return f"{reason}: {what}" if what else f"{reason}."


def deadline_reminders_send(*, by: User, today: dt.date | None = None) -> list[DeadlineReminder]:
    """Send today's deadline reminders not sent yet (``by``: the awarding body's staff, the
    account the nightly job acts as); returns the reminders sent now. One transaction: each
    person gets one email for all of tonight's reminders, and a run that fails sends none."""
    if not (by.is_authenticated and getattr(by, "is_superuser", False)):
        raise NotAllowed("only the awarding body's staff send deadline reminders")
    on = today or clock.today()
    sent: list[DeadlineReminder] = []
    with transaction.atomic():
        found = [
            (reminder, (subject, text, link))
            for deadline, subject, text, link in _deadlines(on)
            if (reminder := reminder_due(deadline, on)) is not None
        ]
        taken = set(
            DeadlineReminder.objects.filter(
                key__in=[reminder.key for reminder, _ in found]
            ).values_list("key", flat=True)
        )
        for reminder, (subject, text, link) in found:
            if reminder.key in taken:
                continue
            recipients = _recipients(reminder, subject)
            try:
                with transaction.atomic():  # another run took the key a moment ago
                    record = DeadlineReminder.objects.create(
                        key=reminder.key,
                        kind=str(reminder.deadline.kind),
                        item=reminder.deadline.item,
                        stage=str(reminder.stage),
                        due_on=reminder.deadline.due_on,
                        sent_on=on,
                        code=reminder.code,
                        reason=reminder.reason[:300],
                        recipients=[r.user for r in recipients],
                        sent_by=by if by.pk else None,
                    )
            except IntegrityError:
                continue
            registration = subject if isinstance(subject, Registration) else None
            notify(
                kind=Event.DEADLINE_REMINDER,
                recipients=recipients,
                text=text,
                line=_line(subject, reminder),
                link=link,
                registration=registration,
            )
            sent.append(record)
    return sent
