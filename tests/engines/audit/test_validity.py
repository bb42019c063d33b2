"""Certificate validity, "one year": from the day of issue through the day before the first
anniversary; 29 February's anniversary is 1 March, as for 29 February birthdays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.audit.validity import anniversary, validity
from assay.engines.entry.rules import age_on

from ..strategies import FAST


def test_issued_on_1_march_2013_is_valid_through_28_february_2014() -> None:
    v = validity(date(2013, 3, 1))
    assert (v.valid_through, v.expires_on) == (date(2014, 2, 28), date(2014, 3, 1))
    assert v.valid_on(date(2013, 3, 1)) and v.valid_on(date(2014, 2, 28))
    assert not v.valid_on(date(2014, 3, 1)) and not v.valid_on(date(2013, 2, 28))


def test_issued_on_29_february_2012_is_valid_through_28_february_2013() -> None:
    v = validity(date(2012, 2, 29))
    assert (v.valid_through, v.expires_on) == (date(2013, 2, 28), date(2013, 3, 1))
    # 366 days, like any year with a 29 February in it
    assert (v.expires_on - v.issued_on).days == 366


@pytest.mark.parametrize(
    ("issued", "through"),
    [
        (date(2012, 2, 28), date(2013, 2, 27)),
        (date(2012, 3, 1), date(2013, 2, 28)),
        (date(2015, 2, 28), date(2016, 2, 27)),  # the next year has a 29 February: 366 days
        (date(2015, 3, 1), date(2016, 2, 29)),
        (date(2013, 12, 31), date(2014, 12, 30)),
        (date(2013, 1, 1), date(2013, 12, 31)),
    ],
)
def test_hand_worked(issued: date, through: date) -> None:
    assert validity(issued).valid_through == through


def test_anniversary_refuses_the_past() -> None:
    with pytest.raises(ValueError):
        anniversary(date(2013, 3, 1), -1)


@FAST
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)))
def test_the_same_year_as_a_birthday(issued: date) -> None:
    """Valid exactly on the days someone born on the day of issue is not yet one year old."""
    v = validity(issued)
    assert age_on(issued, v.valid_through) == 0
    assert age_on(issued, v.expires_on) == 1
    assert v.valid_through == v.expires_on - timedelta(days=1)
    assert 365 <= (v.expires_on - issued).days <= 366
