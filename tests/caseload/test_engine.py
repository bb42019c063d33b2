"""``engines.progress.rag_status``: hand-worked cases on the boundaries of ADR 0008, then
properties (more progress never hurts; a later today never helps; past the end and unfinished
is red)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.progress import (
    DUE_SOON_DAYS,
    END_SOON_DAYS,
    TARGET_RED_DAYS,
    Progress,
    Rag,
    UnitTarget,
    rag_status,
)

# A 1000-day period makes every day exactly 0.1% of it.
START = date(2013, 1, 1)
END = START + timedelta(days=1000)  # 28/09/2015
HALF = START + timedelta(days=500)


def on_day(today: date, met: int, **extra: object) -> Progress:
    base = dict(today=today, start=START, end=END, criteria_met=met, criteria_planned=100)
    base.update(units_planned=2, credits_planned=20)
    base.update(extra)
    return Progress(**base)  # type: ignore[arg-type]


def test_the_brief_example_a_missed_unit_target_is_red_with_the_pace_beside_it() -> None:
    # Registered 03/09/2012 for 24 months; on 01/03/2013 179 of 730 days have gone (24%);
    # 5 of 16 criteria are met (31%): on pace, but unit 403 was due on 12/01/2013.
    rag = rag_status(
        Progress(
            today=date(2013, 3, 1),
            start=date(2012, 9, 3),
            end=date(2014, 9, 3),
            criteria_met=5,
            criteria_planned=16,
            units_planned=2,
            credits_planned=16,
            unit_targets=(UnitTarget("403", date(2013, 1, 12)),),
        )
    )
    assert rag.status is Rag.RED
    assert rag.reasons == (
        "unit 403 target date 12/01/2013 passed 48 days ago",
        "31% of criteria met at 24% of the registration period",
    )


def test_pace_boundaries_are_exact() -> None:
    day5 = HALF  # 50% of the period gone
    assert rag_status(on_day(day5, 40)).status is Rag.GREEN  # exactly 10 points behind
    amber = rag_status(on_day(day5, 39))
    assert amber.status is Rag.AMBER
    assert amber.reasons == (
        "39% of criteria met at 50% of the registration period: more than 10 points behind",
    )
    assert rag_status(on_day(day5, 25)).status is Rag.AMBER  # exactly 25 points behind
    red = rag_status(on_day(day5, 24))
    assert red.status is Rag.RED
    assert red.reasons[0] == (
        "24% of criteria met at 50% of the registration period: more than 25 points behind"
    )


def test_period_ending_soon_is_amber_and_ended_is_red() -> None:
    long_end = START + timedelta(days=400)

    def on(today: date) -> Progress:
        return Progress(
            today=today,
            start=START,
            end=long_end,
            criteria_met=100,
            criteria_planned=100,
            units_planned=1,
            credits_planned=5,
        )

    assert rag_status(on(long_end - timedelta(days=END_SOON_DAYS))).status is Rag.GREEN
    soon = rag_status(on(long_end - timedelta(days=END_SOON_DAYS - 1)))
    assert soon.status is Rag.AMBER
    assert "registration ends 05/02/2014, in 59 days" in soon.reasons
    assert "registration ends 05/02/2014, today" in rag_status(on(long_end)).reasons
    ended = rag_status(on(long_end + timedelta(days=3)))
    assert ended.status is Rag.RED
    assert (
        "registration period ended 05/02/2014, 3 days ago, and assessment is not complete"
        in ended.reasons
    )


def test_target_dates_due_soon_missed_and_long_missed() -> None:
    today = date(2013, 3, 1)

    def with_target(due: date) -> tuple[Rag, tuple[str, ...]]:
        rag = rag_status(
            Progress(
                today=today,
                start=date(2013, 2, 1),
                end=date(2015, 2, 1),
                criteria_met=1,
                criteria_planned=1,
                units_planned=1,
                credits_planned=5,
                unit_targets=(UnitTarget("401", due),),
            )
        )
        return rag.status, rag.reasons

    assert with_target(today + timedelta(days=DUE_SOON_DAYS))[0] is Rag.GREEN
    assert with_target(today + timedelta(days=DUE_SOON_DAYS - 1)) == (
        Rag.AMBER,
        (
            "unit 401 due in 13 days (14/03/2013)",
            "100% of criteria met at 3% of the registration period",
        ),
    )
    assert with_target(today)[1][0] == "unit 401 due today (01/03/2013)"
    late = with_target(today - timedelta(days=TARGET_RED_DAYS))
    assert (
        late[0] is Rag.AMBER and late[1][0] == "unit 401 target date 01/02/2013 passed 28 days ago"
    )
    assert with_target(today - timedelta(days=TARGET_RED_DAYS + 1))[0] is Rag.RED
    assert with_target(today - timedelta(days=1))[1][0].endswith("passed 1 day ago")


def test_activity_targets_count_like_unit_targets() -> None:
    p = on_day(date(2013, 1, 2), 100, activity_targets=(date(2012, 11, 1),))
    assert rag_status(on_day(date(2013, 1, 2), 100)).status is Rag.GREEN
    rag = rag_status(p)
    assert rag.status is Rag.RED
    assert rag.reasons[0] == "planned activity target date 01/11/2012 passed 62 days ago"


def test_complete_closed_and_no_plan() -> None:
    late = END + timedelta(days=1)
    done = on_day(late, 100, units_signed_off=2, credits_signed_off=20)
    assert rag_status(done) == rag_status(done).__class__(
        Rag.COMPLETE, ("all 2 planned units signed off",)
    )
    closed = rag_status(on_day(late, 0, closed="withdrawn"))
    assert (closed.status, closed.reasons) == (
        Rag.CLOSED,
        ("registration withdrawn: nothing to chase",),
    )
    empty = rag_status(Progress(today=date(2013, 1, 2), start=START, end=END))
    assert empty.status is Rag.AMBER
    assert "no units on the learning plan" in empty.reasons


def test_credits_count_when_they_are_the_better_measure() -> None:
    p = on_day(HALF, 0, criteria_planned=0, credits_signed_off=10)
    assert rag_status(p).reasons[0] == (
        "50% of planned credits signed off at 50% of the registration period"
    )


# --- properties -------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=1200)
counts = st.integers(min_value=0, max_value=60)


@st.composite
def progresses(draw: st.DrawFn) -> Progress:
    start = date(2012, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    end = start + timedelta(days=draw(st.integers(0, 900)))
    planned = draw(counts)
    units = draw(st.integers(0, 8))
    credits = draw(counts)
    return Progress(
        today=start + timedelta(days=draw(st.integers(-50, 1200))),
        start=start,
        end=end,
        criteria_met=draw(st.integers(0, planned)),
        criteria_planned=planned,
        credits_signed_off=draw(st.integers(0, credits)),
        credits_planned=credits,
        units_signed_off=draw(st.integers(0, units)),
        units_planned=units,
        unit_targets=tuple(
            UnitTarget(str(400 + i), start + timedelta(days=d))
            for i, d in enumerate(draw(st.lists(days, max_size=3)))
        ),
        activity_targets=tuple(start + timedelta(days=d) for d in draw(st.lists(days, max_size=2))),
    )


@given(progresses(), counts, counts, st.integers(0, 8))
def test_more_progress_never_makes_the_status_worse(
    p: Progress, criteria: int, credits: int, units: int
) -> None:
    better = dataclasses.replace(
        p,
        criteria_met=min(p.criteria_met + criteria, p.criteria_planned),
        credits_signed_off=min(p.credits_signed_off + credits, p.credits_planned),
        units_signed_off=min(p.units_signed_off + units, p.units_planned),
    )
    assert rag_status(better).status.rank >= rag_status(p).status.rank


@given(progresses(), st.integers(1, 800))
def test_a_later_today_never_makes_it_better(p: Progress, later: int) -> None:
    moved = dataclasses.replace(p, today=p.today + timedelta(days=later))
    assert rag_status(moved).status.rank <= rag_status(p).status.rank


@given(progresses())
def test_past_the_end_and_unfinished_is_red(p: Progress) -> None:
    rag = rag_status(p)
    assert rag.reasons  # never a colour without its why
    finished = p.units_planned > 0 and p.units_signed_off >= p.units_planned
    finished = finished and p.credits_signed_off >= p.credits_planned
    if p.today > p.end and not finished:
        assert rag.status is Rag.RED
    if finished:
        assert rag.status is Rag.COMPLETE


@given(progresses(), st.sampled_from(["withdrawn", "transferred", "expired", "completed"]))
def test_a_closed_registration_is_closed_whatever_else(p: Progress, status: str) -> None:
    assert rag_status(dataclasses.replace(p, closed=status)).status is Rag.CLOSED
