"""The portfolio events that notify, called by the portfolio services inside their
transactions: who is told comes from ``engines.notifications.audience``; what they read and
where it links is set here."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from assay.engines.notifications import Event, Plan, Recipient, audience
from assay.notifications.services import notify
from assay.registrations.models import Registration
from assay.users import User


def plan_of(registration: Registration) -> Plan:
    """The candidate's sign-in and each planned unit's assessor (one query)."""
    assessors = registration.plan_units.order_by("pk").values_list("unit_number", "assessor_id")
    return Plan(candidate=registration.candidate.user_id, assessors=tuple(assessors))


def _name(user: User) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def _portfolio(registration: Registration) -> str:
    return reverse("portfolio", args=[registration.pk])


def evidence_submitted(
    *, by: User, registration: Registration, units: Iterable[str], line: str
) -> None:
    """The candidate added evidence, a file or mappings: their assessors are told."""
    if registration.candidate.user_id != by.pk:
        return
    notify(
        kind=Event.EVIDENCE_SUBMITTED,
        recipients=audience(Event.EVIDENCE_SUBMITTED, plan_of(registration), units, by.pk),
        text=f"New evidence from {registration.candidate}",
        line=line,
        link=_portfolio(registration),
        registration=registration,
        actor=by,
    )


def evidence_judged(*, by: User, registration: Registration, unit: str, line: str) -> None:
    """A criterion judged, a mapping confirmed or rejected, a unit signed off: the candidate."""
    notify(
        kind=Event.EVIDENCE_JUDGED,
        recipients=audience(Event.EVIDENCE_JUDGED, plan_of(registration), [unit], by.pk),
        text=f"{_name(by)} assessed your evidence",
        line=line,
        link=_portfolio(registration),
        registration=registration,
        actor=by,
    )


def unit_reopened(*, by: User, registration: Registration, unit: str, reason: str) -> None:
    """A signed-off unit reopened: the candidate and the unit's assessor."""
    notify(
        kind=Event.UNIT_REOPENED,
        recipients=audience(Event.UNIT_REOPENED, plan_of(registration), [unit], by.pk),
        text=f"Unit {unit} of {registration.candidate} reopened",
        line=f"Reopened by {_name(by)}: {reason}",
        link=reverse("portfolio-unit", args=[registration.pk, unit]),
        registration=registration,
        actor=by,
    )


def witness_confirmed(
    *, registration: Registration, units: Iterable[str], witness: str, item: int
) -> None:
    """A witness (who has no account, so is never told) confirmed their statement."""
    notify(
        kind=Event.WITNESS_CONFIRMED,
        recipients=audience(Event.WITNESS_CONFIRMED, plan_of(registration), units),
        text=f"A witness confirmed evidence of {registration.candidate}",
        line=f"{witness} confirmed their statement on evidence {item}",
        link=_portfolio(registration),
        registration=registration,
    )


def iqa_sample_signed_off(
    *, by: User, registration: Registration, unit: str, verifier_id: int, link: str
) -> None:
    """A unit sampled for IQA was signed off: the internal verifier allocated the pick."""
    notify(
        kind=Event.IQA_SAMPLE_SIGNED_OFF,
        recipients=[Recipient(verifier_id, "you are allocated this unit in the IQA sample")],
        text=f"Sampled unit {unit} of {registration.candidate} signed off",
        line=f"Signed off by {_name(by)}: ready for internal verification",
        link=link,
        registration=registration,
        actor=by,
    )


def iqa_action_required(
    *,
    by: User,
    registration: Registration,
    unit: str,
    assessor_id: int,
    feedback: str,
    due: str,
) -> None:
    """An internal verifier found action required on a unit: its assessor."""
    notify(
        kind=Event.IQA_ACTION_REQUIRED,
        recipients=[Recipient(assessor_id, f"you assess unit {unit} for this candidate")],
        text=f"IQA action required on unit {unit} of {registration.candidate}",
        line=f"{_name(by)}, due {due}: {feedback}",
        link=reverse("portfolio-unit", args=[registration.pk, unit]),
        registration=registration,
        actor=by,
    )
