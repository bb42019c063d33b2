"""The sanction levels an external verifier applies, as data: each with what it blocks.

The handbooks name sanctions without grading them ("existing sanctions will apply"); these
four are the awarding bodies' usual ladder (docs/eqa.md): an action plan blocks nothing, a
suspension of certification claims blocks claims, a suspension of registrations and claims
blocks both, and a withdrawal of approval blocks everything the centre does for the
qualification.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ALL_ACTS", "LEVELS", "Act", "Level", "LevelRule"]


class Act(StrEnum):
    """What a centre does that a sanction may refuse."""

    REGISTRATION = "registration"
    CLAIM = "claim"


ALL_ACTS = frozenset(Act)


class Level(StrEnum):
    """The sanction levels, mildest first."""

    ACTION_PLAN = "action_plan"
    CLAIMS_SUSPENDED = "claims_suspended"
    REGISTRATIONS_SUSPENDED = "registrations_suspended"
    APPROVAL_WITHDRAWN = "approval_withdrawn"


@dataclass(frozen=True, slots=True)
class LevelRule:
    """A level's name, what it blocks and how a refusal words it ("registrations suspended")."""

    label: str
    blocks: frozenset[Act]
    refusal: str
    severity: int


LEVELS: dict[Level, LevelRule] = {
    Level.ACTION_PLAN: LevelRule("Action plan", frozenset(), "an action plan in force", 1),
    Level.CLAIMS_SUSPENDED: LevelRule(
        "Suspension of certification claims",
        frozenset({Act.CLAIM}),
        "certification claims suspended",
        2,
    ),
    Level.REGISTRATIONS_SUSPENDED: LevelRule(
        "Suspension of registrations and claims",
        frozenset({Act.REGISTRATION, Act.CLAIM}),
        "registrations and claims suspended",
        3,
    ),
    Level.APPROVAL_WITHDRAWN: LevelRule(
        "Withdrawal of approval", ALL_ACTS, "approval withdrawn", 4
    ),
}
