"""The deadline reminder rule: exactly 7 days before, 1 day before and the first day overdue;
never for what is done; whom each stage tells, with reasons."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.notifications.deadlines import (
    SCHEDULE,
    Audience,
    Deadline,
    DeadlineKind,
    Stage,
    reminder_due,
    stage_on,
)

DUE = dt.date(2013, 4, 1)
CA = DeadlineKind.CORRECTIVE_ACTION
AP = DeadlineKind.EQA_ACTION_POINT
REG = DeadlineKind.REGISTRATION_END


def on(days: int) -> dt.date:
    return DUE + dt.timedelta(days=days)


def test_the_schedule_is_a_week_before_the_day_before_and_the_first_day_overdue() -> None:
    assert stage_on(DUE, dt.date(2013, 3, 25)) == Stage.WEEK_BEFORE
    assert stage_on(DUE, dt.date(2013, 3, 31)) == Stage.DAY_BEFORE
    assert stage_on(DUE, DUE) is None  # the due date itself is still in time
    assert stage_on(DUE, dt.date(2013, 4, 2)) == Stage.OVERDUE
    assert stage_on(DUE, dt.date(2013, 4, 3)) is None  # reminded once overdue, not every day


def test_an_open_corrective_action_tells_the_client_then_also_the_lead_auditor() -> None:
    action = Deadline(CA, 7, DUE, "open", "major")
    week = reminder_due(action, on(-7))
    assert week is not None and week.audience == (Audience.CLIENT_CONTACTS,)
    assert week.code == "corrective_action_due"
    assert week.reason == "the organisation's answer is due on 01/04/2013, in 7 day(s)"
    assert week.key == "corrective_action:7:7_days_before:2013-03-25"
    late = reminder_due(action, on(1))
    assert late is not None
    assert late.audience == (Audience.CLIENT_CONTACTS, Audience.LEAD_AUDITOR)
    assert "was due on 01/04/2013 and is overdue" in late.reason


def test_an_answered_action_waits_on_the_auditor_who_alone_is_told_when_it_is_late() -> None:
    answered = Deadline(CA, 7, DUE, "proposed", "minor")
    assert reminder_due(answered, on(-1)) is None
    late = reminder_due(answered, on(1))
    assert late is not None and late.audience == (Audience.LEAD_AUDITOR,)
    assert late.reason.startswith("the auditor's review")


def test_an_accepted_plan_is_done_for_a_minor_but_owed_for_a_major() -> None:
    assert reminder_due(Deadline(CA, 7, DUE, "accepted", "minor"), on(1)) is None
    major = reminder_due(Deadline(CA, 7, DUE, "accepted", "major"), on(-1))
    assert major is not None and major.audience == (Audience.CLIENT_CONTACTS,)
    assert "implementation" in major.reason


def test_action_points_tell_the_owner_and_when_late_the_centre_leads() -> None:
    point = Deadline(AP, 3, DUE, "open")
    before = reminder_due(point, on(-7))
    assert before is not None and before.audience == (Audience.POINT_OWNER,)
    late = reminder_due(point, on(1))
    assert late is not None and late.audience == (Audience.POINT_OWNER, Audience.CENTRE_LEADS)
    assert reminder_due(Deadline(AP, 3, DUE, "done"), on(-1)) is None


def test_registrations_are_reminded_before_the_end_date_only() -> None:
    reg = Deadline(REG, 5, DUE, "in_progress")
    before = reminder_due(reg, on(-1))
    assert before is not None
    assert before.audience == (Audience.CENTRE_ADMINS, Audience.ASSESSORS)
    assert before.reason == "assessment must be complete by 01/04/2013, in 1 day(s)"
    assert reminder_due(reg, on(1)) is None  # it expires that night instead
    for final in ("completed", "withdrawn", "transferred", "expired"):
        assert reminder_due(Deadline(REG, 5, DUE, final), on(-7)) is None


DONE = {
    CA: [("verified", "major"), ("verified", "minor"), ("accepted", "minor")],
    AP: [("done", "")],
    REG: [("completed", ""), ("withdrawn", ""), ("transferred", ""), ("expired", "")],
}
OPEN = {
    CA: [("open", "major"), ("rejected", "minor"), ("accepted", "major"), ("proposed", "major")],
    AP: [("open", "")],
    REG: [("registered", ""), ("in_progress", "")],
}
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(
    kind=st.sampled_from(list(DeadlineKind)),
    pick=st.integers(0, 10),
    due=days,
    offset=st.integers(-400, 400),
)
def test_never_a_reminder_for_what_is_done(
    kind: DeadlineKind, pick: int, due: dt.date, offset: int
) -> None:
    state, grade = DONE[kind][pick % len(DONE[kind])]
    today = due + dt.timedelta(days=offset)
    assert reminder_due(Deadline(kind, 1, due, state, grade), today) is None


@given(
    kind=st.sampled_from(list(DeadlineKind)),
    pick=st.integers(0, 10),
    due=days,
    offset=st.integers(-400, 400),
)
def test_reminders_fall_exactly_on_the_schedule_days(
    kind: DeadlineKind, pick: int, due: dt.date, offset: int
) -> None:
    state, grade = OPEN[kind][pick % len(OPEN[kind])]
    today = due + dt.timedelta(days=offset)
    found = reminder_due(Deadline(kind, 1, due, state, grade), today)
    if offset not in SCHEDULE.values():
        assert found is None
        return
    stage = next(s for s, o in SCHEDULE.items() if o == offset)
    # Every open item is reminded on every day of its schedule, except the two the rules
    # leave out: a registration past its end (it expires), an answer not yet late (auditor).
    skipped = (kind == REG and stage == Stage.OVERDUE) or (
        kind == CA and state == "proposed" and stage != Stage.OVERDUE
    )
    assert (found is None) == skipped
    if found is not None:
        assert found.stage == stage and found.day == today and found.audience
        assert found.key.endswith(f":{stage}:{today.isoformat()}") and found.reason
