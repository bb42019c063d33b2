"""Hypothesis strategies for small random specs (at most 8 units, every kind of rule)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

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

FAST = settings(
    derandomize=True,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
GROUPS = ("a", "b", "c")


@st.composite
def units(draw: st.DrawFn) -> tuple[Unit, ...]:
    n = draw(st.integers(1, 8))
    glh_known = draw(st.booleans())
    return tuple(
        Unit(
            number=str(100 + i),
            level=draw(st.integers(2, 4)),
            group=draw(st.sampled_from(GROUPS)),
            credit=draw(st.one_of(st.none(), st.integers(0, 12))),
            glh=draw(st.integers(0, 60))
            if glh_known
            else draw(st.one_of(st.none(), st.integers(0, 60))),
            mandatory=draw(st.booleans()),
        )
        for i in range(n)
    )


@st.composite
def wheres(draw: st.DrawFn, pool: tuple[Unit, ...]) -> Where:
    groups = sorted({u.group for u in pool})
    kind = draw(st.sampled_from(["all", "level", "min", "max", "group", "mandatory", "units"]))
    if kind == "level":
        return Where(level=draw(st.integers(2, 4)))
    if kind == "min":
        return Where(min_level=draw(st.integers(2, 4)))
    if kind == "max":
        return Where(max_level=draw(st.integers(2, 4)))
    if kind == "group":
        return Where(group=draw(st.sampled_from(groups)))
    if kind == "mandatory":
        return Where(mandatory=draw(st.booleans()))
    if kind == "units":
        picked = draw(st.lists(st.sampled_from([u.number for u in pool]), min_size=1, max_size=4))
        return Where(units=frozenset(picked))
    return Where()


@st.composite
def rules(draw: st.DrawFn, pool: tuple[Unit, ...], at: int) -> Rule:
    numbers = [u.number for u in pool]
    groups = sorted({u.group for u in pool})
    kind = draw(
        st.sampled_from(["mandatory", "least", "most", "exactly", "each", "barred", "equiv"])
    )
    rid = f"r{at}"
    measure = draw(st.sampled_from(list(Measure)))
    value = draw(st.integers(0, 4) if measure is Measure.UNITS else st.integers(0, 25))
    if kind == "mandatory":
        return Mandatory(rid, "", tuple(draw(st.lists(st.sampled_from(numbers), max_size=2))))
    if kind == "least":
        return AtLeast(rid, "", measure, value, draw(wheres(pool)))
    if kind == "most":
        return AtMost(rid, "", measure, value, draw(wheres(pool)))
    if kind == "exactly":
        return Exactly(rid, "", measure, value, draw(wheres(pool)))
    if kind == "each":
        chosen = draw(st.lists(st.sampled_from(groups), min_size=1, max_size=3, unique=True))
        return EachGroup(rid, "", measure, min(value, 12), tuple(chosen))
    picked = (
        draw(st.lists(st.sampled_from(numbers), min_size=2, max_size=3, unique=True))
        if len(numbers) > 1
        else numbers
    )
    return (Barred if kind == "barred" else Equivalent)(rid, "", tuple(picked))


@st.composite
def specs(draw: st.DrawFn, caps: bool = True) -> Spec:
    pool = draw(units())
    count = draw(st.integers(1, 4))
    drawn = [draw(rules(pool, i)) for i in range(count)]
    if caps and draw(st.booleans()):  # a floor and a cap that compete for the same units
        measure = draw(st.sampled_from(list(Measure)))
        top = len(pool) if measure is Measure.UNITS else sum(u.credit or 0 for u in pool)
        need = draw(st.integers(0, top))
        drawn.append(AtLeast("f", "", measure, need, draw(wheres(pool))))
        drawn.append(AtMost("c", "", measure, draw(st.integers(0, need)), draw(wheres(pool))))
    if not caps:
        drawn = [r for r in drawn if isinstance(r, Mandatory | AtLeast | EachGroup)]
    return Spec("random", pool, tuple(drawn))


@st.composite
def subsets(draw: st.DrawFn, spec: Spec) -> list[str]:
    return [u.number for u in spec.units if draw(st.booleans())]
