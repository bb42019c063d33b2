"""Registrations whose period has ended: which are due to expire, and expiring them.

The engine decides (``lifecycle.expiry_due``: unfinished and past the end date; the end date
itself is still inside the period). ``assay register expire`` runs ``registrations_expire``
nightly: every due registration goes to expired, with the reason in its status history and the
person the job acts as. A centre administrator's run touches only their own centres.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, QuerySet

from assay import clock
from assay.centres.models import Centre, Role
from assay.centres.permissions import centre_ids_with_role
from assay.engines.dates import ddmmyyyy
from assay.engines.registration.lifecycle import FINAL, expiry_due, transition
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.errors import NotAllowed
from assay.registrations.enrolment import enrolment_append
from assay.registrations.models import Registration, Status, StatusChange
from assay.registrations.signals import progress_changed
from assay.users import User

UNFINISHED = [status.value for status in LifeStatus if status not in FINAL]


def expiry_reason(registration: Registration) -> str:
    return f"registration period ended on {ddmmyyyy(registration.end_date)}"


def _due(registrations: QuerySet[Registration], today: dt.date) -> list[Registration]:
    """The engine's verdict on each unfinished registration whose end date has passed."""
    rows = registrations.filter(status__in=UNFINISHED, end_date__lt=today).order_by(
        "centre__number", "end_date", "pk"
    )
    return [r for r in rows if expiry_due(LifeStatus(r.status), r.end_date, today)]


def _administered(by: User) -> QuerySet[Registration]:
    """Every registration for the awarding body; a centre administrator's centres' otherwise."""
    if by.is_authenticated and getattr(by, "is_superuser", False):
        return Registration.objects.all()
    centres = centre_ids_with_role(by, Role.CENTRE_ADMIN)
    if not centres:
        raise NotAllowed(
            "only a centre administrator or the awarding body can expire registrations"
        )
    return Registration.objects.filter(centre_id__in=centres)


def due_to_expire_count(centre: Centre, today: dt.date) -> int:
    """How many of the centre's registrations are due to expire (callers check who asks): the
    engine judges each (status, end date) pair once and the database counts the rows of each,
    so the dashboard reads a few rows whatever the number of learners."""
    pairs = (
        Registration.objects.filter(centre=centre, status__in=UNFINISHED, end_date__lt=today)
        .order_by()
        .values_list("status", "end_date")
        .annotate(n=Count("pk"))
    )
    return sum(n for status, end, n in pairs if expiry_due(LifeStatus(status), end, today))


def registrations_due_to_expire(*, by: User, today: dt.date | None = None) -> list[Registration]:
    """What ``registrations_expire`` would expire today; changes nothing (the dry run)."""
    scope = _administered(by).select_related("candidate", "centre", "qualification")
    return _due(scope, today or clock.today())


def registrations_expire(*, by: User, today: dt.date | None = None) -> list[Registration]:
    """Move every due registration to expired, all in one transaction, each with its history
    entry "registration period ended on dd/mm/yyyy" recorded as ``by``."""
    on = today or clock.today()
    scope = _administered(by)
    with transaction.atomic():
        locked = scope.select_for_update(of=("self",)).select_related(
            "candidate", "centre", "qualification"
        )
        due = [
            r
            for r in _due(locked, on)
            if transition(LifeStatus(r.status), LifeStatus.EXPIRED).allowed
        ]
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(status=Status.EXPIRED)
        progress_changed(r.pk for r in due)  # queryset.update sends no model signal
        for r in due:
            change = StatusChange.objects.create(
                registration=r,
                from_status=r.status,
                to_status=Status.EXPIRED,
                reason=expiry_reason(r),
                by_id=by.pk,
            )
            enrolment_append(
                r.pk,
                "status_changed",
                by=by,
                columns={"status": Status.EXPIRED.value},
                rows={"status_change": [change]},
            )
    for registration in due:
        registration.status = Status.EXPIRED
    return due
