"""The rules of background work: retry delays double up to a cap and stop after a bounded
number of attempts; progress stays within 0-100; a nightly key names one day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.jobs import GiveUp, Retry, nightly_key, percent, retry_after
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
