"""A centre's risk rating (low / medium / high) with its reasons, and direct claims status.

The rating is the highest that any input calls for, and every input that raised it is named:
* high: a sanction in force that blocks something (a suspension or a withdrawal), three or
  more action points past their due date, or the external verifier's last rating high;
* medium: an action plan in force, one or two overdue action points, five or more
  action points open, or the external verifier's last rating medium;
* low: none of these.

Direct claims status (the centre claims certificates without the external verifier sampling
each claim first) is granted only to a low-risk centre with no sanction in force of any
level, and is removed as soon as either stops being true: the status is derived, never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..dates import ddmmyyyy
from .levels import LEVELS
from .rules import Sanction, in_force

__all__ = [
    "OVERDUE_HIGH",
    "OVERLOADED",
    "DirectClaims",
    "Risk",
    "RiskInputs",
    "RiskRating",
    "centre_risk",
    "direct_claims",
]

OVERDUE_HIGH = 3  # this many overdue action points make a centre high risk
OVERLOADED = 5  # this many open action points make it medium risk


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}


@dataclass(frozen=True, slots=True)
class RiskInputs:
    """What the rating reads: action points open and overdue (overdue ones are also open),
    the centre's sanctions, and the external verifier's last rating from a visit's findings
    (None when no visit has rated the centre) with the day it was given."""

    open_points: int = 0
    overdue_points: int = 0
    sanctions: Sequence[Sanction] = ()
    ev_rating: Risk | None = None
    ev_rated_on: date | None = None

    def __post_init__(self) -> None:
        if self.open_points < 0 or self.overdue_points < 0:
            raise ValueError("action point counts cannot be negative")
        if self.overdue_points > self.open_points:
            raise ValueError("an overdue action point is an open one")


@dataclass(frozen=True, slots=True)
class RiskRating:
    level: Risk
    reasons: tuple[str, ...]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def centre_risk(inputs: RiskInputs, on: date) -> RiskRating:
    """The rating on ``on`` and every reason for it."""
    found: list[tuple[Risk, str]] = []
    for s in in_force(inputs.sanctions, on):
        rule = LEVELS[s.level]
        level = Risk.HIGH if rule.blocks else Risk.MEDIUM
        since = ddmmyyyy(s.applied_on)
        found.append((level, f"{rule.label} in force since {since}: {s.reason.strip()}"))
    if inputs.overdue_points:
        level = Risk.HIGH if inputs.overdue_points >= OVERDUE_HIGH else Risk.MEDIUM
        found.append((level, f"{_plural(inputs.overdue_points, 'action point')} overdue"))
    if inputs.open_points >= OVERLOADED:
        found.append((Risk.MEDIUM, f"{_plural(inputs.open_points, 'action point')} open"))
    if inputs.ev_rating in (Risk.MEDIUM, Risk.HIGH):
        when = f" on {ddmmyyyy(inputs.ev_rated_on)}" if inputs.ev_rated_on else ""
        found.append(
            (inputs.ev_rating, f"the external verifier rated the centre {inputs.ev_rating}{when}")
        )
    if not found:
        return RiskRating(Risk.LOW, ("no sanction in force, no overdue action points",))
    level = max((lv for lv, _ in found), key=_ORDER.__getitem__)
    return RiskRating(level, tuple(reason for _, reason in found))


@dataclass(frozen=True, slots=True)
class DirectClaims:
    granted: bool
    reasons: tuple[str, ...]


def direct_claims(inputs: RiskInputs, on: date) -> DirectClaims:
    """Granted only to a low-risk centre with no sanction in force on ``on`` (any sanction
    already makes the rating medium or high; the second test states the rule on its own)."""
    rating = centre_risk(inputs, on)
    against: list[str] = []
    if rating.level is not Risk.LOW:
        against.append(f"the centre is {rating.level} risk: " + "; ".join(rating.reasons))
    elif in_force(inputs.sanctions, on):
        against.append("a sanction is in force")
    if against:
        return DirectClaims(False, tuple(against))
    return DirectClaims(True, ("low risk and no sanction in force",))
