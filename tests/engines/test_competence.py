"""A/V unit deadlines for assessors and verifiers (4430-04 handbook, section 2.1)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.competence.deadlines import (
    CompetenceStatus,
    StaffRole,
    av_deadline,
    competence,
)

from .strategies import FAST

START = date(2013, 1, 1)


def test_assessor_and_iv_have_18_months_ev_12() -> None:
    assert av_deadline(StaffRole.ASSESSOR, START) == date(2014, 7, 1)
    assert av_deadline(StaffRole.INTERNAL_VERIFIER, START) == date(2014, 7, 1)
    assert av_deadline(StaffRole.EXTERNAL_VERIFIER, START) == date(2014, 1, 1)
    assert av_deadline(StaffRole.EXTERNAL_VERIFIER, date(2015, 2, 28)) == date(2016, 2, 28)
    assert av_deadline(StaffRole.ASSESSOR, date(2014, 8, 31)) == date(2016, 2, 29)


def test_assessor_on_track_then_due_soon_then_overdue() -> None:
    def on(today: date) -> CompetenceStatus:
        return competence(
            role=StaffRole.ASSESSOR, started_on=START, holds_unit=False, today=today
        ).status

    assert on(date(2013, 6, 1)) is CompetenceStatus.ON_TRACK
    assert on(date(2014, 4, 1)) is CompetenceStatus.ON_TRACK  # 30 + 31 + 30 = 91 days left
    assert on(date(2014, 4, 2)) is CompetenceStatus.DUE_SOON  # 90 days left: the edge
    assert on(date(2014, 7, 1)) is CompetenceStatus.DUE_SOON  # the deadline day is in time
    assert on(date(2014, 7, 2)) is CompetenceStatus.OVERDUE


def test_assessor_due_soon_on_15_may_2014() -> None:
    c = competence(
        role=StaffRole.ASSESSOR, started_on=START, holds_unit=False, today=date(2014, 5, 15)
    )
    assert c.status is CompetenceStatus.DUE_SOON
    assert (c.deadline, c.days_left, c.can_take_new_candidates) == (date(2014, 7, 1), 47, True)
    assert c.message == (
        "Assessor started working with the Standards on 01/01/2013; the A unit is due within "
        "18 months, by 01/07/2014 (47 days left)."
    )


def test_assessor_overdue_on_2_july_2014_takes_no_new_candidates() -> None:
    c = competence(
        role=StaffRole.ASSESSOR, started_on=START, holds_unit=False, today=date(2014, 7, 2)
    )
    assert c.status is CompetenceStatus.OVERDUE
    assert (c.deadline, c.days_left, c.can_take_new_candidates) == (date(2014, 7, 1), -1, False)
    assert "01/07/2014" in c.message
    assert c.message.endswith("is 1 day overdue: no new candidates until it is achieved.")


def test_ev_has_12_months() -> None:
    c = competence(
        role=StaffRole.EXTERNAL_VERIFIER,
        started_on=START,
        holds_unit=False,
        today=date(2014, 1, 2),
    )
    assert (c.status, c.deadline) == (CompetenceStatus.OVERDUE, date(2014, 1, 1))
    assert "V unit is due within 12 months, by 01/01/2014" in c.message


def test_holding_the_unit_is_qualified_whatever_the_date() -> None:
    c = competence(
        role=StaffRole.INTERNAL_VERIFIER, started_on=START, holds_unit=True, today=date(2020, 1, 1)
    )
    assert (c.status, c.deadline, c.days_left, c.can_take_new_candidates) == (
        CompetenceStatus.QUALIFIED,
        None,
        None,
        True,
    )


def test_warn_days_is_respected_and_checked() -> None:
    c = competence(
        role=StaffRole.ASSESSOR,
        started_on=START,
        holds_unit=False,
        today=date(2014, 5, 15),
        warn_days=30,
    )
    assert c.status is CompetenceStatus.ON_TRACK
    with pytest.raises(ValueError):
        competence(
            role=StaffRole.ASSESSOR, started_on=START, holds_unit=False, today=START, warn_days=-1
        )


starts = st.dates(date(1990, 1, 1), date(2090, 12, 31))


@FAST
@given(st.sampled_from(list(StaffRole)), starts)
def test_deadline_is_always_after_start_by_about_the_right_months(
    role: StaffRole, started: date
) -> None:
    deadline = av_deadline(role, started)
    assert deadline > started
    low, high = (365, 366) if role is StaffRole.EXTERNAL_VERIFIER else (546, 550)
    assert low <= (deadline - started).days <= high


@FAST
@given(st.sampled_from(list(StaffRole)), starts, starts, st.integers(0, 400))
def test_overdue_exactly_when_past_the_deadline(
    role: StaffRole, started: date, today: date, warn: int
) -> None:
    c = competence(role=role, started_on=started, holds_unit=False, today=today, warn_days=warn)
    deadline = av_deadline(role, started)
    assert (c.status is CompetenceStatus.OVERDUE) == (today > deadline)
    assert c.can_take_new_candidates == (today <= deadline)
    assert (c.status is CompetenceStatus.DUE_SOON) == (0 <= (deadline - today).days <= warn)
