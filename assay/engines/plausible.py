"""Plausible ranges and text rules for what people type: a date of birth in 0580, a
registration in 2674 or a name with a control character is a typing or import error, not a fact.

Pure rules, reused by the API, web forms, CLI and bulk import (through the services), so every
path refuses the same input with the same sentence. Each check answers None or the problem.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from .dates import ddmmyyyy
from .text import visible

__all__ = [
    "AHEAD_DAYS",
    "EARLIEST_BIRTH",
    "EARLIEST_BUSINESS",
    "birth_date_problem",
    "business_date_problem",
    "reason_problem",
    "text_problem",
]

# No living candidate was born before 1900.
EARLIEST_BIRTH = date(1900, 1, 1)
# NVQs began in 1987 and no handbook Assay reads dates a registration before 1990.
EARLIEST_BUSINESS = date(1990, 1, 1)
# A cohort may be entered ahead of its start, but not by more than two years: a centre plans
# the next academic year or two, and a qualification's last registration date is known that far.
AHEAD_DAYS = 731

# Newline, carriage return and tab are line breaks and indents in multi-line text.
_LAYOUT = frozenset("\n\r\t")


def birth_date_problem(born: date, today: date) -> str | None:
    """A date of birth before 1900 or after today is a typing error (the qualification's
    minimum age is an entry rule, checked separately)."""
    if born < EARLIEST_BIRTH:
        return f"the date of birth {ddmmyyyy(born)} is before {ddmmyyyy(EARLIEST_BIRTH)}"
    if born > today:
        return f"the date of birth {ddmmyyyy(born)} is in the future (today is {ddmmyyyy(today)})"
    return None


def business_date_problem(day: date, today: date) -> str | None:
    """A business date (registration, meeting, target) from 1990 to two years ahead."""
    if day < EARLIEST_BUSINESS:
        return f"{ddmmyyyy(day)} is before {ddmmyyyy(EARLIEST_BUSINESS)}"
    latest = today + timedelta(days=AHEAD_DAYS)
    if day > latest:
        return f"{ddmmyyyy(day)} is more than two years ahead (the latest is {ddmmyyyy(latest)})"
    return None


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Control characters print nothing and break exports; multi-line text keeps its line
    breaks and tabs."""
    for ch in text:
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in _LAYOUT):
            return f"contains the control character U+{ord(ch):04X}"
    return None


def reason_problem(text: str, what: str = "the reason") -> str | None:
    """A reason must show something: blanks or zero-width spaces alone are no reason."""
    if not visible(text):
        return f"give {what}: blank or invisible characters are not a reason"
    return text_problem(text, multiline=True)
