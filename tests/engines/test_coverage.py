"""The coverage engine on hand-worked units of the real 4430-04 catalogue file, and properties."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assay.catalogue.combination import engine_spec
from assay.engines.combination.planner import Objective, complete
from assay.engines.coverage import (
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    RangeRequirement,
    SignOff,
    UnitCoverage,
    UnitRequirements,
    UnitState,
    qualification_coverage,
    requirements_from_spec,
    reuse_scores,
    unit_coverage,
    unit_statements,
)

from .strategies import FAST

SPEC_FILE = Path(__file__).parents[2] / "assay/catalogue/library/cg-4430-04.yaml"
C = MappingStatus.CONFIRMED
P = MappingStatus.PROPOSED
R = MappingStatus.REJECTED
JOB, RWE, SIM = Context.REAL_JOB, Context.REALISTIC_ENVIRONMENT, Context.SIMULATION
DAY = date(2011, 1, 10)


@cache
def catalogue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return data


def unit(number: str) -> UnitRequirements:
    (found,) = [u for u in catalogue()["units"] if u["number"] == number]
    return requirements_from_spec(found)


def ev(
    id: str, context: Context = JOB, days: int = 0, long: int = 0, flag: bool = False
) -> Evidence:
    start = DAY + timedelta(days=days)
    return Evidence(id, context, start, start + timedelta(days=long), flag)


def maps(evidence_id: str, number: str, targets: str, status: MappingStatus = C) -> list[Mapping]:
    return [Mapping(evidence_id, number, t, status) for t in targets.split()]


def everything(req: UnitRequirements, evidence_id: str = "E1") -> list[Mapping]:
    """One item confirmed for every criterion and every range item."""
    targets = list(req.criteria) + [f"{r.requirement}{k}" for r in req.ranges for k in r.items]
    return [Mapping(evidence_id, req.number, t, C) for t in targets]


def all_met(req: UnitRequirements) -> list[Judgement]:
    return [Judgement(req.number, c, True) for c in req.criteria]


def ranges(cov: UnitCoverage) -> dict[str, str]:
    return {r.requirement: r.explanation for r in cov.ranges}


def test_requirements_read_from_the_catalogue() -> None:
    u403 = unit("403")
    assert len(u403.criteria) == 21 and u403.criteria[:2] == ("1.1", "1.2")
    assert u403.ranges == (
        RangeRequirement("4", None, ("a", "b")),
        RangeRequirement("5", None, ("a", "b", "c")),
        RangeRequirement("6", 2, ("a", "b", "c", "d", "e")),
        RangeRequirement("7", None, ("a", "b", "c")),
    )
    assert u403.allowed_contexts == {JOB} and not u403.simulation_exception
    assert u403.credit == 10
    assert unit("407").ranges[1] == RangeRequirement("6", 3, ("a", "b", "c", "d", "e"))
    assert unit("405").simulation_exception and unit("405").allowed_contexts == {JOB}
    assert not unit("401").simulation_exception
    with pytest.raises(ValueError, match="303 has no assessment criteria"):
        unit("303")  # the catalogue lists the level 3 units without their details


def test_unit_403_part_covered_explains_exactly() -> None:
    req = unit("403")
    evidence = [ev("E1"), ev("E2", days=5), ev("E3", days=9)]
    mappings = [
        *maps("E1", "403", "1.1 1.2 4a 6c 7a 7b"),
        *maps("E2", "403", "6a 1.2", P),  # proposed: not counted yet
        *maps("E3", "403", "4b 5a", R),  # rejected: never counted
        *maps("E3", "401", "1.1"),  # another unit's mapping is ignored
    ]
    judgements = [Judgement("403", "1.1", True), Judgement("403", "1.3", False)]
    cov = unit_coverage(req, evidence, mappings, judgements, None)
    assert ranges(cov) == {
        "4": "all of a, b: needs b",
        "5": "all of a, b, c: needs a, b and c",
        "6": "covers c of a–e; needs 1 more of a, b, d, e",
        "7": "all of a, b, c: needs c",
    }
    assert [(r.covered, r.missing_count, r.done) for r in cov.ranges] == [
        (("a",), 1, False),
        ((), 3, False),
        (("c",), 1, False),
        (("a", "b"), 1, False),
    ]
    c11, c12, c13, c14 = cov.criteria[:4]
    assert (c11.evidenced_by, c11.judged_met, c11.done, c11.missing) == (("E1",), True, True, None)
    assert c12.evidenced_by == ("E1",) and c12.proposed_by == ("E2",)
    assert c12.missing == "awaiting the assessor's judgement"
    assert c13.missing == "judged not yet met"
    assert c14.missing == "no evidence yet"
    assert cov.reasons[:3] == (
        "criterion 1.2: awaiting the assessor's judgement",
        "criterion 1.3: judged not yet met",
        "criterion 1.4: no evidence yet",
    )
    assert cov.reasons[-5:] == (
        "evidence requirement 4: all of a, b: needs b",
        "evidence requirement 5: all of a, b, c: needs a, b and c",
        "evidence requirement 6: covers c of a–e; needs 1 more of a, b, d, e",
        "evidence requirement 7: all of a, b, c: needs c",
        "the assessor has not yet recorded the evidence period as sufficient "
        "(0 days, 10/01/2011 to 10/01/2011)",
    )
    assert cov.progress == 1 / 25 and not cov.ready_to_sign_off
    assert cov.span is not None and cov.span.days == 0  # E2 and E3 are not relied on


def test_proposed_then_confirmed_then_judged() -> None:
    req = unit("403")
    cov = unit_coverage(req, [ev("E2")], maps("E2", "403", "1.2 6a", P), [], 0)
    assert cov.criteria[1].missing == "evidence E2 proposed, awaiting confirmation"
    assert ranges(cov)["6"] == "covers none of a–e; needs 2 of a, b, c, d, e"
    judged = [Judgement("403", "1.2", True)]
    cov = unit_coverage(req, [ev("E2")], maps("E2", "403", "1.2", R), judged, 0)
    assert cov.criteria[1].missing == "judged met, but no confirmed evidence supports it"
    cov = unit_coverage(req, [ev("E2")], maps("E2", "403", "1.2"), judged, 0)
    assert cov.criteria[1].done


def test_three_of_a_to_e_in_unit_407() -> None:
    req = unit("407")
    evidence = [ev("E1"), ev("E2")]
    two = maps("E1", "407", "6a 6c") + maps("E2", "407", "6b", P)
    (_, six) = unit_coverage(req, evidence, two, [], 0).ranges
    assert (six.select, six.covered, six.missing_count, six.done) == (3, ("a", "c"), 1, False)
    assert six.explanation == "covers a and c of a–e; needs 1 more of b, d, e"
    three = two + maps("E2", "407", "6e")
    (_, six) = unit_coverage(req, evidence, three, [], 0).ranges
    assert (six.covered, six.missing_count, six.done) == (("a", "c", "e"), 0, True)
    assert six.explanation == "covers a, c and e of a–e; 3 needed, done"
    five = three + maps("E1", "407", "6b 6d")
    (_, six) = unit_coverage(req, evidence, five, [], 0).ranges
    assert six.done and six.covered == ("a", "b", "c", "d", "e")


def test_unit_405_accepts_a_staged_emergency_drill_only_when_flagged() -> None:
    req = unit("405")
    drill = ev("D1", SIM, flag=True)
    cov = unit_coverage(req, [drill], maps("D1", "405", "2.7"), [], 0)
    assert cov.context_problems == () and cov.criteria[11].evidenced_by == ("D1",)
    plain = ev("D1", SIM)
    cov = unit_coverage(req, [plain], maps("D1", "405", "2.7"), [], 0)
    assert cov.criteria[11].evidenced_by == ()
    assert cov.context_problems == (
        "evidence D1 is from a simulation, not marked as the unit's exception; unit 405 accepts "
        "a real job only, and a simulation only as its stated exception (relied on for 2.7)",
    )
    assert cov.context_problems[0] in cov.reasons


def test_unit_401_accepts_no_simulation_even_when_flagged() -> None:
    req = unit("401")
    cov = unit_coverage(req, [ev("S1", SIM, flag=True)], maps("S1", "401", "1.1 1.2"), [], 0)
    assert cov.criteria[0].evidenced_by == () and cov.span is None
    assert cov.context_problems == (
        "evidence S1 is from a simulation; unit 401 accepts a real job only "
        "(relied on for 1.1 and 1.2)",
    )
    # Only what is relied on is a problem: a proposal or a rejected mapping is not.
    for status in (P, R):
        cov = unit_coverage(req, [ev("S1", SIM)], maps("S1", "401", "1.1", status), [], 0)
        assert cov.context_problems == ()


def test_realistic_working_environment_is_refused_at_level_4() -> None:
    req = unit("403")
    evidence = [ev("E1"), ev("W1", RWE)]
    mappings = everything(req) + maps("W1", "403", "6b 1.1")
    cov = unit_coverage(req, evidence, mappings, all_met(req), 0)
    assert cov.progress == 1.0 and not cov.ready_to_sign_off
    assert cov.reasons == (
        "evidence W1 is from a realistic working environment; unit 403 accepts a real job only "
        "(relied on for 1.1 and 6b)",
    )
    rejected = everything(req) + maps("W1", "403", "6b 1.1", R)
    assert unit_coverage(req, evidence, rejected, all_met(req), 0).ready_to_sign_off


def test_span_sufficient_or_not() -> None:
    req = unit("407")
    evidence = [ev("E1", days=0, long=3), ev("E2", days=90, long=10), ev("E3", days=400)]
    mappings = everything(req, "E1") + maps("E2", "407", "2.1") + maps("E3", "407", "2.2", P)
    judged = all_met(req)
    cov = unit_coverage(req, evidence, mappings, judged, 100)
    assert cov.span is not None and (cov.span.start, cov.span.end, cov.span.days) == (
        date(2011, 1, 10),
        date(2011, 4, 20),
        100,
    )
    assert cov.span_sufficient and cov.ready_to_sign_off and cov.reasons == ()
    cov = unit_coverage(req, evidence, mappings, judged, 120)
    assert not cov.span_sufficient and cov.reasons == (
        "evidence spans 100 days, 10/01/2011 to 20/04/2011; the assessor requires 120 days",
    )
    cov = unit_coverage(req, evidence, mappings, judged, None)
    assert not cov.ready_to_sign_off and cov.progress == 1.0
    cov = unit_coverage(req, evidence, [], [], 0)
    assert cov.span is None and cov.reasons[-1] == (
        "no confirmed evidence yet, so no period to judge"
    )


def test_everything_met_is_ready() -> None:
    for number in ("401", "403", "405", "407", "416"):
        req = unit(number)
        cov = unit_coverage(req, [ev("E1", long=60)], everything(req), all_met(req), 60)
        assert cov.ready_to_sign_off and cov.reasons == () and cov.progress == 1.0
        assert all(c.done for c in cov.criteria) and all(r.done for r in cov.ranges)


def test_inconsistent_input_is_refused() -> None:
    req = unit("403")
    with pytest.raises(ValueError, match="no range item '6f'"):
        unit_coverage(req, [ev("E1")], maps("E1", "403", "6f"), [], 0)
    with pytest.raises(ValueError, match=re.escape("no criterion '9.9'")):
        unit_coverage(req, [ev("E1")], maps("E1", "403", "9.9"), [], 0)
    with pytest.raises(ValueError, match="unknown evidence E9"):
        unit_coverage(req, [ev("E1")], maps("E9", "403", "1.1"), [], 0)
    with pytest.raises(ValueError, match=re.escape("mapped to 403 1.1 twice")):
        unit_coverage(req, [ev("E1")], maps("E1", "403", "1.1 1.1"), [], 0)
    twice = [Judgement("403", "1.1", True), Judgement("403", "1.1", False)]
    with pytest.raises(ValueError, match="judged twice"):
        unit_coverage(req, [ev("E1")], [], twice, 0)
    with pytest.raises(ValueError, match="select 6 of 5"):
        RangeRequirement("6", 6, ("a", "b", "c", "d", "e"))
    with pytest.raises(ValueError, match="ends"):
        Evidence("E1", JOB, DAY, DAY - timedelta(days=1))


def test_qualification_counts_signed_off_units_only() -> None:
    spec = engine_spec(catalogue())
    covs = {n: unit_coverage(unit(n), [ev("E1")], [], [], None) for n in ("403", "405")}
    req = unit("407")
    covs["407"] = unit_coverage(req, [ev("E1")], everything(req), all_met(req), 0)
    q = qualification_coverage(covs, {"401", SignOff("402")}, spec)
    assert q.credits_achieved == 20 and q.signed_off == ("401", "402")
    assert not q.decision.met and q.decision.total_credits == 20
    assert [(u.unit, u.state, u.progress) for u in q.units] == [
        ("401", UnitState.SIGNED_OFF, 1.0),
        ("402", UnitState.SIGNED_OFF, 1.0),
        ("403", UnitState.NOT_STARTED, 0.0),
        ("405", UnitState.NOT_STARTED, 0.0),
        ("407", UnitState.READY, 1.0),
    ]
    done = ["401", "402", "303", "403", "406", "311", "413"]
    q = qualification_coverage({}, done, spec)
    assert q.decision.met and q.credits_achieved == 67


def test_planner_prefers_the_unit_already_partly_evidenced() -> None:
    spec = engine_spec(catalogue())
    before = complete(spec, ["401", "402"], objective=Objective.MOST_REUSE)
    assert "405" not in before.add
    req = unit("405")
    cov = unit_coverage(req, [ev("E1")], maps("E1", "405", "1.1 1.2 1.3"), [], None)
    scores = reuse_scores({"405": cov})
    assert scores == {"405": 3 / 21}
    after = complete(spec, ["401", "402"], objective=Objective.MOST_REUSE, reuse=scores)
    assert after.feasible and "405" in after.add and len(after.add) == len(before.add)


# --- properties on small random units -------------------------------------------------------


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[UnitRequirements, list[Evidence], list[Mapping], Any]:
    criteria = tuple(f"1.{i}" for i in range(1, draw(st.integers(1, 3)) + 1))
    rrs = tuple(
        RangeRequirement(str(n), draw(st.sampled_from([None, 1, 2])), ("a", "b", "c"))
        for n in range(4, 4 + draw(st.integers(0, 2)))
    )
    req = UnitRequirements(
        "405",
        criteria,
        rrs,
        draw(st.sampled_from([frozenset({JOB}), frozenset(Context)])),
        simulation_exception=draw(st.booleans()),
    )
    evidence = [
        ev(
            f"E{i}",
            draw(st.sampled_from(list(Context))),
            draw(st.integers(0, 9)),
            0,
            draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    targets = list(criteria) + [f"{r.requirement}{k}" for r in rrs for k in r.items]
    pairs = st.tuples(st.sampled_from([e.id for e in evidence]), st.sampled_from(targets))
    chosen = draw(st.lists(pairs, unique=True, max_size=12))
    statuses = st.sampled_from(list(MappingStatus))
    mappings = [Mapping(e, "405", t, draw(statuses)) for e, t in chosen]
    judged = [
        Judgement("405", c, m)
        for c in criteria
        if (m := draw(st.sampled_from([True, False, None]))) is not None
    ]
    return req, evidence, mappings, (judged, draw(st.sampled_from([None, 0, 5])), draw(pairs))


def measure(cov: UnitCoverage) -> set[tuple[str, ...]]:
    """Everything coverage can gain: evidence per criterion, items, done flags."""
    out: set[tuple[str, ...]] = {("c", c.number, e) for c in cov.criteria for e in c.evidenced_by}
    out |= {("r", r.requirement, k) for r in cov.ranges for k in r.covered}
    out |= {("done", c.number) for c in cov.criteria if c.done}
    return out | {("done", r.requirement) for r in cov.ranges if r.done}


def with_status(
    mappings: list[Mapping], pair: tuple[str, str], status: MappingStatus
) -> list[Mapping]:
    kept = [m for m in mappings if (m.evidence_id, m.target) != pair]
    return [*kept, Mapping(pair[0], "405", pair[1], status)]


@FAST
@given(portfolios())
def test_confirming_never_reduces_and_rejecting_never_increases(data: Any) -> None:
    req, evidence, mappings, (judged, span, pair) = data
    now = unit_coverage(req, evidence, mappings, judged, span)
    more = unit_coverage(req, evidence, with_status(mappings, pair, C), judged, span)
    less = unit_coverage(req, evidence, with_status(mappings, pair, R), judged, span)
    assert measure(now) <= measure(more) and now.progress <= more.progress
    assert measure(less) <= measure(now) and less.progress <= now.progress
    # Readiness may rise only by rejecting evidence from a forbidden context.
    if less.ready_to_sign_off and not now.ready_to_sign_off:
        assert now.context_problems and not less.context_problems


@FAST
@given(portfolios())
def test_ready_means_everything_done(data: Any) -> None:
    req, evidence, mappings, (judged, span, _) = data
    for cov in (
        unit_coverage(req, evidence, mappings, judged, span),
        unit_coverage(req, evidence, everything(req, evidence[0].id), all_met(req), span),
    ):
        assert cov.ready_to_sign_off == (cov.reasons == ())
        if cov.ready_to_sign_off:
            assert all(c.done for c in cov.criteria) and all(r.done for r in cov.ranges)
            assert cov.progress == 1.0 and cov.context_problems == () and cov.span_sufficient
        assert 0.0 <= cov.progress <= 1.0
        assert reuse_scores([cov])[req.number] >= sum(c.done for c in cov.criteria) / len(
            req.criteria
        )


def test_a_unit_with_elements_only_is_assessed_by_element() -> None:
    """Edexcel L3 units list elements, not criteria: the elements take the criteria's place."""
    unit = {
        "number": "7",
        "elements": [
            {"number": "7.1", "title": "Use accepted customer service language"},
            {"number": "7.2", "title": "Place customer service principles in context"},
        ],
    }
    statements = unit_statements(unit)
    assert [(s.target, s.kind) for s in statements] == [("7.1", "element"), ("7.2", "element")]
    assert requirements_from_spec(unit).criteria == ("7.1", "7.2")


def test_criteria_win_over_elements() -> None:
    unit = {
        "number": "1",
        "outcomes": [{"criteria": [{"number": "1.1", "text": "explain"}]}],
        "elements": [{"number": "1.9", "title": "not used"}],
    }
    assert [s.target for s in unit_statements(unit)] == ["1.1"]
