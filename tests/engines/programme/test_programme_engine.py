"""The programme engine: audit time bands, plan checks, assignment rules, the cycle, the grid."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.programme import (
    BANDS,
    AuditFacts,
    AuditorFacts,
    Conflict,
    PlanDates,
    assignment_check,
    audit_time,
    month_grid,
    plan_problems,
    programme,
)

TODAY = date(2026, 12, 7)
ICSS = ("icss", 1)


# --- audit time -------------------------------------------------------------------------------


def test_bands_are_contiguous_and_increasing() -> None:
    for a, b in itertools.pairwise(BANDS):
        assert a.high is not None and b.low == a.high + 1
        assert b.half_days > a.half_days
    assert BANDS[0].low == 1 and BANDS[-1].high is None


def test_a_band_and_its_reason() -> None:
    t = audit_time(20)
    assert t.text == "1.5" and t.band is not None and t.band.label == "16-45 staff"
    assert [r.code for r in t.reasons] == ["band"]
    assert "20 staff falls in the band 16-45 staff" in t.reasons[0].text


def test_recertification_is_two_thirds_rounded_up_to_the_half_day() -> None:
    assert audit_time(20, recertification=True).half_days == 2  # 3 * 2/3 = 2
    assert audit_time(3, recertification=True).half_days == 1  # never below half a day
    assert audit_time(200, recertification=True).half_days == 4  # 6 * 2/3
    assert audit_time(700, recertification=True).half_days == 7  # 10 * 2/3 = 6.67 -> 7
    assert [r.code for r in audit_time(20, recertification=True).reasons] == [
        "band",
        "recertification",
    ]


def test_unknown_headcount_says_so() -> None:
    t = audit_time(None)
    assert t.half_days is None and t.text == "unknown"
    assert t.reasons[0].code == "unknown_headcount"
    assert audit_time(0).reasons[0].code == "no_staff"


@given(st.integers(1, 5000), st.integers(1, 5000), st.booleans())
def test_man_days_are_monotone_in_headcount(a: int, b: int, recert: bool) -> None:
    low, high = sorted((a, b))
    t_low = audit_time(low, recertification=recert).half_days
    t_high = audit_time(high, recertification=recert).half_days
    assert t_low is not None and t_high is not None and t_low <= t_high


@given(st.integers(1, 5000))
def test_recertification_never_takes_longer(n: int) -> None:
    initial, again = audit_time(n).half_days, audit_time(n, recertification=True).half_days
    assert initial is not None and again is not None and 1 <= again <= initial


# --- plan -------------------------------------------------------------------------------------


def test_a_good_plan_has_no_problem() -> None:
    plan = PlanDates(date(2027, 3, 1), date(2027, 3, 5), {"Perth": [date(2027, 3, 2)]})
    assert plan_problems(plan, TODAY) == []


def test_closing_before_opening_and_fieldwork_outside() -> None:
    plan = PlanDates(
        date(2027, 3, 5), date(2027, 3, 1), {"Perth": [date(2027, 3, 9), date(2027, 3, 9)]}
    )
    codes = {(p.code, p.field) for p in plan_problems(plan, TODAY)}
    assert ("closing_before_opening", "closing") in codes
    assert ("fieldwork_outside", "fieldwork:Perth") in codes
    assert ("repeated_day", "fieldwork:Perth") in codes


def test_dates_centuries_away_are_refused() -> None:
    plan = PlanDates(date(1026, 3, 1), date(3026, 3, 5), {})
    fields = {(p.code, p.field) for p in plan_problems(plan, TODAY)}
    assert fields == {("implausible_date", "opening"), ("implausible_date", "closing")}


@given(
    st.dates(date(2026, 1, 1), date(2028, 1, 1)),
    st.integers(0, 20),
    st.lists(st.integers(-5, 25), max_size=5, unique=True),
)
def test_fieldwork_is_accepted_exactly_within_the_meetings(
    opening: date, length: int, offsets: list[int]
) -> None:
    from datetime import timedelta

    closing = opening + timedelta(days=length)
    days = [opening + timedelta(days=o) for o in offsets]
    problems = plan_problems(PlanDates(opening, closing, {"A": days}), TODAY)
    outside = [p for p in problems if p.code == "fieldwork_outside"]
    assert len(outside) == sum(1 for d in days if not opening <= d <= closing)


# --- assignment -------------------------------------------------------------------------------


def _auditor(qualified: bool, conflict_with: int | None = None) -> AuditorFacts:
    conflicts = (
        (Conflict(conflict_with, "former employee", date(2026, 1, 2)),)
        if conflict_with is not None
        else ()
    )
    return AuditorFacts("Alice", frozenset({ICSS} if qualified else set()), conflicts)


def test_a_qualified_auditor_may_lead() -> None:
    check = assignment_check(
        _auditor(True), organisation=1, organisation_name="Acme", standard=ICSS, lead=True
    )
    assert check.allowed and check.reasons[0].code == "ok"


def test_an_unqualified_auditor_may_join_but_not_lead() -> None:
    member = assignment_check(
        _auditor(False), organisation=1, organisation_name="Acme", standard=ICSS, lead=False
    )
    lead = assignment_check(
        _auditor(False), organisation=1, organisation_name="Acme", standard=ICSS, lead=True
    )
    assert member.allowed
    assert not lead.allowed and [r.code for r in lead.reasons] == ["not_qualified_to_lead"]
    other_version = assignment_check(
        _auditor(True), organisation=1, organisation_name="Acme", standard=("icss", 2), lead=True
    )
    assert not other_version.allowed


def test_a_conflict_with_another_client_does_not_count() -> None:
    check = assignment_check(
        _auditor(True, 2), organisation=1, organisation_name="Acme", standard=ICSS, lead=True
    )
    assert check.allowed


@given(st.booleans(), st.booleans(), st.integers(1, 50))
def test_a_conflict_always_refuses(qualified: bool, lead: bool, org: int) -> None:
    check = assignment_check(
        _auditor(qualified, org), organisation=org, organisation_name="X", standard=ICSS, lead=lead
    )
    assert not check.allowed
    assert "conflict_of_interest" in {r.code for r in check.reasons}


# --- cycle ------------------------------------------------------------------------------------


def test_the_cycle_lists_years_and_the_next_re_certification() -> None:
    audits = [
        AuditFacts(1, "initial", None, True, issued_on=date(2025, 3, 1)),
        AuditFacts(2, "recertification", 1, True, issued_on=date(2026, 2, 20)),
        AuditFacts(7, "initial", None, False, opening_on=date(2027, 1, 4)),
    ]
    rows = programme(audits, TODAY)
    assert [(r.chain, r.year, r.audit, r.state) for r in rows] == [
        (1, 0, 1, "done"),
        (1, 1, 2, "done"),
        (1, 2, None, "to_plan"),
        (7, 0, 7, "planned"),
    ]
    assert rows[1].due_by == date(2026, 3, 1)
    assert rows[2].due_by == date(2027, 2, 20) and not rows[2].overdue
    assert rows[3].opening_on == date(2027, 1, 4)


def test_an_undone_re_certification_past_the_expiry_is_overdue() -> None:
    audits = [
        AuditFacts(1, "initial", None, True, issued_on=date(2025, 3, 1)),
        AuditFacts(2, "recertification", 1, False),
    ]
    rows = programme(audits, TODAY)
    assert rows[1].overdue and rows[1].state == "planned"


def test_a_decided_audit_without_certificate_has_nothing_to_plan() -> None:
    rows = programme([AuditFacts(1, "initial", None, True)], TODAY)
    assert [r.state for r in rows] == ["done"]


# --- month grid -------------------------------------------------------------------------------


def test_month_grid_weeks_start_on_monday_and_carry_events() -> None:
    grid = month_grid(2027, 3, {date(2027, 3, 2): ["opening"]})
    assert grid[0][0].day == date(2027, 3, 1)  # 1 March 2027 is a Monday
    assert all(len(week) == 7 for week in grid)
    assert grid[0][1].events == ("opening",)
    assert not grid[-1][-1].in_month or grid[-1][-1].day.month == 3
