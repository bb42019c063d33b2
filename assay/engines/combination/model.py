"""Typed data for rules of combination: units, the filter a rule looks through, the rules.

Plain Python on purpose: the engine must be importable and testable without Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Measure(StrEnum):
    """What a counting rule adds up over the counted units."""

    CREDIT = "credit"
    UNITS = "units"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as the rules see it. ``credit``/``glh`` are None where the source prints none."""

    number: str
    level: int
    group: str
    credit: int | None = None
    glh: int | None = None
    mandatory: bool = False
    title: str = ""


@dataclass(frozen=True, slots=True)
class Where:
    """Selects units; every condition given must hold (an empty filter selects all units)."""

    level: int | None = None
    min_level: int | None = None
    max_level: int | None = None
    group: str | None = None
    mandatory: bool | None = None
    units: frozenset[str] | None = None

    def matches(self, unit: Unit) -> bool:
        """True when ``unit`` passes every given condition."""
        return (
            (self.level is None or unit.level == self.level)
            and (self.min_level is None or unit.level >= self.min_level)
            and (self.max_level is None or unit.level <= self.max_level)
            and (self.group is None or unit.group == self.group)
            and (self.mandatory is None or unit.mandatory == self.mandatory)
            and (self.units is None or unit.number in self.units)
        )


@dataclass(frozen=True, slots=True)
class Mandatory:
    """Every listed unit must be counted (or a unit declared equivalent to it)."""

    id: str
    text: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AtLeast:
    """The counted units passing ``where`` must add up to at least ``value``."""

    id: str
    text: str
    measure: Measure
    value: int
    where: Where = field(default_factory=Where)


@dataclass(frozen=True, slots=True)
class AtMost:
    """At most ``value`` may be counted from the units passing ``where`` (a cap)."""

    id: str
    text: str
    measure: Measure
    value: int
    where: Where = field(default_factory=Where)


@dataclass(frozen=True, slots=True)
class Exactly:
    """Exactly ``value`` is counted from the units passing ``where``; extra achieved units
    simply are not counted, so this fails only when too few are available."""

    id: str
    text: str
    measure: Measure
    value: int
    where: Where = field(default_factory=Where)


@dataclass(frozen=True, slots=True)
class EachGroup:
    """At least ``value`` from each of ``groups``."""

    id: str
    text: str
    measure: Measure
    value: int
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Barred:
    """At most one of these units may count towards the qualification."""

    id: str
    text: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Equivalent:
    """These units are interchangeable: any one satisfies a requirement for another,
    and only one of them counts."""

    id: str
    text: str
    units: tuple[str, ...]


Rule = Mandatory | AtLeast | AtMost | Exactly | EachGroup | Barred | Equivalent


@dataclass(frozen=True, slots=True)
class Spec:
    """A qualification's structure: its units and its rules of combination."""

    code: str
    units: tuple[Unit, ...]
    rules: tuple[Rule, ...]

    def unit(self, number: str) -> Unit:
        """The unit with this printed number (KeyError when unknown)."""
        for unit in self.units:
            if unit.number == number:
                return unit
        raise KeyError(number)


class UnknownUnit(LookupError):
    """A unit number that the specification does not define (a typo or the wrong qualification)."""

    def __init__(self, number: str) -> None:
        super().__init__(f"unknown unit {number!r}")
        self.number = number


class InvalidSpec(ValueError):
    """A specification the engine cannot reason about (e.g. a rule naming a unit it lacks)."""


def measure_of(unit: Unit, measure: Measure) -> int:
    """What ``unit`` adds to a rule counting ``measure``; a unit printed without credit adds 0."""
    if measure is Measure.UNITS:
        return 1
    return unit.credit or 0
