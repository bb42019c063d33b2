"""The rules as linear inequalities over one 0/1 "counted" variable per unit.

Every rule is a *floor* (sum >= need: more counted units only help) or a *cap* (sum <= limit:
it decides which achieved units may count). Evaluation, planning and batch decisions all read
this one form, so they cannot disagree about what a rule means.

Deciding one plan (every page that shows a qualification's progress) needs only small sums,
so the form is plain Python tuples and NumPy is not imported for it (it costs a web process
about 15 MB). The matrices the batch decisions and the planner work on are built from the
tuples the first time one of them is asked for (``floor_matrix``, ``cap_matrix``, ``credit``,
``need``, ``limit``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from .model import (
    AtLeast,
    AtMost,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    InvalidSpec,
    Mandatory,
    Measure,
    Rule,
    Spec,
    UnknownUnit,
    Where,
    measure_of,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints: TypeAlias = npt.NDArray[np.int64]
    Bools: TypeAlias = npt.NDArray[np.bool_]
else:  # the aliases name NumPy types without importing NumPy
    Ints = Bools = Any

Vector: TypeAlias = tuple[int, ...]
Mask: TypeAlias = tuple[bool, ...]
"""Which units: one flag per unit in spec order (a NumPy boolean row is accepted too)."""


def dot(coef: Sequence[int], mask: Sequence[bool] | Sequence[int]) -> int:
    """``coef . mask`` in plain Python."""
    return sum(c for c, m in zip(coef, mask, strict=True) if m)


@dataclass(frozen=True, slots=True)
class Floor:
    """``coef . counted >= need``; ``key`` names the unit (Mandatory) or group (EachGroup)."""

    rule: int
    key: str
    coef: Vector
    need: int


@dataclass(frozen=True, slots=True)
class Cap:
    """``coef . counted <= limit``."""

    rule: int
    coef: Vector
    limit: int


@dataclass(frozen=True, eq=False)
class Linear:
    """A spec compiled once: unit order is the spec's, rows are dense (specs are small)."""

    spec: Spec
    numbers: tuple[str, ...]
    index: Mapping[str, int]
    credits: Vector
    has_credit: bool
    floors: tuple[Floor, ...]
    caps: tuple[Cap, ...]
    equivalents: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        """Number of units in the spec."""
        return len(self.numbers)

    def mask(self, numbers: Iterable[str]) -> Mask:
        """Units as flags; duplicates are harmless, unknown numbers raise."""
        if isinstance(numbers, str):
            raise TypeError("pass an iterable of unit numbers, not a single string")
        out = [False] * self.size
        for number in numbers:
            position = self.index.get(number)
            if position is None:
                raise UnknownUnit(number)
            out[position] = True
        return tuple(out)

    def names(self, mask: Sequence[bool] | Bools) -> tuple[str, ...]:
        """Unit numbers in spec order for a mask (flags or a NumPy boolean row)."""
        return tuple(self.numbers[i] for i, held in enumerate(mask) if held)

    def binding(self, achieved: Sequence[bool]) -> Mask:
        """Caps that the achieved units overrun, so a choice of what counts is needed."""
        return tuple(dot(c.coef, achieved) > c.limit for c in self.caps)

    def floors_met(self, counted: Sequence[bool]) -> Mask:
        """Which floors the counted units satisfy."""
        return tuple(dot(f.coef, counted) >= f.need for f in self.floors)

    def caps_held(self, counted: Sequence[bool]) -> bool:
        """Every cap holds for the counted units."""
        return all(dot(c.coef, counted) <= c.limit for c in self.caps)

    # The same rows as NumPy arrays, for the batch decisions and the planner (built once).

    @cached_property
    def credit(self) -> Ints:
        return _frozen(self.credits)

    @cached_property
    def floor_matrix(self) -> Ints:
        return _frozen([f.coef for f in self.floors], width=self.size)

    @cached_property
    def need(self) -> Ints:
        return _frozen([f.need for f in self.floors])

    @cached_property
    def cap_matrix(self) -> Ints:
        return _frozen([c.coef for c in self.caps], width=self.size)

    @cached_property
    def limit(self) -> Ints:
        return _frozen([c.limit for c in self.caps])


def _frozen(values: Sequence[Any], width: int | None = None) -> Ints:
    """An int64 array, read-only (shared through the cache); ``width`` shapes an empty matrix."""
    import numpy as np

    array = np.asarray(values, dtype=np.int64)
    if width is not None and not len(values):
        array = np.zeros((0, width), dtype=np.int64)
    array.flags.writeable = False
    return array


def _where_vector(spec: Spec, where: Where, measure: Measure) -> Vector:
    return tuple(measure_of(u, measure) if where.matches(u) else 0 for u in spec.units)


def _check(spec: Spec) -> None:
    numbers = [u.number for u in spec.units]
    if len(set(numbers)) != len(numbers):
        raise InvalidSpec(f"{spec.code}: duplicate unit numbers")
    known, groups = set(numbers), {u.group for u in spec.units}
    for unit in spec.units:
        if (unit.credit or 0) < 0 or (unit.glh or 0) < 0:
            raise InvalidSpec(f"{spec.code}: unit {unit.number} has negative credit or glh")
    for rule in spec.rules:
        named: set[str] = set()
        if isinstance(rule, Mandatory | Barred | Equivalent):
            named = set(rule.units)
        elif isinstance(rule, EachGroup):
            if rule.groups and not set(rule.groups) <= groups:
                raise InvalidSpec(f"{spec.code}: rule {rule.id} names an unknown group")
        else:
            named = set(rule.where.units or ())
            if rule.where.group is not None and rule.where.group not in groups:
                raise InvalidSpec(f"{spec.code}: rule {rule.id} names an unknown group")
            if isinstance(rule, AtMost | Exactly) and rule.value < 0:
                raise InvalidSpec(f"{spec.code}: rule {rule.id} has a negative cap")
        if not named <= known:
            raise InvalidSpec(f"{spec.code}: rule {rule.id} names unknown units")


def _classes(spec: Spec, index: Mapping[str, int]) -> tuple[tuple[int, ...], ...]:
    """Equivalence classes (transitive closure of every Equivalent rule), per unit."""
    parent = list(range(len(spec.units)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for rule in spec.rules:
        if isinstance(rule, Equivalent):
            first = [index[n] for n in rule.units]
            for other in first[1:]:
                parent[root(other)] = root(first[0])
    members: dict[int, list[int]] = {}
    for i in range(len(parent)):
        members.setdefault(root(i), []).append(i)
    return tuple(tuple(members[root(i)]) for i in range(len(parent)))


def _compile_rule(
    spec: Spec, at: int, rule: Rule, index: Mapping[str, int], classes: tuple[tuple[int, ...], ...]
) -> tuple[list[Floor], list[Cap]]:
    n = len(spec.units)
    if isinstance(rule, Mandatory):
        floors = []
        for number in dict.fromkeys(rule.units):
            members = set(classes[index[number]])
            floors.append(Floor(at, number, tuple(int(i in members) for i in range(n)), 1))
        return floors, []
    if isinstance(rule, AtLeast):
        return [Floor(at, "", _where_vector(spec, rule.where, rule.measure), rule.value)], []
    if isinstance(rule, AtMost):
        return [], [Cap(at, _where_vector(spec, rule.where, rule.measure), rule.value)]
    if isinstance(rule, Exactly):
        coef = _where_vector(spec, rule.where, rule.measure)
        return [Floor(at, "", coef, rule.value)], [Cap(at, coef, rule.value)]
    if isinstance(rule, EachGroup):
        return [
            Floor(at, group, _where_vector(spec, Where(group=group), rule.measure), rule.value)
            for group in dict.fromkeys(rule.groups)
        ], []
    barred = {index[u] for u in rule.units}
    return [], [Cap(at, tuple(int(i in barred) for i in range(n)), 1)]


@lru_cache(maxsize=128)
def linearise(spec: Spec) -> Linear:
    """Compile ``spec`` (cached: specs are frozen and hashable)."""
    _check(spec)
    index = {u.number: i for i, u in enumerate(spec.units)}
    classes = _classes(spec, index)
    floors: list[Floor] = []
    caps: list[Cap] = []
    for at, rule in enumerate(spec.rules):
        more_floors, more_caps = _compile_rule(spec, at, rule, index, classes)
        floors += more_floors
        caps += more_caps
    return Linear(
        spec=spec,
        numbers=tuple(index),
        index=index,
        credits=tuple(u.credit or 0 for u in spec.units),
        has_credit=any(u.credit is not None for u in spec.units),
        floors=tuple(floors),
        caps=tuple(caps),
        equivalents=classes,
    )
