"""Calendar arithmetic the rule engines share: whole calendar months and dd/mm/yyyy.

Handbooks count periods in calendar months ("within 18 months") and print dates as
dd/mm/yyyy, so every engine adds months and formats dates the same way.
"""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months", "ddmmyyyy"]


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, clamped to the last day of a shorter
    month (31/01 + 1 month is 28/02 or 29/02), since a period cannot end in a day that does
    not exist."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def ddmmyyyy(day: date) -> str:
    """The date as the handbooks print it, e.g. 31/07/2014 (zero-padded for any year)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
