"""Standardisation's writes: an activity recorded (with its attendees and actions) and an
action marked done. Both by the centre's lead IQA or administrator; every field is checked
first and nothing is saved when any is wrong (InvalidInput names them all). Activities are
append-only: a mistake is corrected by recording another one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from assay import clock
from assay.centres.models import Centre, Membership, Role
from assay.centres.permissions import can_change_status
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import business_date_problem, reason_problem, text_problem
from assay.engines.text import visible
from assay.errors import InvalidInput, NotAllowed
from assay.users import User
from assay.verification.models import (
    ActivityKind,
    StandardisationAction,
    StandardisationActivity,
)

TEXT_MAX = 20000
# Who is standardised: the assessors and IVs (a lead IQA counts as an IV).
STANDARDISED_ROLES = (Role.ASSESSOR, Role.INTERNAL_VERIFIER, Role.LEAD_IQA)
# Who may own an action: anyone on the centre's staff who takes part in quality assurance.
OWNER_ROLES = (Role.CENTRE_ADMIN, *STANDARDISED_ROLES)


@dataclass(frozen=True, slots=True)
class ActionInput:
    text: str
    owner: str  # a username on the centre's staff
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class ActivityInput:
    held_on: dt.date
    kind: str
    summary: str
    decisions: str = ""
    qualification: str = ""  # empty: every qualification of the centre
    attendees: Sequence[str] = ()  # usernames of the centre's assessors and IVs
    actions: Sequence[ActionInput] = field(default_factory=tuple)


def staff_of(centre: Centre, roles: Sequence[str] = STANDARDISED_ROLES) -> dict[str, User]:
    """The centre's active staff in ``roles`` by username (one query)."""
    members = Membership.objects.filter(centre=centre, active=True, role__in=roles).values(
        "user_id"
    )
    users = get_user_model().objects.filter(pk__in=members, is_active=True).order_by("username")
    return {u.get_username(): u for u in users}


def _text_error(errors: dict[str, str], name: str, text: str) -> None:
    if len(text) > TEXT_MAX:
        errors[name] = f"at most {TEXT_MAX} characters"
    elif problem := text_problem(text, multiline=True):
        errors[name] = problem


def _refuse_unless_lead(by: User, centre: Centre) -> None:
    if not can_change_status(by, centre):
        raise NotAllowed("only a lead IQA or centre administrator records standardisation")


def _errors(
    centre: Centre, data: ActivityInput
) -> tuple[dict[str, str], dict[str, User], dict[str, User]]:
    from assay.verification.facts import qualification_known

    errors: dict[str, str] = {}
    today = clock.today()
    if problem := business_date_problem(data.held_on, today):
        errors["held_on"] = f"the date {problem}"
    elif data.held_on > today:
        errors["held_on"] = (
            f"an activity is recorded once held, not before ({ddmmyyyy(data.held_on)})"
        )
    if data.kind not in ActivityKind.values:
        errors["kind"] = f"choose one of {', '.join(ActivityKind.values)}"
    if problem := reason_problem(data.summary, "a summary of the activity"):
        errors["summary"] = problem
    elif len(data.summary) > TEXT_MAX:
        errors["summary"] = f"at most {TEXT_MAX} characters"
    _text_error(errors, "decisions", data.decisions)
    if data.qualification and not qualification_known(centre, data.qualification):
        errors["qualification"] = f"no registration on {data.qualification!r} at this centre"
    staff = staff_of(centre)
    names = [a.strip() for a in data.attendees]
    if not names:
        errors["attendees"] = "choose who attended (the centre's assessors and IVs)"
    elif strangers := sorted(set(names) - set(staff)):
        errors["attendees"] = f"not an assessor or IV of {centre.name}: {', '.join(strangers)}"
    owners = staff_of(centre, OWNER_ROLES)
    for n, action in enumerate(data.actions, start=1):
        key = f"actions.{n}"
        if not visible(action.text):
            errors[f"{key}.text"] = "say what must be done"
        else:
            _text_error(errors, f"{key}.text", action.text)
        if action.owner.strip() not in owners:
            errors[f"{key}.owner"] = (
                f"{action.owner.strip() or 'nobody'} is not on the staff of {centre.name}"
            )
        if problem := business_date_problem(action.due_on, today):
            errors[f"{key}.due_on"] = f"the due date {problem}"
        elif "held_on" not in errors and action.due_on < data.held_on:
            errors[f"{key}.due_on"] = (
                f"the due date {ddmmyyyy(action.due_on)} is before the activity "
                f"({ddmmyyyy(data.held_on)})"
            )
    return errors, staff, owners


def activity_record(*, by: User, centre: Centre, data: ActivityInput) -> StandardisationActivity:
    """Record a standardisation activity with its attendees and actions."""
    _refuse_unless_lead(by, centre)
    errors, staff, owners = _errors(centre, data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = StandardisationActivity.objects.create(
            centre=centre,
            qualification_code=data.qualification,
            held_on=data.held_on,
            kind=data.kind,
            summary=data.summary.strip(),
            decisions=data.decisions.strip(),
            created_by=by,
        )
        row.attendees.set([staff[a.strip()] for a in data.attendees])
        StandardisationAction.objects.bulk_create(
            StandardisationAction(
                activity=row,
                text=a.text.strip(),
                owner=owners[a.owner.strip()],
                due_on=a.due_on,
            )
            for a in data.actions
        )
    return row


def action_done(*, by: User, action: StandardisationAction) -> StandardisationAction:
    """Mark an action done (once): its owner, or the centre's lead IQA or administrator."""
    if action.owner_id != by.pk:
        _refuse_unless_lead(by, action.activity.centre)
    now = clock.now()
    updated = StandardisationAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
        done_at=now, done_by=by
    )
    if not updated:
        raise InvalidInput({"action": "this action is already marked done"})
    action.done_at, action.done_by = now, by
    return action
