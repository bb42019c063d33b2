"""The pure rules of plans and reviews (assay.engines.reviews): hand-worked cases and
properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.reviews import (
    ActivityContent,
    PlanContent,
    UnitSnapshot,
    activity_errors,
    canonical_text,
    parse_target,
    plan_errors,
    progress_between,
)

KNOWN = {"401": ("1.1", "1.2"), "411": ("5.1", "5a", "5f")}
END = dt.date(2014, 9, 3)
MET = dt.date(2013, 2, 28)


def act(**kw: object) -> ActivityContent:
    values: dict[str, object] = {
        "description": "Observe",
        "method": "observation",
        "method_label": "Observation",
        "targets": ("401:1.1",),
        "target_date": dt.date(2013, 4, 30),
    }
    return ActivityContent(**{**values, **kw})  # type: ignore[arg-type]


def content(**kw: object) -> PlanContent:
    values: dict[str, object] = {
        "kind_label": "Assessment plan",
        "candidate": "Dan Smith",
        "qualification": "4430-04",
        "met_on": MET,
        "summary": "Start with 401",
        "notes": "",
        "next_review_on": None,
        "activities": (act(),),
    }
    return PlanContent(**{**values, **kw})  # type: ignore[arg-type]


def errors(a: ActivityContent) -> dict[str, str]:
    return activity_errors(
        a, known_targets=KNOWN, methods=("observation",), met_on=MET, end_date=END
    )


def test_parse_target() -> None:
    assert parse_target(" 411:5f ") == ("411", "5f")
    for bad in ("4011.1", ":1.1", "401:", ""):
        try:
            parse_target(bad)
        except ValueError as exc:
            assert "is not unit:target" in str(exc)
        else:
            raise AssertionError(bad)


def test_a_good_activity_has_no_errors_and_the_end_date_itself_is_allowed() -> None:
    assert errors(act(targets=("401:1.1", "411:5f"), target_date=END)) == {}


def test_every_problem_of_an_activity_at_once() -> None:
    got = errors(
        act(
            description=" ",
            method="x",
            targets=("402:1.1", "401:9"),
            target_date=END + dt.timedelta(1),
        )
    )
    assert got == {
        "description": "describe the activity",
        "method": "choose one of observation",
        "targets": "unit 402 is not on this candidate's learning plan; "
        "unit 401 has no criterion or range item '9'",
        "target_date": "target date 04/09/2014 is after the registration's end date 03/09/2014",
    }


def test_plan_errors() -> None:
    today = dt.date(2013, 3, 1)
    ok = dict(today=today, registered_on=dt.date(2012, 9, 3), end_date=END)
    assert plan_errors(content(), **ok) == {}  # type: ignore[arg-type]
    assert plan_errors(content(met_on=dt.date(2013, 3, 2), summary=""), **ok) == {  # type: ignore[arg-type]
        "met_on": "02/03/2013 is in the future (today is 01/03/2013)",
        "summary": "summarise what was agreed",
    }


def test_the_canonical_text_by_hand() -> None:
    text = canonical_text(content(notes=" Cover arranged ", next_review_on=dt.date(2013, 5, 1)))
    assert text == (
        "Assessment plan for Dan Smith on 4430-04\n"
        "Met on: 28/02/2013\n"
        "Summary: Start with 401\n"
        "Notes: Cover arranged\n"
        "Next review: 01/05/2013\n"
        "Planned activities:\n"
        "1. Observe — Observation — covers 401:1.1 — by 30/04/2013\n"
    )


texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Zs", "Cc"]), min_size=1, max_size=20
)


@given(summary=texts, other=texts, pad=st.sampled_from(["", " ", "\n", "  \t"]))
def test_the_text_changes_with_the_content_but_not_with_padding(
    summary: str, other: str, pad: str
) -> None:
    same = canonical_text(content(summary=summary)) == canonical_text(
        content(summary=pad + summary + pad)
    )
    assert same
    if summary.strip() != other.strip():
        assert canonical_text(content(summary=summary)) != canonical_text(content(summary=other))


snapshots = st.lists(
    st.builds(
        UnitSnapshot,
        unit=st.sampled_from(["401", "402", "403", "411"]),
        met=st.integers(0, 30),
        total=st.just(30),
        signed_off=st.booleans(),
    ),
    max_size=4,
    unique_by=lambda s: s.unit,
)


@given(before=snapshots, after=snapshots)
def test_progress_sums_to_the_change_in_the_later_units(
    before: list[UnitSnapshot], after: list[UnitSnapshot]
) -> None:
    changes = progress_between(before, after)
    assert [c.unit for c in changes] == [s.unit for s in after]
    earlier = {s.unit: s.met for s in before}
    assert sum(c.gained for c in changes) == sum(s.met - earlier.get(s.unit, 0) for s in after)
    for c in changes:
        assert c.newly_signed_off == (
            c.after.signed_off and not (c.before is not None and c.before.signed_off)
        )
