"""The planner on the hand-built qualifications: optimal, deterministic, honest when stuck."""

from __future__ import annotations

import pytest

from assay.engines.combination.model import UnknownUnit
from assay.engines.combination.planner import Objective, complete

from .specs import THEMES, city_and_guilds_4430_04, edexcel_level_3

CG = city_and_guilds_4430_04()
ED = edexcel_level_3()


def cg_fewest_glh() -> int:
    """Independent optimum: a knapsack over the optional units after 401 and 402 (20 credits,
    all level 4, 130 glh): state = (credits still needed, level 4 credits still needed,
    groups covered), value = least glh."""
    best: dict[tuple[int, int, frozenset[str]], int] = {(47, 15, frozenset()): 130}
    for unit in CG.units:
        if unit.mandatory:
            continue
        assert unit.credit is not None and unit.glh is not None
        for (credit, l4, groups), glh in list(best.items()):
            state = (
                max(0, credit - unit.credit),
                max(0, l4 - unit.credit) if unit.level >= 4 else l4,
                groups | {unit.group},
            )
            if glh + unit.glh < best.get(state, 10**9):
                best[state] = glh + unit.glh
    return best[(0, 0, frozenset(THEMES))]


def test_cg_from_nothing_is_optimal() -> None:
    plan = complete(CG, [])
    assert plan.feasible and plan.reason is None
    assert plan.objective == "fewest_glh"
    assert plan.added_glh == cg_fewest_glh() == 442
    assert plan.add == ("401", "402", "404", "405", "310", "413", "415")
    assert plan.decision is not None and plan.decision.met
    assert plan.decision.total_credits == 67


def test_cg_exclusions_that_empty_a_group() -> None:
    plan = complete(CG, [], exclude=["310", "311", "312", "410"])
    assert not plan.feasible and plan.add == () and plan.decision is None
    assert plan.reason == "no unit left in group handling-problems after exclusions"


def test_cg_exclusions_that_starve_level_4() -> None:
    level_4_options = [u.number for u in CG.units if u.level == 4 and not u.mandatory]
    plan = complete(CG, [], exclude=level_4_options)
    assert plan.reason == (
        "at most 20 credits at level 4 or above are available after exclusions; 35 needed"
    )
    plan = complete(CG, ["401"], exclude=["402"])
    assert plan.reason == "mandatory unit 402 is not available after exclusions"


def test_cg_completion_from_a_partial_plan() -> None:
    plan = complete(CG, ["401", "402", "303", "307", "310", "313"])
    assert plan.add == ("403", "404")  # 21 credits, all at level 4: 67 + 73 glh
    assert plan.added_glh == 140


def test_already_achieved_needs_nothing() -> None:
    plan = complete(CG, ["401", "402", "303", "404", "406", "410", "413"])
    assert plan.feasible and plan.add == () and plan.added_glh == 0
    assert plan.decision is not None and plan.decision.met


def test_edexcel_fewest_units() -> None:
    plan = complete(ED, [])  # no glh printed: falls back to fewest units
    assert plan.objective == "fewest_units"
    assert plan.add == ("7", "8", "13", "14", "15", "24", "32", "39")
    assert plan.added_glh is None
    plan = complete(ED, ["7", "8", "13", "14", "15", "22", "23", "32"])
    assert plan.add == ("18", "39")
    assert plan.decision is not None
    assert plan.decision.counted_units == ("7", "8", "13", "14", "18", "22", "32", "39")
    plan = complete(ED, [], exclude=["39", "40", "41", "42", "43"])
    assert plan.reason == "no unit left in group development-and-improvement after exclusions"


def test_edexcel_caps_explain_infeasibility() -> None:
    level_3_options = [u.number for u in ED.units if u.level == 3 and not u.mandatory]
    plan = complete(ED, [], exclude=level_3_options[1:])  # 18 and the five level 2 units left
    assert not plan.feasible
    assert plan.reason == (
        "no unit left in group handling-problems after exclusions; "
        "no unit left in group development-and-improvement after exclusions"
    )
    # Left: 32, 39 and the five level 2 options, of which only three may count.
    plan = complete(
        ED, [], exclude=["18", "19", "24", "25", "26", "33", "34", "40", "41", "42", "43"]
    )
    assert plan.reason == (
        "at most 5 optional units can count after exclusions "
        "(at most 3 level 2 units can count); 6 needed"
    )


def test_objectives_and_reuse() -> None:
    have = ["401", "402", "303", "404", "406", "413", "315"]  # 66 credits, no handling unit
    assert complete(CG, have).add == ("310",)  # 40 glh
    assert complete(CG, have, objective=Objective.FEWEST_UNITS).add == ("310",)
    reused = complete(CG, have, objective=Objective.MOST_REUSE, reuse={"311": 0.9})
    assert reused.add == ("311",) and reused.objective == "most_reuse"
    with pytest.raises(UnknownUnit):
        complete(CG, have, reuse={"999": 0.5})
    with pytest.raises(ValueError, match="between 0 and 1"):
        complete(CG, have, reuse={"311": 1.5})
