"""The planned dates of an audit and what makes them wrong.

An audit opens with a meeting, visits each sampled office on one or more fieldwork days and
closes with a meeting: closing is not before opening, every fieldwork day falls from opening
to closing, and no date is implausible (before 1990 or more than two years ahead: a typing
error, as ``assay.engines.plausible`` reads business dates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import business_date_problem

__all__ = ["PlanDates", "Problem", "plan_problems"]


@dataclass(frozen=True, slots=True)
class PlanDates:
    """``fieldwork`` maps a site (office name) to its fieldwork days."""

    opening_on: date
    closing_on: date
    fieldwork: Mapping[str, Sequence[date]]


@dataclass(frozen=True, slots=True)
class Problem:
    """``field`` is ``opening``, ``closing`` or ``fieldwork:<site>``."""

    code: str
    field: str
    text: str


def plan_problems(plan: PlanDates, today: date) -> list[Problem]:
    """Every problem with the plan (empty: the plan stands)."""
    found: list[Problem] = []
    for field, day in (("opening", plan.opening_on), ("closing", plan.closing_on)):
        problem = business_date_problem(day, today)
        if problem:
            found.append(Problem("implausible_date", field, f"the {field} meeting: {problem}"))
    if plan.closing_on < plan.opening_on:
        found.append(
            Problem(
                "closing_before_opening",
                "closing",
                f"the closing meeting ({ddmmyyyy(plan.closing_on)}) is before the opening "
                f"meeting ({ddmmyyyy(plan.opening_on)})",
            )
        )
    for site in sorted(plan.fieldwork):
        days = plan.fieldwork[site]
        field = f"fieldwork:{site}"
        if len(set(days)) != len(days):
            found.append(Problem("repeated_day", field, f"{site}: a fieldwork day is repeated"))
        for day in sorted(set(days)):
            if not plan.opening_on <= day <= plan.closing_on:
                found.append(
                    Problem(
                        "fieldwork_outside",
                        field,
                        f"{site}: fieldwork on {ddmmyyyy(day)} is not from the opening "
                        f"({ddmmyyyy(plan.opening_on)}) to the closing meeting "
                        f"({ddmmyyyy(plan.closing_on)})",
                    )
                )
    return found
