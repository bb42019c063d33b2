"""The rules of background work: retry delays double up to a cap and stop after a bounded
number of attempts; progress stays within 0-100; a nightly key names one day; a running job
with no recent heartbeat is stalled."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.jobs import (
    STALL_SECONDS,
    GiveUp,
    Retry,
    nightly_key,
    percent,
    retry_after,
    stalled,
)
from assay.engines.jobs.rules import MAX_ATTEMPTS, MAX_DELAY_SECONDS


def test_delays_double_then_give_up() -> None:
    decisions = [retry_after(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert [d.delay_seconds for d in decisions if isinstance(d, Retry)] == [60, 120, 240, 480]
    assert isinstance(decisions[-1], GiveUp) and decisions[-1].code == "attempts_exhausted"
    with pytest.raises(ValueError, match="count from 1"):
        retry_after(0)


@given(st.integers(1, 200), st.integers(1, 50))
def test_retries_are_bounded_and_never_wait_longer_than_the_cap(attempt: int, most: int) -> None:
    decision = retry_after(attempt, max_attempts=most)
    if attempt >= most:
        assert isinstance(decision, GiveUp)
    else:
        assert isinstance(decision, Retry) and 0 < decision.delay_seconds <= MAX_DELAY_SECONDS
        later = retry_after(attempt + 1, max_attempts=most + 1)
        assert isinstance(later, Retry) and later.delay_seconds >= decision.delay_seconds


@given(st.integers(-5, 10**6), st.integers(-5, 10**6))
def test_percent_stays_between_0_and_100(done: int, total: int) -> None:
    assert 0 <= percent(done, total) <= 100
    if total > 0 and 0 <= done <= total:
        assert percent(done, total) == done * 100 // total


def test_a_nightly_key_names_the_job_and_the_day() -> None:
    day = dt.date(2013, 3, 1)
    assert nightly_key("registrations-expire", day) == "nightly:registrations-expire:2013-03-01"
    assert nightly_key("x", day) != nightly_key("x", day + dt.timedelta(days=1))


NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def test_a_running_job_without_a_recent_heartbeat_is_stalled() -> None:
    old = NOW - dt.timedelta(seconds=STALL_SECONDS + 1)
    found = stalled(running=True, heartbeat=old, now=NOW)
    assert (
        found is not None and found.reason == "the worker stopped while running this job; ask again"
    )
    assert stalled(running=True, heartbeat=None, now=NOW) is not None
    assert (
        stalled(running=True, heartbeat=NOW - dt.timedelta(seconds=STALL_SECONDS), now=NOW) is None
    )
    assert stalled(running=False, heartbeat=old, now=NOW) is None  # queued, done or failed


@given(age=st.integers(0, 10**7), timeout=st.integers(1, 10**6), running=st.booleans())
def test_stalled_exactly_past_the_timeout_and_only_while_running(
    age: int, timeout: int, running: bool
) -> None:
    beat = NOW - dt.timedelta(seconds=age)
    found = stalled(running=running, heartbeat=beat, now=NOW, timeout_seconds=timeout)
    assert (found is not None) == (running and age > timeout)
