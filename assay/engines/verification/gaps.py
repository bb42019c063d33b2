"""The plan's own gaps: what the IQA history (and the drawn plan) leave unlooked-at.

The issue asks the plan to show them in words: "assessor bob: nothing sampled in 6 months",
"method witness testimony never sampled", "site Leeds not visited". A gap is reported on a
day (``on``) against the verifications up to it; a drawn sample may be passed to count its
picks as covered, so the list reads as "what this plan still misses".

* an assessor (every profile given) with no verification in the last ``quiet_months``;
* a method, unit or site the plan must cover (the strategy's list, else whatever the records
  use) with none in the last ``year_months``;
* a candidate of the records never sampled, when the strategy samples the candidate dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import add_months, ddmmyyyy
from .model import AssessorProfile, Dimension, UnitRecord, Verification, label
from .sample import Sample, values_of, wanted, year_phrase
from .strategy import Strategy

__all__ = ["Gap", "gaps"]


@dataclass(frozen=True, slots=True)
class Gap:
    """One gap: the dimension, its subject (an assessor id, a method code, a unit, a site, a
    candidate), the last day it was sampled (None: never) and the sentence."""

    dimension: Dimension
    subject: str
    last_sampled: date | None
    message: str


def _last(history: Iterable[Verification], dimension: Dimension) -> dict[str, date]:
    last: dict[str, date] = {}
    for past in history:
        for value in values_of(past, dimension):
            if value not in last or past.on > last[value]:
                last[value] = past.on
    return last


def _name(dimension: Dimension, value: str) -> str:
    return f"method {label(value)}" if dimension is Dimension.METHOD else f"{dimension} {value}"


def gaps(
    strategy: Strategy,
    records: Iterable[UnitRecord],
    assessors: Iterable[AssessorProfile],
    history: Iterable[Verification],
    *,
    on: date,
    sample: Sample | None = None,
) -> tuple[Gap, ...]:
    """Every gap on ``on``: assessors first (by name), then methods, units, sites and
    candidates (each alphabetical). Verifications after ``on`` are ignored."""
    records = list(records)
    past = [v for v in history if v.on <= on]
    if sample is not None:
        past += [Verification.of(p.record, on) for p in sample.picks]
    out: list[Gap] = []
    quiet = add_months(on, -strategy.quiet_months)
    last = _last(past, Dimension.ASSESSOR)
    for profile in sorted(assessors, key=lambda a: (a.name, a.id)):
        when = last.get(profile.id)
        if when is None:
            out.append(
                Gap(Dimension.ASSESSOR, profile.id, None, f"assessor {profile.name}: never sampled")
            )
        elif when <= quiet:
            out.append(
                Gap(
                    Dimension.ASSESSOR,
                    profile.id,
                    when,
                    f"assessor {profile.name}: nothing sampled in {strategy.quiet_months} months "
                    f"(last {ddmmyyyy(when)})",
                )
            )
    since = add_months(on, -strategy.year_months) + timedelta(days=1)
    dimensions = [Dimension.METHOD, Dimension.UNIT, Dimension.SITE]
    if Dimension.CANDIDATE in strategy.top_up:
        dimensions.append(Dimension.CANDIDATE)
    for dimension in dimensions:
        last = _last(past, dimension)
        verb = "visited" if dimension is Dimension.SITE else "sampled"
        for value in sorted(wanted(strategy, dimension, records)):
            when = last.get(value)
            if when is None:
                message = f"{_name(dimension, value)} never {verb}"
            elif when < since:
                message = (
                    f"{_name(dimension, value)} not {verb} {year_phrase(strategy)} "
                    f"(last {ddmmyyyy(when)})"
                )
            else:
                continue
            out.append(Gap(dimension, value, when, message))
    return tuple(out)
