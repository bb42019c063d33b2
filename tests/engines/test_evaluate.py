"""Evaluation on the two hand-built qualifications, worked by hand."""

from __future__ import annotations

import itertools

import pytest

from assay.engines.combination.evaluate import Decision, UnknownUnit, evaluate
from assay.engines.combination.model import (
    AtLeast,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    InvalidSpec,
    Mandatory,
    Measure,
    Spec,
    Unit,
    Where,
)

from .specs import city_and_guilds_4430_04, edexcel_level_3

CG = city_and_guilds_4430_04()
ED = edexcel_level_3()


def rule(decision: Decision, rule_id: str) -> tuple[bool, str, int | None, int | None]:
    [r] = [r for r in decision.rules if r.rule_id == rule_id]
    return r.met, r.explanation, r.have, r.need


def test_cg_short_of_credits_and_level_4_credits() -> None:
    # 401 10 + 402 10 + 303 6 + 307 6 + 310 6 + 313 8 = 46 credits, 20 of them at level 4.
    d = evaluate(CG, ["401", "402", "303", "307", "310", "313"])
    assert not d.met
    assert d.total_credits == 46
    assert rule(d, "total") == (False, "has 46 of 67 credits: needs 21 more", 46, 67)
    assert rule(d, "l4") == (
        False,
        "has 20 of 35 credits at level 4 or above: needs 15 more",
        20,
        35,
    )
    assert rule(d, "groups") == (True, "at least 1 unit from each of the 4 groups", 4, 4)
    assert (
        d.summary
        == "Not yet achieved: needs 21 more credits, of which at least 15 at level 4 or above."
    )


MINIMAL = ["401", "402", "303", "404", "406", "410", "413"]


def test_cg_minimal_achieving_set() -> None:
    # 20 + 6 + 11 + 10 + 10 + 11 = 68 credits (62 at level 4), one unit per group.
    d = evaluate(CG, MINIMAL)
    assert d.met
    assert d.total_credits == 68
    assert d.counted_units == ("401", "402", "303", "404", "406", "410", "413")
    assert rule(d, "l4") == (True, "has 62 credits at level 4 or above (35 needed)", 62, 35)
    assert d.summary == "Achieved with units 401, 402, 303, 404, 406, 410, 413."
    for smaller in itertools.combinations(MINIMAL, len(MINIMAL) - 1):
        assert not evaluate(CG, smaller).met


def test_cg_missing_a_mandatory_unit() -> None:
    d = evaluate(CG, ["401", "303", "404", "406", "410", "413", "415"])  # 69 credits
    assert not d.met
    assert rule(d, "m") == (False, "missing mandatory unit 402", 1, 2)
    assert rule(d, "total")[0]
    assert d.summary == "Not yet achieved: needs unit 402."


def test_cg_missing_a_group() -> None:
    d = evaluate(CG, ["401", "402", "403", "404", "405", "406", "313"])  # 67 credits
    assert not d.met
    assert rule(d, "groups") == (False, "no unit yet from group handling-problems", 3, 4)
    assert d.summary == "Not yet achieved: needs a unit from handling-problems."


def test_cg_summary_combines_every_shortfall() -> None:
    # 20 + 10 (403) at level 4, then 304 8 + 309 7 + 317 10: 55 credits, 30 at level 4.
    d = evaluate(CG, ["401", "402", "403", "304", "309", "317"])
    assert rule(d, "total")[1] == "has 55 of 67 credits: needs 12 more"
    assert rule(d, "l4")[1] == "has 30 of 35 credits at level 4 or above: needs 5 more"
    assert d.summary == (
        "Not yet achieved: needs 12 more credits, of which at least 5 at level 4 or above; "
        "needs a unit from handling-problems."
    )


def test_edexcel_four_level_2_options_and_six_options_is_short() -> None:
    # Six options, but four are level 2 and only three of those may count: five count.
    d = evaluate(ED, ["7", "8", "13", "14", "15", "22", "32", "39"])
    assert not d.met
    assert d.total_credits is None
    assert d.counted_units == ("7", "8", "13", "14", "22", "32", "39")  # 22 kept for delivery
    assert rule(d, "options") == (
        False,
        "has 5 of 6 optional units: needs 1 more (6 achieved, but not all can count)",
        5,
        6,
    )
    assert rule(d, "themes")[0]
    assert rule(d, "l2") == (True, "4 level 2 units achieved; only 3 can count", 3, 3)
    assert d.summary == (
        "Not yet achieved: needs 1 more optional unit. "
        "Shown for the best choice the caps allow: 4 level 2 units achieved; only 3 can count."
    )


def test_edexcel_achieves_with_three_of_four_level_2_counted() -> None:
    d = evaluate(ED, ["7", "8", "13", "14", "15", "22", "32", "39", "40"])
    assert d.met
    assert d.counted_units == ("7", "8", "13", "14", "22", "32", "39", "40")
    assert rule(d, "themes") == (True, "at least 1 unit from each of the 4 groups", 4, 4)
    assert rule(d, "l2") == (True, "4 level 2 units achieved; only 3 can count", 3, 3)
    assert d.summary == "Achieved with units 7, 8, 13, 14, 22, 32, 39, 40; not counted: 15."


def test_edexcel_five_level_2_units() -> None:
    # Options 13 14 15 22 23 (level 2) and 32: at most 3 + 1 = 4 count, and no development unit.
    d = evaluate(ED, ["7", "8", "13", "14", "15", "22", "23", "32"])
    assert not d.met
    assert d.counted_units == ("7", "8", "13", "14", "22", "32")
    assert rule(d, "options")[2:] == (4, 6)
    assert rule(d, "themes") == (
        False,
        "no unit yet from group development-and-improvement",
        3,
        4,
    )
    assert d.summary == (
        "Not yet achieved: needs 2 more optional units; needs a unit from "
        "development-and-improvement. Shown for the best choice the caps allow: "
        "5 level 2 units achieved; only 3 can count."
    )


def test_unknown_units_raise_and_duplicates_are_ignored() -> None:
    with pytest.raises(UnknownUnit) as caught:
        evaluate(CG, ["401", "999"])
    assert caught.value.number == "999"
    with pytest.raises(TypeError):
        evaluate(CG, "401")
    assert evaluate(CG, MINIMAL + MINIMAL) == evaluate(CG, MINIMAL)


def test_equivalent_satisfies_mandatory_and_barred_units_count_once() -> None:
    units = tuple(Unit(n, 3, "g", credit=c) for n, c in [("1", 5), ("1b", 6), ("2", 4), ("3", 4)])
    spec = Spec(
        "toy",
        units,
        (
            Mandatory("m", "", ("1",)),
            Equivalent("eq", "", ("1", "1b")),
            Barred("bar", "", ("2", "3")),
            AtLeast("c", "", Measure.CREDIT, 10),
        ),
    )
    d = evaluate(spec, ["1", "1b", "2", "3"])
    assert d.met
    assert d.counted_units == ("1b", "2")  # most credit: 1b (6) over 1 (5); 2 before 3
    assert rule(d, "m")[1] == "mandatory unit 1 counted (1 through equivalent 1b)"
    assert rule(d, "eq")[1] == "units 1 and 1b are equivalent: only one can count (1b counted)"
    assert rule(d, "bar")[1] == "units 2 and 3 are barred together: only one can count (2 counted)"
    assert not evaluate(spec, ["1", "2", "3"]).met  # 5 + 4: the barred pair counts once


def test_exactly_counts_only_what_it_allows() -> None:
    units = tuple(Unit(str(i), 3, "opt", credit=5) for i in range(5))
    spec = Spec("toy", units, (Exactly("x", "", Measure.UNITS, 3, Where(group="opt")),))
    d = evaluate(spec, ["0", "1", "2", "3"])
    assert d.met and d.counted_units == ("0", "1", "2") and d.total_credits == 15
    assert rule(d, "x") == (True, "4 units from group opt achieved; exactly 3 count", 3, 3)
    d = evaluate(spec, ["4", "2"])
    assert rule(d, "x") == (False, "has 2 of 3 units from group opt: needs 1 more", 2, 3)
    assert d.summary == "Not yet achieved: needs 1 more unit from group opt."


def test_specs_naming_what_they_lack_are_rejected() -> None:
    units = (Unit("1", 3, "g"),)
    for bad in (
        Mandatory("m", "", ("2",)),
        EachGroup("e", "", Measure.UNITS, 1, ("nope",)),
        Barred("b", "", ("1", "2")),
    ):
        with pytest.raises(InvalidSpec):
            evaluate(Spec("bad", units, (bad,)), [])


def test_each_result_carries_its_rule_so_a_cap_is_known_as_one() -> None:
    d = evaluate(ED, [])
    assert [r.rule for r in d.rules] == list(ED.rules)
    assert {r.rule_id for r in d.rules if r.is_cap} == {"l2"}
