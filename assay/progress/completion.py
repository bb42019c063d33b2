"""Status changes and extensions of a registration: explicit, confirmed, with a reason.

A status change names its target, gives a reason that shows (not blanks or zero-width
characters) and is confirmed; *completed* also needs the rules of combination met by
signed-off or credited (RPL) units (``engines/registration/completion.py``). An extension
moves the end date later, with a reason (``engines/registration/period.py``). Both are kept
append-only with who and when.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from assay.catalogue.selectors import qualification_engine_spec
from assay.centres.permissions import can_administer, can_change_status
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import text_problem
from assay.engines.registration.completion import Completion, completion_decision
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.engines.registration.lifecycle import transition
from assay.engines.registration.period import extension_decision
from assay.engines.text import visible
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.records import signed_off_units
from assay.registrations.enrolment import enrolment_append, enrolment_lock
from assay.registrations.models import Extension, Registration, Status, StatusChange
from assay.users import User


def completion_check(registration: Registration) -> Completion:
    """Whether the signed-off and credited units meet the rules of combination, with reasons."""
    credited = registration.rpl_claims.filter(accepted=True).values_list("unit_number", flat=True)
    return completion_decision(
        qualification_engine_spec(registration.qualification),
        signed_off=signed_off_units(registration),
        credited=list(credited),
    )


def registration_transition(
    *, by: User, registration: Registration, to: str, reason: str, confirmed: bool
) -> StatusChange:
    """Move a registration through its lifecycle; every change is kept with who, when and why.

    Refused, changing nothing, without a reason that shows, without confirmation, or to
    *completed* before the rules of combination are met."""
    if not can_change_status(by, registration.centre):
        raise NotAllowed(
            "only a centre administrator or lead IQA can change a registration's status"
        )
    errors: dict[str, str] = {}
    if to not in Status.values:
        errors["status"] = f"choose the new status (one of {', '.join(Status.values)})"
    if not visible(reason):
        errors["reason"] = "give the reason for the change"
    elif problem := text_problem(reason, multiline=True):
        errors["reason"] = problem
    if not confirmed:
        errors["confirm"] = "confirm the change: a final status cannot be undone"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = enrolment_lock(registration)
        verdict = transition(LifeStatus(locked.status), LifeStatus(to))
        if not verdict.allowed:
            raise InvalidInput({"status": verdict.reason})
        if to == Status.COMPLETED:
            completion = completion_check(locked)
            if not completion.allowed:
                raise InvalidInput({"status": " ".join(completion.reasons)})
        change = StatusChange.objects.create(
            registration=locked,
            from_status=locked.status,
            to_status=to,
            reason=reason.strip(),
            by_id=by.pk,
        )
        locked.status = to
        locked.save(update_fields=["status"])
        enrolment_append(
            locked.pk,
            "status_changed",
            by=by,
            columns={"status": to},
            rows={"status_change": [change]},
        )
    registration.status = to
    return change


def registration_extend(
    *, by: User, registration: Registration, new_end: dt.date, reason: str
) -> Extension:
    """Extend the period of registration to ``new_end`` (a centre administrator of the
    registration's centre), kept as an append-only ``Extension``."""
    if not can_administer(by, registration.centre):
        raise NotAllowed("only a centre administrator can extend a registration")
    if not visible(reason):
        raise InvalidInput({"reason": "give the reason for the extension"})
    if problem := text_problem(reason, multiline=True):
        raise InvalidInput({"reason": problem})
    with transaction.atomic():
        locked = enrolment_lock(registration)
        decision = extension_decision(
            status=LifeStatus(locked.status),
            end_date=locked.end_date,
            new_end=new_end,
            reason=reason,
            last_certification=locked.qualification.last_certification,
        )
        if not decision.allowed:
            raise InvalidInput({"new_end": " ".join(decision.reasons)})
        extension = Extension.objects.create(
            registration=locked,
            previous_end=locked.end_date,
            new_end=new_end,
            reason=reason.strip(),
            by_id=by.pk,
        )
        locked.end_date = new_end
        locked.end_date_explanation = (
            f"Extended from {ddmmyyyy(extension.previous_end)} to {ddmmyyyy(new_end)}: "
            f"{reason.strip()}"
        )[:300]
        locked.save(update_fields=["end_date", "end_date_explanation"])
        enrolment_append(
            locked.pk,
            "extended",
            by=by,
            columns={
                "end_date": new_end.isoformat(),
                "end_date_explanation": locked.end_date_explanation,
            },
            rows={"extension": [extension]},
        )
    registration.end_date = new_end
    registration.end_date_explanation = locked.end_date_explanation
    return extension
