"""Typed inputs of the coverage engine: what a unit requires, the evidence, its mappings and
the assessor's judgements.

Plain Python on purpose, like the other engines: the portfolio pages, the API and the tests
all compute coverage from the same values without Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_RANGE_TARGET = re.compile(r"(\d+)([a-z])")

# How many evidence ids a criterion or a context problem names before it gives a count: the
# earliest few are what a person reads, and a portfolio of 10,000 items must not put 10,000
# ids in a sentence (issue 12).
EXAMPLES = 5


class Context(StrEnum):
    """Where evidence was produced (handbook section 4: real job, realistic working
    environment, simulation)."""

    REAL_JOB = "real-job"
    REALISTIC_ENVIRONMENT = "realistic-environment"
    SIMULATION = "simulation"


class MappingStatus(StrEnum):
    """The candidate proposes a mapping; only the assessor's confirmation makes it count."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RangeRequirement:
    """An evidence requirement with lettered items: ``select`` of ``items`` must be covered
    (None = all of them, the handbook's plain lists)."""

    requirement: str
    select: int | None
    items: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.items or len(set(self.items)) != len(self.items):
            raise ValueError(f"requirement {self.requirement}: items must be distinct, not none")
        if self.select is not None and not 1 <= self.select <= len(self.items):
            raise ValueError(
                f"requirement {self.requirement}: select {self.select} of {len(self.items)} items"
            )

    @property
    def needed(self) -> int:
        """How many items must be covered."""
        return len(self.items) if self.select is None else self.select


@dataclass(frozen=True, slots=True)
class UnitRequirements:
    """What a unit asks for. ``simulation_exception`` marks a unit (405) that accepts
    simulation outside ``allowed_contexts`` for evidence staged as its stated exception."""

    number: str
    criteria: tuple[str, ...]
    ranges: tuple[RangeRequirement, ...]
    allowed_contexts: frozenset[Context]
    credit: int | None = None
    simulation_exception: bool = False

    def __post_init__(self) -> None:
        # A unit without criteria could never be judged, so it is a catalogue gap, not 100%.
        if not self.criteria:
            raise ValueError(f"unit {self.number} has no assessment criteria to cover")
        if len(set(self.criteria)) != len(self.criteria):
            raise ValueError(f"unit {self.number} repeats a criterion number")
        if len({r.requirement for r in self.ranges}) != len(self.ranges):
            raise ValueError(f"unit {self.number} repeats an evidence requirement number")
        if not self.allowed_contexts:
            raise ValueError(f"unit {self.number} accepts no context at all")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One evidence item over ``[start, end]`` (inclusive). ``simulation_exception`` says the
    item was staged as its unit's allowed exception (e.g. an emergency drill for 405)."""

    id: str
    context: Context
    start: date
    end: date
    simulation_exception: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"evidence {self.id} ends {self.end} before it starts {self.start}")


@dataclass(frozen=True, slots=True)
class Mapping:
    """Evidence claimed for one ``target`` of a unit: a criterion ("1.1") or a range item
    ("6b" = item b of evidence requirement 6)."""

    evidence_id: str
    unit: str
    target: str
    status: MappingStatus


@dataclass(frozen=True, slots=True)
class Judgement:
    """The assessor's latest judgement of one criterion (met / not yet met)."""

    unit: str
    criterion: str
    met: bool


@dataclass(frozen=True, slots=True)
class SignOff:
    """A unit the assessor has signed off (locked)."""

    unit: str


@dataclass(frozen=True, slots=True)
class Span:
    """From the earliest start to the latest end of the evidence relied on."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Elapsed days (0 when everything happened on one day)."""
        return (self.end - self.start).days


def evidence_order(start: date, evidence_id: str) -> tuple[date, int, str]:
    """Chronological order of evidence, ties in id order: numeric ids (the database's keys)
    in number order, so a database ``ORDER BY started_on, id`` gives the same order."""
    return (start, len(evidence_id), evidence_id)


def range_target(target: str) -> tuple[str, str] | None:
    """("6", "b") for "6b"; None when ``target`` is not shaped like a range item."""
    found = _RANGE_TARGET.fullmatch(target)
    return None if found is None else (found.group(1), found.group(2))
