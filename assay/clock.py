"""The one clock every "today" decision reads, so that time rules are testable.

``ASSAY_TODAY=2013-03-01`` (environment or Django setting) pins the date; otherwise it is the
real local date. Nothing else in Assay may call ``date.today()``, and record timestamps come from
``now()`` so that a pinned demo's rows are not dated years after its business dates.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    """Today's date, or the pinned ``ASSAY_TODAY``."""
    pinned = getattr(settings, "ASSAY_TODAY", None)
    if pinned:
        return dt.date.fromisoformat(str(pinned))
    return timezone.localdate()


def is_pinned() -> bool:
    """True when the date is pinned (the demo shows it in a banner)."""
    return bool(getattr(settings, "ASSAY_TODAY", None))


def now() -> dt.datetime:
    """The current moment (aware): today's date at the real local time of day.

    Unpinned, this is ``timezone.now()``. Pinned, the date is ``ASSAY_TODAY`` and the time of day
    is the real one, so ``now().date() == today()`` always holds and a judgement stamped now is
    dated on the day the period rules read.
    """
    if not is_pinned():
        return timezone.now()
    real = timezone.localtime()
    return real.replace(year=(d := today()).year, month=d.month, day=d.day)
