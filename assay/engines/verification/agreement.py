"""How often the IV agrees with each assessor, and who is due for standardisation.

Every verification ends *agree* or *action required* (issue 13); an assessor's agreement rate
per period is the share of *agree* among the verdicts on their units — falling agreement is
what raises their risk (open action points) in the next plan. Standardisation (assessors and
IVs comparing evidence and decisions so they judge alike) is expected at least once in
``months`` (default 12, the strategy's ``standardisation_months``); anyone without it is
flagged, and so is anyone never standardised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise

from ..competence.deadlines import TITLE, StaffRole
from ..dates import add_months, ddmmyyyy
from .model import Period

__all__ = [
    "Agreement",
    "Flag",
    "Outcome",
    "Staff",
    "Standardisation",
    "Verdict",
    "agreement",
    "standardisation_flags",
]


class Outcome(StrEnum):
    AGREE = "agree"
    ACTION_REQUIRED = "action_required"


@dataclass(frozen=True, slots=True)
class Verdict:
    """An IV's verdict on one of ``assessor_id``'s units, recorded ``on``."""

    assessor_id: str
    verifier_id: str
    on: date
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Agreement:
    """One assessor in one period: verdicts agreeing and requiring action."""

    assessor_id: str
    period: Period
    agreed: int
    action_required: int

    @property
    def verdicts(self) -> int:
        return self.agreed + self.action_required

    @property
    def rate(self) -> Fraction | None:
        """The share of *agree*; None in a period without verdicts (no evidence either way)."""
        return Fraction(self.agreed, self.verdicts) if self.verdicts else None


def agreement(verdicts: Iterable[Verdict], periods: Iterable[Period]) -> tuple[Agreement, ...]:
    """Every assessor with a verdict in any of ``periods`` × every period, by assessor then
    period start. Verdicts outside every period are ignored. ValueError when periods
    overlap (a verdict would count twice)."""
    spans = sorted(periods, key=lambda p: p.start)
    for before, after in pairwise(spans):
        if after.start <= before.end:
            raise ValueError(f"the periods {before} and {after} overlap")
    counts: dict[tuple[str, int], list[int]] = {}
    assessors: set[str] = set()
    for verdict in verdicts:
        for i, span in enumerate(spans):
            if verdict.on in span:
                assessors.add(verdict.assessor_id)
                row = counts.setdefault((verdict.assessor_id, i), [0, 0])
                row[verdict.outcome is Outcome.ACTION_REQUIRED] += 1
                break
    return tuple(
        Agreement(a, span, *counts.get((a, i), [0, 0]))
        for a in sorted(assessors)
        for i, span in enumerate(spans)
    )


@dataclass(frozen=True, slots=True)
class Staff:
    """An assessor or internal verifier to be standardised."""

    id: str
    name: str
    role: StaffRole


@dataclass(frozen=True, slots=True)
class Standardisation:
    """A standardisation activity held ``on`` with the staff who took part."""

    on: date
    attendees: frozenset[str]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Flag:
    """Someone not standardised in the last ``months``: their last activity (None: never)."""

    staff_id: str
    role: StaffRole
    last_on: date | None
    message: str


def standardisation_flags(
    staff: Iterable[Staff],
    activities: Iterable[Standardisation],
    *,
    on: date,
    months: int = 12,
) -> tuple[Flag, ...]:
    """Flag each member of ``staff`` whose last activity up to ``on`` lies more than
    ``months`` before it (an activity exactly ``months`` ago still counts), by name."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"months must be a whole number ≥ 1, not {months!r}")
    since = add_months(on, -months)
    last: dict[str, date] = {}
    for activity in activities:
        if activity.on > on:
            continue
        for member in activity.attendees:
            if member not in last or activity.on > last[member]:
                last[member] = activity.on
    flags: list[Flag] = []
    for person in sorted(staff, key=lambda s: (s.name, s.id)):
        who = f"{TITLE[person.role].lower()} {person.name}"
        when = last.get(person.id)
        if when is None:
            flags.append(Flag(person.id, person.role, None, f"{who}: never standardised"))
        elif when < since:
            flags.append(
                Flag(
                    person.id,
                    person.role,
                    when,
                    f"{who}: not standardised in the last {months} months (last {ddmmyyyy(when)})",
                )
            )
    return tuple(flags)
