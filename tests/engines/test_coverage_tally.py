"""Coverage from aggregated rows (``coverage_from_tallies``) against the item-by-item engine
(``unit_coverage``) on random portfolios: every decision, reason and example id equal."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.engines.coverage import (
    EXAMPLES,
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    RangeRequirement,
    UnitRequirements,
    admissible,
    coverage_from_tallies,
    tally,
    unit_coverage,
)

DAY = date(2012, 1, 2)
CRITERIA = ("1.1", "1.2", "2.1")
RANGES = (RangeRequirement("6", 2, ("a", "b", "c")), RangeRequirement("7", None, ("a", "b")))
TARGETS = (*CRITERIA, "6a", "6b", "6c", "7a", "7b")


@st.composite
def units(draw: st.DrawFn) -> UnitRequirements:
    allowed = draw(st.frozensets(st.sampled_from(list(Context)), min_size=1))
    return UnitRequirements(
        number="301",
        criteria=CRITERIA,
        ranges=RANGES,
        allowed_contexts=allowed,
        simulation_exception=draw(st.booleans()),
    )


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[Evidence], list[Mapping]]:
    # Many items on few days, so ties in date are ordered by id (10 after 9, as in SQL).
    n = draw(st.integers(0, 30))
    evidence = []
    for i in range(1, n + 1):
        start = DAY + timedelta(days=draw(st.integers(0, 4)))
        evidence.append(
            Evidence(
                id=str(i),
                context=draw(st.sampled_from(list(Context))),
                start=start,
                end=start + timedelta(days=draw(st.integers(0, 3))),
                simulation_exception=draw(st.booleans()),
            )
        )
    mappings = []
    for e in evidence:
        for target in draw(st.sets(st.sampled_from(TARGETS), max_size=4)):
            status = draw(st.sampled_from(list(MappingStatus)))
            unit = draw(st.sampled_from(["301", "301", "302"]))
            if unit == "302" and target not in CRITERIA:
                continue
            mappings.append(Mapping(e.id, unit, target, status))
    return evidence, mappings


judgements = st.lists(
    st.tuples(st.sampled_from(CRITERIA), st.booleans()), unique_by=lambda j: j[0]
).map(lambda js: [Judgement("301", c, met) for c, met in js])


@settings(max_examples=150, deadline=None)
@given(units(), portfolios(), judgements, st.one_of(st.none(), st.integers(0, 6)))
def test_aggregated_equals_item_by_item(
    req: UnitRequirements,
    portfolio: tuple[list[Evidence], list[Mapping]],
    judged: list[Judgement],
    span_days: int | None,
) -> None:
    evidence, mappings = portfolio
    tallies, reliance, relied = tally(evidence, mappings)
    outside = sum(1 for r in relied if r.unit == "301" and not admissible(req, r.evidence))
    expected = unit_coverage(req, evidence, mappings, judged, span_days)
    found = coverage_from_tallies(req, tallies, reliance, relied, outside, judged, span_days)
    assert found == expected


def test_many_proposals_are_counted_not_listed() -> None:
    req = UnitRequirements("301", ("1.1",), (), frozenset(Context))
    evidence = [Evidence(str(i), Context.REAL_JOB, DAY, DAY) for i in range(1, 13)]
    mappings = [Mapping(e.id, "301", "1.1", MappingStatus.PROPOSED) for e in evidence]
    state = unit_coverage(req, evidence, mappings, [], None).criteria[0]
    assert state.proposed == 12 and state.proposed_by == ("1", "2", "3", "4", "5")
    assert len(state.proposed_by) == EXAMPLES
    assert state.missing == "evidence 1, 2, 3, 4, 5 and 7 more proposed, awaiting confirmation"


def test_context_problems_name_the_earliest_and_count_the_rest() -> None:
    req = UnitRequirements("301", ("1.1",), (), frozenset({Context.REAL_JOB}))
    evidence = [Evidence(str(i), Context.SIMULATION, DAY, DAY) for i in range(1, 9)]
    mappings = [Mapping(e.id, "301", "1.1", MappingStatus.CONFIRMED) for e in evidence]
    cov = unit_coverage(req, evidence, mappings, [], None)
    assert len(cov.context_problems) == EXAMPLES + 1
    assert cov.context_problems[0].startswith("evidence 1 is from a simulation")
    assert cov.context_problems[-1] == (
        "3 more evidence items relied on for unit 301 are from contexts it does not accept"
    )
    assert not cov.ready_to_sign_off
