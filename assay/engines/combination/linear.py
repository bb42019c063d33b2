"""The rules as linear inequalities over one 0/1 "counted" variable per unit.

Every rule is a *floor* (sum >= need: more counted units only help) or a *cap* (sum <= limit:
it decides which achieved units may count). Evaluation, planning and batch decisions all read
this one form, so they cannot disagree about what a rule means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

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

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Floor:
    """``coef . counted >= need``; ``key`` names the unit (Mandatory) or group (EachGroup)."""

    rule: int
    key: str
    coef: Ints
    need: int


@dataclass(frozen=True, slots=True)
class Cap:
    """``coef . counted <= limit``."""

    rule: int
    coef: Ints
    limit: int


@dataclass(frozen=True, eq=False)
class Linear:
    """A spec compiled once: unit order is the spec's, matrices are dense (specs are small)."""

    spec: Spec
    numbers: tuple[str, ...]
    index: Mapping[str, int]
    credit: Ints
    has_credit: bool
    floors: tuple[Floor, ...]
    caps: tuple[Cap, ...]
    floor_matrix: Ints
    need: Ints
    cap_matrix: Ints
    limit: Ints
    equivalents: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        """Number of units in the spec."""
        return len(self.numbers)

    def mask(self, numbers: Iterable[str]) -> Bools:
        """Units as a boolean vector; duplicates are harmless, unknown numbers raise."""
        if isinstance(numbers, str):
            raise TypeError("pass an iterable of unit numbers, not a single string")
        out = np.zeros(self.size, dtype=bool)
        for number in numbers:
            position = self.index.get(number)
            if position is None:
                raise UnknownUnit(number)
            out[position] = True
        return out

    def names(self, mask: Bools) -> tuple[str, ...]:
        """Unit numbers in spec order for a boolean vector."""
        return tuple(self.numbers[i] for i in np.flatnonzero(mask))

    def binding(self, achieved: Bools) -> Bools:
        """Caps that the achieved units overrun, so a choice of what counts is needed."""
        return np.asarray(self.cap_matrix @ achieved > self.limit, dtype=bool)

    def floors_met(self, counted: Bools) -> Bools:
        """Which floors the counted units satisfy."""
        return np.asarray(self.floor_matrix @ counted >= self.need, dtype=bool)


def _where_vector(spec: Spec, where: Where, measure: Measure) -> Ints:
    values = [measure_of(u, measure) if where.matches(u) else 0 for u in spec.units]
    return np.asarray(values, dtype=np.int64)


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
            coef = np.zeros(n, dtype=np.int64)
            coef[list(classes[index[number]])] = 1
            floors.append(Floor(at, number, coef, 1))
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
    coef = np.zeros(n, dtype=np.int64)
    coef[[index[u] for u in rule.units]] = 1
    return [], [Cap(at, coef, 1)]


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
    n = len(spec.units)

    def stack(rows: list[Ints]) -> Ints:
        return frozen(np.vstack(rows) if rows else np.zeros((0, n), dtype=np.int64))

    def frozen(array: Ints) -> Ints:
        array.flags.writeable = False  # shared through the cache
        return array

    return Linear(
        spec=spec,
        numbers=tuple(index),
        index=index,
        credit=frozen(np.asarray([u.credit or 0 for u in spec.units], dtype=np.int64)),
        has_credit=any(u.credit is not None for u in spec.units),
        floors=tuple(floors),
        caps=tuple(caps),
        floor_matrix=stack([f.coef for f in floors]),
        need=frozen(np.asarray([f.need for f in floors], dtype=np.int64)),
        cap_matrix=stack([c.coef for c in caps]),
        limit=frozen(np.asarray([c.limit for c in caps], dtype=np.int64)),
        equivalents=classes,
    )
