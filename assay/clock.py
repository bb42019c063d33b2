"""The one clock every "today" decision reads, so that time rules are testable.

``ASSAY_TODAY=2013-03-01`` (environment or Django setting) pins the date; otherwise it is the
real local date. Nothing else in Assay may call ``date.today()``.
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
