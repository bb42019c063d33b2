"""ADR 0010 in the engines: a unit whose content is not in the catalogue is reported with the
one wording, never raised; credited units count as achieved; progress never calls such a unit
green or complete until it is credited."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.catalogue.combination import engine_spec
from assay.engines.coverage import (
    NO_CONTENT,
    UnitState,
    coverage_without_content,
    has_content,
    qualification_coverage,
    requirements_from_spec,
    reuse_scores,
    unit_coverage,
)
from assay.engines.progress import Progress, Rag, rag_status

from .strategies import FAST
from .test_coverage import catalogue, ev, unit

EMPTY = {str(n) for n in range(303, 319)}


def test_exactly_the_level_3_options_have_no_content() -> None:
    units = catalogue()["units"]
    assert {u["number"] for u in units if not has_content(u)} == EMPTY
    with pytest.raises(ValueError, match="unit 310 has no assessment criteria"):
        requirements_from_spec(next(u for u in units if u["number"] == "310"))


def test_a_unit_without_content_is_reported_with_the_wording() -> None:
    cov = coverage_without_content("310")
    assert NO_CONTENT == (
        "content not in this catalogue: achieved by credit transfer or once its specification "
        "is imported"
    )
    assert cov.reasons == (NO_CONTENT,) and not cov.assessable
    assert not cov.ready_to_sign_off and cov.progress == 0.0 and not cov.started
    assert reuse_scores({"310": cov}) == {"310": 0.0}


def test_progress_shows_it_not_assessable_until_credited() -> None:
    spec = engine_spec(catalogue())
    covs = {
        "310": coverage_without_content("310"),
        "403": unit_coverage(unit("403"), [ev("E1")], [], [], None),
    }
    q = qualification_coverage(covs, ["401"], spec)
    assert [(u.unit, u.state, u.missing) for u in q.units if u.unit == "310"] == [
        ("310", UnitState.NOT_ASSESSABLE, (NO_CONTENT,))
    ]
    assert q.credits_achieved == 10 and q.credited == ()
    q = qualification_coverage(covs, ["401"], spec, credited=["310", "402"])
    states = {u.unit: u.state for u in q.units}
    assert states["310"] is UnitState.CREDITED and states["402"] is UnitState.CREDITED
    assert q.credited == ("402", "310") and q.signed_off == ("401",)
    assert q.credits_achieved == 26 and q.decision.total_credits == 26


def test_credited_units_achieve_the_qualification() -> None:
    spec = engine_spec(catalogue())
    done = ["401", "402", "403", "406", "413"]
    assert not qualification_coverage({}, done, spec).decision.met
    assert qualification_coverage({}, done, spec, credited=["303", "311"]).decision.met


def progress(**kw: object) -> Progress:
    base: dict[str, object] = {
        "today": date(2013, 3, 1),
        "start": date(2012, 9, 1),
        "end": date(2014, 9, 1),
        "criteria_met": 10,
        "criteria_planned": 10,
        "units_planned": 2,
        "units_signed_off": 1,
    }
    return Progress(**{**base, **kw})  # type: ignore[arg-type]


def test_rag_names_the_unit_amber_with_the_wording() -> None:
    assert rag_status(progress()).status is Rag.GREEN
    rag = rag_status(progress(not_assessable=("310",)))
    assert rag.status is Rag.AMBER
    assert f"unit 310: {NO_CONTENT}" in rag.reasons


@FAST
@given(
    blocked=st.lists(st.sampled_from(sorted(EMPTY)), unique=True, min_size=1),
    met=st.integers(0, 40),
    planned=st.integers(0, 40),
    days=st.integers(-400, 1200),
)
def test_a_plan_with_an_uncredited_unit_without_content_is_never_green_or_complete(
    blocked: list[str], met: int, planned: int, days: int
) -> None:
    """Whatever else is true, the centre has to act on each such unit: never green, never
    complete, and every one of them named with the wording (or the registration is closed)."""
    from datetime import timedelta

    p = progress(
        today=date(2013, 3, 1) + timedelta(days=days),
        criteria_met=met,
        criteria_planned=planned,
        units_planned=len(blocked) + 1,
        units_signed_off=1,
        not_assessable=tuple(blocked),
    )
    rag = rag_status(p)
    assert rag.status not in {Rag.GREEN, Rag.COMPLETE}
    assert {f"unit {u}: {NO_CONTENT}" for u in blocked} <= set(rag.reasons)


@FAST
@given(st.sets(st.sampled_from(sorted(EMPTY | {"401", "402", "403", "405"}))))
def test_qualification_coverage_never_raises_for_units_without_content(units: set[str]) -> None:
    spec = engine_spec(catalogue())
    covs = {
        n: coverage_without_content(n)
        if n in EMPTY
        else unit_coverage(unit(n), [ev("E1")], [], [], None)
        for n in units
    }
    q = qualification_coverage(covs, [], spec)
    blocked = {u.unit for u in q.units if u.state is UnitState.NOT_ASSESSABLE}
    assert blocked == units & EMPTY
