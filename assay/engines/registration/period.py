"""Handbook 4.1: "Assessment must be completed within the candidate's period of registration."

An assessment act (a judgement, a mapping decision, an evidence period, a sign-off) is refused
when it is dated after the registration's end date or when the registration has ended
(expired, withdrawn, transferred or completed). An extension is the one way to move the end
date: an explicit act with a reason, to a later date, never past the last certification date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import ddmmyyyy
from ..text import visible
from .lifecycle import FINAL, Status

__all__ = [
    "HANDBOOK_4_1",
    "PeriodDecision",
    "assessment_in_period",
    "extension_decision",
]

HANDBOOK_4_1 = "Assessment must be completed within the candidate's period of registration."


@dataclass(frozen=True, slots=True)
class PeriodDecision:
    """Allowed exactly when there is no reason against."""

    allowed: bool
    reasons: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.allowed == bool(self.reasons):
            raise ValueError("a decision is allowed exactly when it has no reasons")


def assessment_in_period(status: Status, end_date: date, on: date) -> PeriodDecision:
    """May an assessment act dated ``on`` be recorded? (The end date itself is in the period.)"""
    reasons: list[str] = []
    if status in FINAL:
        reasons.append(f"The registration is {status.replace('_', ' ')}. {HANDBOOK_4_1}")
    if on > end_date:
        reasons.append(
            f"{ddmmyyyy(on)} is after the end of the period of registration, "
            f"{ddmmyyyy(end_date)}. {HANDBOOK_4_1}"
        )
    return PeriodDecision(not reasons, tuple(reasons))


def extension_decision(
    *,
    status: Status,
    end_date: date,
    new_end: date,
    reason: str,
    last_certification: date | None,
) -> PeriodDecision:
    """May the period be extended to ``new_end``? Every failed condition is a reason."""
    reasons: list[str] = []
    if status in FINAL:
        reasons.append(
            f"The registration is {status.replace('_', ' ')}, which is final: it cannot be "
            "extended."
        )
    if new_end <= end_date:
        reasons.append(
            f"The new end date {ddmmyyyy(new_end)} is not after the current end date "
            f"{ddmmyyyy(end_date)}."
        )
    if last_certification is not None and new_end > last_certification:
        reasons.append(
            f"The new end date {ddmmyyyy(new_end)} is after the last certification date "
            f"{ddmmyyyy(last_certification)}: nothing certifies later."
        )
    if not visible(reason):
        reasons.append("Give the reason for the extension.")
    return PeriodDecision(not reasons, tuple(reasons))
