"""The one clock: record timestamps follow a pinned date (ADR 0007)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assay import clock


def test_unpinned_now_is_the_real_moment(settings) -> None:
    settings.ASSAY_TODAY = ""
    before = timezone.now()
    got = clock.now()
    assert before <= got <= timezone.now()
    assert timezone.is_aware(got)


@pytest.mark.parametrize("pinned", ["2013-03-01", "2012-02-29", "2014-12-31"])
def test_pinned_now_is_on_the_pinned_day_at_the_real_time(settings, pinned: str) -> None:
    settings.ASSAY_TODAY = pinned
    real = timezone.localtime()
    got = timezone.localtime(clock.now())
    assert got.date() == dt.date.fromisoformat(pinned) == clock.today()
    assert abs(
        dt.datetime.combine(dt.date.min, got.time()) - dt.datetime.combine(dt.date.min, real.time())
    ) < dt.timedelta(seconds=5)


@pytest.mark.django_db
def test_a_pinned_demo_stamps_its_rows_on_the_pinned_day(settings) -> None:
    """A row written under a pinned clock is not dated years after the demo's business dates."""
    from assay.centres.models import Centre

    settings.ASSAY_TODAY = "2013-03-01"
    centre = Centre.objects.create(number="999999", name="Clock Centre")
    assert timezone.localtime(centre.created_at).date() == dt.date(2013, 3, 1)
