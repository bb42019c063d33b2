"""Which sanctions are in force on a day, and which acts they refuse, with the reason.

A sanction applies from the day it is applied (inclusive) until the day it is lifted
(exclusive: lifted on 01/05 means acts dated 01/05 are no longer blocked). One named for a
qualification blocks only that qualification; one without applies to the whole centre.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..dates import ddmmyyyy
from .levels import LEVELS, Act, Level

__all__ = ["Sanction", "blocks", "in_force", "refusal"]


@dataclass(frozen=True, slots=True)
class Sanction:
    """One applied sanction as the rules read it (``qualification`` "" for the whole centre)."""

    level: Level
    applied_on: date
    reason: str
    lifted_on: date | None = None
    qualification: str = ""
    by: str = "the external verifier"

    def __post_init__(self) -> None:
        if self.lifted_on is not None and self.lifted_on < self.applied_on:
            raise ValueError(f"lifted on {self.lifted_on} before it applied on {self.applied_on}")

    def applies_on(self, on: date) -> bool:
        return self.applied_on <= on and (self.lifted_on is None or on < self.lifted_on)

    def covers(self, qualification: str | None) -> bool:
        """Whether it reaches ``qualification`` (None: any act of the centre)."""
        return (
            not self.qualification
            or qualification is None
            or (self.qualification.casefold() == qualification.casefold())
        )


def in_force(
    sanctions: Iterable[Sanction], on: date, qualification: str | None = None
) -> list[Sanction]:
    """The sanctions applying on ``on`` (to ``qualification`` when given), most severe first,
    then oldest first."""
    found = [s for s in sanctions if s.applies_on(on) and s.covers(qualification)]
    return sorted(found, key=lambda s: (-LEVELS[s.level].severity, s.applied_on))


def refusal(sanction: Sanction) -> str:
    """The sentence that refuses an act: "registrations and claims suspended at this centre
    since 01/02/2013 by the external verifier: <reason>"."""
    rule = LEVELS[sanction.level]
    scope = f" for {sanction.qualification}" if sanction.qualification else ""
    return (
        f"{rule.refusal}{scope} at this centre since {ddmmyyyy(sanction.applied_on)} "
        f"by {sanction.by}: {sanction.reason.strip()}"
    )


def blocks(
    sanctions: Iterable[Sanction], act: Act | str, on: date, qualification: str | None = None
) -> list[str]:
    """Every reason refusing ``act`` on ``on`` (empty: not blocked)."""
    wanted = Act(act)
    return [
        refusal(s)
        for s in in_force(sanctions, on, qualification)
        if wanted in LEVELS[s.level].blocks
    ]
