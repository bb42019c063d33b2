"""``engines.progress.rag_valid_until``: the last day a colour holds when only the date moves
on. Hand-worked cases on each kind of change date, then the property against brute force: every
day from today to the answer has today's colour and the day after does not (None: no change in
twenty years)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.engines.progress import (
    DUE_SOON_DAYS,
    END_SOON_DAYS,
    TARGET_RED_DAYS,
    Progress,
    Rag,
    UnitTarget,
    rag_status,
    rag_valid_until,
)

START = date(2013, 1, 1)
END = START + timedelta(days=1000)  # a 1000-day period: each day is 0.1% of it


def on_day(today: date, met: int, **extra: object) -> Progress:
    base = dict(today=today, start=START, end=END, criteria_met=met, criteria_planned=100)
    base.update(units_planned=2, credits_planned=20)
    base.update(extra)
    return Progress(**base)  # type: ignore[arg-type]


def status_on(p: Progress, day: date) -> Rag:
    return rag_status(dataclasses.replace(p, today=day)).status


def test_green_turns_amber_the_day_the_lag_exceeds_ten_points() -> None:
    # 40% met: the lag exceeds 10 points once more than 50% of the period (500 days) has gone,
    # so day 500 (exactly 10 points) is the last green day.
    p = on_day(START + timedelta(days=100), 40)
    assert rag_status(p).status is Rag.GREEN
    assert rag_valid_until(p) == START + timedelta(days=500)
    # ... and amber holds until more than 65% has gone (day 650 is the last amber one).
    amber = on_day(START + timedelta(days=501), 40)
    assert rag_status(amber).status is Rag.AMBER
    assert rag_valid_until(amber) == START + timedelta(days=650)


def test_a_fraction_of_a_day_rounds_to_the_next_whole_day() -> None:
    # A 7-day period, nothing done: lag > 10% once (d - start)/7 > 0.1, i.e. from day 1.
    p = Progress(today=START, start=START, end=START + timedelta(days=7), units_planned=1)
    assert rag_status(p).status is Rag.AMBER  # ends within 60 days
    assert rag_valid_until(p) == START + timedelta(days=1)  # red from day 2 (lag 2/7 > 25%)


def test_a_target_coming_due_then_passing_by_28_days() -> None:
    due = START + timedelta(days=300)
    p = on_day(START + timedelta(days=100), 90, unit_targets=(UnitTarget("401", due),))
    assert rag_status(p).status is Rag.GREEN
    assert rag_valid_until(p) == due - timedelta(days=DUE_SOON_DAYS)  # amber 13 days before
    late = dataclasses.replace(p, today=due + timedelta(days=1))
    assert rag_status(late).status is Rag.AMBER
    assert rag_valid_until(late) == due + timedelta(days=TARGET_RED_DAYS)  # red the day after


def test_the_end_coming_close_then_passing() -> None:
    p = on_day(END - timedelta(days=100), 95)
    assert rag_status(p).status is Rag.GREEN
    assert rag_valid_until(p) == END - timedelta(days=END_SOON_DAYS)
    near = dataclasses.replace(p, today=END - timedelta(days=10))
    assert rag_valid_until(near) == END  # red the day after the end


def test_red_closed_and_complete_never_change() -> None:
    assert rag_valid_until(on_day(END + timedelta(days=1), 0)) is None
    assert rag_valid_until(on_day(START, 0, closed="withdrawn")) is None
    complete = on_day(START, 100, units_signed_off=2, credits_signed_off=20)
    assert rag_status(complete).status is Rag.COMPLETE and rag_valid_until(complete) is None


def test_a_period_of_no_length_changes_on_its_end_day() -> None:
    p = Progress(today=START, start=START + timedelta(days=30), end=START + timedelta(days=30))
    assert rag_status(p).status is Rag.AMBER
    assert rag_valid_until(p) == START + timedelta(days=29)
    assert status_on(p, START + timedelta(days=30)) is Rag.RED


days = st.integers(min_value=-400, max_value=1400)


@st.composite
def progresses(draw: st.DrawFn) -> Progress:
    start = START + timedelta(days=draw(st.integers(-50, 50)))
    end = start + timedelta(days=draw(st.integers(-5, 1200)))
    planned = draw(st.integers(0, 40))
    credits = draw(st.integers(0, 60))
    units = draw(st.integers(0, 6))
    targets = draw(
        st.lists(
            st.builds(
                UnitTarget,
                st.sampled_from(["401", "402", "403"]),
                days.map(lambda n: START + timedelta(days=n)),
            ),
            max_size=3,
        )
    )
    activities = draw(st.lists(days.map(lambda n: START + timedelta(days=n)), max_size=3))
    return Progress(
        today=START + timedelta(days=draw(days)),
        start=start,
        end=end,
        criteria_met=draw(st.integers(0, planned)) if planned else 0,
        criteria_planned=planned,
        credits_signed_off=draw(st.integers(0, credits)) if credits else 0,
        credits_planned=credits,
        units_signed_off=draw(st.integers(0, units)) if units else 0,
        units_planned=units,
        unit_targets=tuple(targets),
        activity_targets=tuple(activities),
        closed=draw(st.sampled_from([None, None, None, "withdrawn"])),
        not_assessable=tuple(draw(st.lists(st.sampled_from(["310", "311"]), max_size=1))),
    )


@settings(max_examples=100, deadline=None)
@given(progresses())
def test_the_colour_holds_every_day_until_the_answer_and_not_the_day_after(p: Progress) -> None:
    status = rag_status(p).status
    until = rag_valid_until(p)
    horizon = p.today + timedelta(days=20 * 365)
    last = until if until is not None else horizon
    assert until is None or until >= p.today
    # Every day (for the first 1500: every rule's date falls within them), then the last day:
    # a colour only gets worse, so equal at both ends means equal in between.
    day = p.today
    while day <= min(last, p.today + timedelta(days=1500)):
        assert status_on(p, day) is status, day
        day += timedelta(days=1)
    assert status_on(p, last) is status
    if until is not None:
        assert status_on(p, until + timedelta(days=1)) is not status
