"""The states a registration passes through and the moves between them.

A registration starts REGISTERED, goes IN_PROGRESS once assessment starts, and ends
COMPLETED, WITHDRAWN, TRANSFERRED (to another centre) or EXPIRED (its period of registration
ran out: "Assessment must be completed within the candidate's period of registration").
Ending states are final so a certificate, withdrawal or transfer can never be undone silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "FINAL",
    "MEANINGS",
    "Status",
    "Transition",
    "allowed_targets",
    "expiry_due",
    "transition",
]


class Status(StrEnum):
    """Where a registration stands."""

    REGISTERED = "registered"
    IN_PROGRESS = "in_progress"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    COMPLETED = "completed"
    EXPIRED = "expired"


NEXT: dict[Status, tuple[Status, ...]] = {
    Status.REGISTERED: (
        Status.IN_PROGRESS,
        Status.WITHDRAWN,
        Status.TRANSFERRED,
        Status.EXPIRED,
    ),
    Status.IN_PROGRESS: (
        Status.COMPLETED,
        Status.WITHDRAWN,
        Status.TRANSFERRED,
        Status.EXPIRED,
    ),
    Status.WITHDRAWN: (),
    Status.TRANSFERRED: (),
    Status.COMPLETED: (),
    Status.EXPIRED: (),
}
FINAL: frozenset[Status] = frozenset(status for status, nxt in NEXT.items() if not nxt)

# What each state means, shown before anyone chooses it (the final ones say so).
MEANINGS: dict[Status, str] = {
    Status.REGISTERED: "Registered with the awarding body; assessment has not started.",
    Status.IN_PROGRESS: "Assessment has started: evidence is gathered and judged.",
    Status.COMPLETED: (
        "Final. Every rule of combination is met by signed-off or credited units; nothing more "
        "can be assessed. Allowed only when the rules are met."
    ),
    Status.WITHDRAWN: (
        "Final. The candidate has left the qualification; no further assessment is possible "
        "and the registration cannot be reopened."
    ),
    Status.TRANSFERRED: (
        "Final. The candidate continues at another centre; this centre can assess no more."
    ),
    Status.EXPIRED: (
        "Final. The period of registration ended before assessment was complete; nothing more "
        "can be assessed here."
    ),
}


@dataclass(frozen=True, slots=True)
class Transition:
    """Whether a move is allowed, and a sentence saying why (or why not)."""

    allowed: bool
    reason: str


def allowed_targets(current: Status) -> tuple[Status, ...]:
    """The states ``current`` may move to (empty for a final state)."""
    return NEXT[current]


def transition(current: Status, target: Status) -> Transition:
    """May a registration in ``current`` move to ``target``?"""
    if target in NEXT[current]:
        return Transition(True, f"A registration may go from {current} to {target}.")
    if current in FINAL:
        return Transition(False, f"{current.capitalize()} is final: it cannot go to {target}.")
    if target == current:
        return Transition(False, f"The registration is already {current}.")
    options = ", ".join(NEXT[current])
    return Transition(
        False,
        f"A registration cannot go from {current} to {target}; from {current} it may go to "
        f"{options}.",
    )


def expiry_due(status: Status, end_date: date, today: date) -> bool:
    """An unfinished registration past its end date is due to expire (the end date itself
    is still within the period)."""
    return status not in FINAL and today > end_date
