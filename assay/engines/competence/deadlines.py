"""When must assessors and verifiers hold their A/V units, and are they in time?

The 4430-04 handbook (section 2.1) lets centre staff work while "working towards" the
Assessor/Verifier units, but only for so long: "Appropriate A and V Units according to their
role – within 18 months of working with the Standards for Assessors and IVS and within 12
months for EVs". Past that deadline an unqualified assessor or verifier is not given new
candidates until the unit is achieved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..dates import add_months, ddmmyyyy

__all__ = ["Competence", "CompetenceStatus", "StaffRole", "av_deadline", "competence"]


class StaffRole(StrEnum):
    """Who must hold which unit; a lead IQA counts as an internal verifier."""

    ASSESSOR = "assessor"
    INTERNAL_VERIFIER = "internal_verifier"
    EXTERNAL_VERIFIER = "external_verifier"


class CompetenceStatus(StrEnum):
    """Where a member of staff stands against their A/V deadline."""

    QUALIFIED = "qualified"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


MONTHS: dict[StaffRole, int] = {
    StaffRole.ASSESSOR: 18,
    StaffRole.INTERNAL_VERIFIER: 18,
    StaffRole.EXTERNAL_VERIFIER: 12,
}
UNIT: dict[StaffRole, str] = {
    StaffRole.ASSESSOR: "A unit",
    StaffRole.INTERNAL_VERIFIER: "V unit",
    StaffRole.EXTERNAL_VERIFIER: "V unit",
}
TITLE: dict[StaffRole, str] = {
    StaffRole.ASSESSOR: "Assessor",
    StaffRole.INTERNAL_VERIFIER: "Internal verifier",
    StaffRole.EXTERNAL_VERIFIER: "External verifier",
}


@dataclass(frozen=True, slots=True)
class Competence:
    """The verdict. ``deadline``/``days_left`` are None once qualified; ``days_left`` is
    negative when overdue (days past the deadline)."""

    status: CompetenceStatus
    deadline: date | None
    days_left: int | None
    can_take_new_candidates: bool
    message: str


def av_deadline(role: StaffRole, started_on: date) -> date:
    """The last day to hold the A/V unit: 18 calendar months (12 for external verifiers)
    after starting to work with the Standards, clamped to month end."""
    return add_months(started_on, MONTHS[role])


def competence(
    *,
    role: StaffRole,
    started_on: date,
    holds_unit: bool,
    today: date,
    warn_days: int = 90,
) -> Competence:
    """Status on ``today`` of someone who started working with the Standards on
    ``started_on``. ``holds_unit`` is the caller's judgement of the handbook's evidence
    (a certificate, or an approved Employer Direct Model). The deadline day itself is in
    time; within ``warn_days`` of it the status is DUE_SOON."""
    if warn_days < 0:
        raise ValueError(f"warn_days must not be negative, not {warn_days}")
    title, unit = TITLE[role], UNIT[role]
    if holds_unit:
        return Competence(
            CompetenceStatus.QUALIFIED, None, None, True, f"{title} holds the {unit}."
        )
    deadline = av_deadline(role, started_on)
    days_left = (deadline - today).days
    started = (
        f"{title} started working with the Standards on {ddmmyyyy(started_on)}; "
        f"the {unit} is due within {MONTHS[role]} months, by {ddmmyyyy(deadline)}"
    )
    if days_left < 0:
        late = -days_left
        return Competence(
            CompetenceStatus.OVERDUE,
            deadline,
            days_left,
            False,
            f"{started}, and is {late} day{'s' * (late != 1)} overdue: no new candidates "
            f"until it is achieved.",
        )
    status = CompetenceStatus.DUE_SOON if days_left <= warn_days else CompetenceStatus.ON_TRACK
    return Competence(
        status,
        deadline,
        days_left,
        True,
        f"{started} ({days_left} day{'s' * (days_left != 1)} left).",
    )
