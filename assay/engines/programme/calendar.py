"""A month as weeks of days (Monday first), each day with its events: the calendar page."""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

__all__ = ["Day", "month_grid"]

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Day(Generic[E]):
    day: date
    in_month: bool
    events: tuple[E, ...]


def month_grid(year: int, month: int, events: Mapping[date, Sequence[E]]) -> list[list[Day[E]]]:
    """The weeks covering ``year``-``month`` (days of the neighbouring months marked
    ``in_month`` False), each day carrying its events in the order given."""
    weeks = _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(d, d.month == month, tuple(events.get(d, ()))) for d in week] for week in weeks]
