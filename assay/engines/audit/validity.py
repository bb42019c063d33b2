"""How long a certificate is valid: "one year" as one rule, used by the certificate, the public
register and the expiry reminders.

The seed: the organisation is "entitled to use the 'Certified Customer Service Organization'
logo for a period of one year, after which time the organization is required to be
re-certified". Assay's reading (docs/audits.md, *Certificate validity*): a certificate issued
on day D is valid from D through the day before D's first anniversary, and has expired on the
anniversary itself. So one issued on 01/03/2013 is valid through 28/02/2014 and has expired on
01/03/2014 — a year of 365 (or 366) days, printed as its last valid day, never as the day it
stops.

The anniversary of 29 February in a year without one is 1 March, the reading Assay's entry
rules use for a 29 February birthday (``assay.engines.entry.rules.age_on``: the England and
Wales reading). So a certificate issued on 29/02/2012 is valid through 28/02/2013 and has
expired on 01/03/2013: exactly the days on which someone born on 29/02/2012 is not yet one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["RULE", "Validity", "anniversary", "validity"]

RULE = (
    "valid from the day of issue through the day before its first anniversary "
    "(29 February's anniversary is 1 March)"
)
"""The rule in words, for pages and documents."""


def anniversary(day: date, years: int = 1) -> date:
    """The same day ``years`` later; 29 February in a year without one → 1 March."""
    if years < 0:
        raise ValueError("an anniversary is in the future: years must be ≥ 0")
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return date(day.year + years, 3, 1)


@dataclass(frozen=True, slots=True)
class Validity:
    """``issued_on`` through ``valid_through`` (both valid); ``expires_on`` is the first day
    it is no longer valid (the anniversary)."""

    issued_on: date
    valid_through: date
    expires_on: date

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day <= self.valid_through


def validity(issued_on: date) -> Validity:
    """The validity of a certificate issued on ``issued_on`` (one year, as above)."""
    expires_on = anniversary(issued_on)
    return Validity(issued_on, expires_on - timedelta(days=1), expires_on)
