"""Property tests on small random specs against brute force over every subset."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.combination import select as select_module
from assay.engines.combination.batch import compile_spec, decide_many
from assay.engines.combination.evaluate import evaluate
from assay.engines.combination.linear import linearise
from assay.engines.combination.model import Spec
from assay.engines.combination.planner import Objective, complete
from assay.engines.combination.select import met, select

from . import brute
from .strategies import FAST, specs, subsets


def all_plans(spec: Spec) -> np.ndarray:
    n = len(spec.units)
    return np.asarray((np.arange(1 << n)[:, None] >> np.arange(n)) & 1 == 1, dtype=bool)


@FAST
@given(st.data())
def test_evaluate_matches_brute_force(data: st.DataObject) -> None:
    spec = data.draw(specs())
    valid = brute.valid_selections(spec)
    achieved = data.draw(subsets(spec))
    decision = evaluate(spec, achieved)
    held = brute.masks(spec, achieved)
    assert decision.met == brute.met(valid, held)
    counted = set(decision.counted_units)
    assert counted <= set(achieved)
    for rule, result in zip(spec.rules, decision.rules, strict=True):
        assert result.met == brute.holds(spec, rule, counted), result
    if decision.met:  # the counted units are the most credit, then the most units
        credit = {u.number: u.credit or 0 for u in spec.units}
        best = max(
            (sum(credit[n] for n in brute.names(spec, s)), s.bit_count())
            for s in valid
            if s & ~held == 0
        )
        assert (sum(credit[n] for n in counted), len(counted)) == best


@FAST
@given(st.data())
def test_enumeration_and_program_choose_the_same(data: st.DataObject) -> None:
    spec = data.draw(specs())
    lin = linearise(spec)
    held = lin.mask(data.draw(subsets(spec)))
    by_subsets = select(lin, held)
    by_program = select(lin, held, enumerate_up_to=0)
    assert by_subsets.met == by_program.met == met(lin, held) == met(lin, held, enumerate_up_to=0)
    np.testing.assert_array_equal(by_subsets.counted, by_program.counted)


@FAST
@given(st.data())
def test_plain_and_numpy_enumeration_choose_the_same(data: st.DataObject) -> None:
    """Up to PLAIN_UP_TO competing units are searched in plain Python (no NumPy for one plan),
    more with NumPy: both rank the same way."""
    spec = data.draw(specs())
    lin = linearise(spec)
    held = lin.mask(data.draw(subsets(spec)))
    plain = select(lin, held), met(lin, held)
    saved = select_module.PLAIN_UP_TO
    select_module.PLAIN_UP_TO = 0
    try:
        dense = select(lin, held), met(lin, held)
    finally:
        select_module.PLAIN_UP_TO = saved
    assert plain[0] == dense[0] and plain[1] == dense[1]


@FAST
@given(st.data())
def test_planner_is_optimal(data: st.DataObject) -> None:
    spec = data.draw(specs())
    have = data.draw(subsets(spec))
    exclude = data.draw(subsets(spec))
    objective = data.draw(st.sampled_from(list(Objective)))
    reuse = {u.number: data.draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for u in spec.units}
    plan = complete(spec, have, exclude, objective, reuse)
    held, banned = brute.masks(spec, have), brute.masks(spec, exclude) & ~brute.masks(spec, have)
    glh = {u.number: u.glh for u in spec.units}
    addable = brute.names(spec, ((1 << len(spec.units)) - 1) & ~held & ~banned)
    by_units = objective is Objective.FEWEST_UNITS or (
        objective is Objective.FEWEST_GLH and any(glh[n] is None for n in addable)
    )

    def cost(mask: int) -> float:
        chosen = brute.names(spec, mask)
        if by_units:
            return len(chosen)
        if objective is Objective.MOST_REUSE:
            return sum(1 - reuse[n] for n in chosen)
        return sum(glh[n] or 0 for n in chosen)

    want = brute.best_plan(spec, brute.valid_selections(spec), held, banned, cost)
    assert plan.feasible == (want is not None)
    if want is None:
        assert plan.add == () and plan.reason
        return
    added = brute.masks(spec, plan.add)
    assert added & (held | banned) == 0
    assert (round(cost(added), 9), added.bit_count()) == want
    assert plan.decision is not None and plan.decision.met
    assert plan.objective == ("fewest_units" if by_units else objective.value)


@FAST
@given(st.data())
def test_met_is_monotone(data: st.DataObject) -> None:
    """Met never turns false when a unit is added, for every spec: the old counted selection
    is still available. (Counting everything achieved, without choosing, would break this
    for AtMost, Exactly, Barred and Equivalent.)"""
    spec = data.draw(specs())
    achieved = data.draw(subsets(spec))
    extra = data.draw(st.sampled_from([u.number for u in spec.units]))
    assert evaluate(spec, achieved).met <= evaluate(spec, [*achieved, extra]).met


@FAST
@given(specs(caps=False), st.data())
def test_without_caps_everything_achieved_counts(spec: Spec, data: st.DataObject) -> None:
    achieved = data.draw(subsets(spec))
    assert set(evaluate(spec, achieved).counted_units) == set(achieved)


@FAST
@given(specs())
def test_batch_matches_evaluate(spec: Spec) -> None:
    plans = all_plans(spec)
    compiled = compile_spec(spec)
    got = decide_many(compiled, plans)
    valid = brute.valid_selections(spec)
    assert [brute.met(valid, m) for m in range(len(plans))] == got.tolist()
    grouped = decide_many(compile_spec(spec, lookup=False), plans)
    assert grouped.tolist() == got.tolist()
    numbers = [u.number for u in spec.units]
    for row in plans[:: max(1, len(plans) // 24)]:
        chosen = [numbers[i] for i in np.flatnonzero(row)]
        assert evaluate(spec, chosen).met == got[brute.masks(spec, chosen)]
