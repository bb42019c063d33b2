"""Brute-force oracles written straight from the issue's wording, independent of the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assay.engines.combination.model import (
    AtLeast,
    AtMost,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    Mandatory,
    Measure,
    Rule,
    Spec,
    Unit,
    Where,
)


def _value(unit: Unit, measure: Measure) -> int:
    return 1 if measure is Measure.UNITS else (unit.credit or 0)


def _sum(spec: Spec, chosen: set[str], measure: Measure, where: Where) -> int:
    return sum(_value(u, measure) for u in spec.units if u.number in chosen and where.matches(u))


def _equivalent(spec: Spec, number: str) -> set[str]:
    group, grew = {number}, True
    while grew:
        grew = False
        for rule in spec.rules:
            if (
                isinstance(rule, Equivalent)
                and group & set(rule.units)
                and not set(rule.units) <= group
            ):
                group |= set(rule.units)
                grew = True
    return group


def holds(spec: Spec, rule: Rule, chosen: set[str]) -> bool:
    """Does ``rule`` hold when exactly ``chosen`` are counted?"""
    if isinstance(rule, Mandatory):
        return all(_equivalent(spec, u) & chosen for u in rule.units)
    if isinstance(rule, AtLeast):
        return _sum(spec, chosen, rule.measure, rule.where) >= rule.value
    if isinstance(rule, AtMost):
        return _sum(spec, chosen, rule.measure, rule.where) <= rule.value
    if isinstance(rule, Exactly):
        return _sum(spec, chosen, rule.measure, rule.where) == rule.value
    if isinstance(rule, EachGroup):
        return all(
            _sum(spec, chosen, rule.measure, Where(group=g)) >= rule.value for g in rule.groups
        )
    assert isinstance(rule, Barred | Equivalent)
    return len(chosen & set(rule.units)) <= 1


def masks(spec: Spec, numbers: Iterable[str]) -> int:
    """Unit numbers as a bit mask (bit i = i-th unit of the spec)."""
    wanted = set(numbers)
    return sum(1 << i for i, u in enumerate(spec.units) if u.number in wanted)


def names(spec: Spec, mask: int) -> set[str]:
    return {u.number for i, u in enumerate(spec.units) if mask >> i & 1}


def valid_selections(spec: Spec) -> list[int]:
    """Every set of units that, counted, meets every rule (as bit masks)."""
    return [
        m
        for m in range(1 << len(spec.units))
        if all(holds(spec, r, names(spec, m)) for r in spec.rules)
    ]


def met(valid: list[int], achieved: int) -> bool:
    """Achieved when some valid selection uses only achieved units."""
    return any(s & ~achieved == 0 for s in valid)


def best_plan(
    spec: Spec, valid: list[int], have: int, exclude: int, cost: Callable[[int], float]
) -> tuple[float, int] | None:
    """Least (cost, number of units) over every addable set that achieves; None if none."""
    addable = ((1 << len(spec.units)) - 1) & ~have & ~exclude
    best: tuple[float, int] | None = None
    sub = addable
    while True:
        if met(valid, have | sub):
            key = (round(cost(sub), 9), sub.bit_count())
            best = key if best is None or key < best else best
        if sub == 0:
            return best
        sub = (sub - 1) & addable
