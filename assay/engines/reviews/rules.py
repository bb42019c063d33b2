"""Assessment plans and progress reviews as data: what makes one valid, the exact text that is
signed, and the progress between two reviews.

A plan is agreed by the candidate, their assessor and their employer, so what each of them
signs must be one exact text: ``canonical_text`` renders the plan's content the same way every
time (its SHA-256 is what each
signature records). Completing an activity later is a record of its own
and is not part of the signed text, so a signed plan stays verifiable while work goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assay.engines.dates import ddmmyyyy

# Who may sign a plan or review, each once.
CAPACITIES = ("candidate", "assessor", "employer")


@dataclass(frozen=True, slots=True)
class ActivityContent:
    """One planned activity: what, by which assessment method, covering which "unit:target"
    (criterion "401:1.2" or range item "411:5f"), by when."""

    description: str
    method: str
    method_label: str
    targets: tuple[str, ...]
    target_date: dt.date


@dataclass(frozen=True, slots=True)
class PlanContent:
    """Everything a signature covers."""

    kind_label: str
    candidate: str
    qualification: str
    met_on: dt.date
    summary: str
    notes: str
    next_review_on: dt.date | None
    activities: tuple[ActivityContent, ...]


@dataclass(frozen=True, slots=True)
class UnitSnapshot:
    """A unit's coverage at a review: criteria done (judged met, confirmed evidence) of all."""

    unit: str
    met: int
    total: int
    signed_off: bool


@dataclass(frozen=True, slots=True)
class UnitChange:
    """How far a unit moved between two reviews; ``before`` is None for a unit new to the plan."""

    unit: str
    before: UnitSnapshot | None
    after: UnitSnapshot

    @property
    def gained(self) -> int:
        return self.after.met - (self.before.met if self.before else 0)

    @property
    def newly_signed_off(self) -> bool:
        return self.after.signed_off and not (self.before and self.before.signed_off)


def parse_target(text: str) -> tuple[str, str]:
    """ "403:1.2" → ("403", "1.2"); ValueError when it is not "unit:target"."""
    unit, sep, target = text.strip().partition(":")
    unit, target = unit.strip(), target.strip()
    if not sep or not unit or not target:
        raise ValueError(f"{text.strip()!r} is not unit:target (for example 401:1.2 or 411:5f)")
    return unit, target


def activity_errors(
    activity: ActivityContent,
    *,
    known_targets: Mapping[str, Sequence[str]],
    methods: Sequence[str],
    met_on: dt.date,
    end_date: dt.date,
) -> dict[str, str]:
    """Every problem of one activity, by field. ``known_targets`` maps each planned unit to its
    criteria and range items; a target date after the registration's end date cannot be met,
    and one before the meeting would be planned in the past."""
    errors: dict[str, str] = {}
    if not activity.description.strip():
        errors["description"] = "describe the activity"
    if activity.method not in methods:
        errors["method"] = f"choose one of {', '.join(methods)}"
    if not activity.targets:
        errors["targets"] = "name the criteria to cover, as unit:target (for example 401:1.2)"
    problems: list[str] = []
    for text in activity.targets:
        try:
            unit, target = parse_target(text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if unit not in known_targets:
            problems.append(f"unit {unit} is not on this candidate's learning plan")
        elif target not in known_targets[unit]:
            problems.append(f"unit {unit} has no criterion or range item {target!r}")
    if len(set(activity.targets)) != len(activity.targets):
        problems.append("a target is listed twice")
    if problems:
        errors["targets"] = "; ".join(problems)
    if activity.target_date > end_date:
        errors["target_date"] = (
            f"target date {ddmmyyyy(activity.target_date)} is after the registration's end "
            f"date {ddmmyyyy(end_date)}"
        )
    elif activity.target_date < met_on:
        errors["target_date"] = (
            f"target date {ddmmyyyy(activity.target_date)} is before the meeting on "
            f"{ddmmyyyy(met_on)}"
        )
    return errors


def plan_errors(
    content: PlanContent, *, today: dt.date, registered_on: dt.date, end_date: dt.date
) -> dict[str, str]:
    """Problems of the plan's own fields (activities are checked one by one)."""
    errors: dict[str, str] = {}
    if content.met_on > today:
        errors["met_on"] = (
            f"{ddmmyyyy(content.met_on)} is in the future (today is {ddmmyyyy(today)})"
        )
    elif content.met_on < registered_on:
        errors["met_on"] = (
            f"{ddmmyyyy(content.met_on)} is before the registration on {ddmmyyyy(registered_on)}"
        )
    if not content.summary.strip():
        errors["summary"] = "summarise what was agreed"
    nxt = content.next_review_on
    if nxt is not None and nxt <= content.met_on:
        errors["next_review_on"] = (
            f"the next review {ddmmyyyy(nxt)} must come after this meeting "
            f"{ddmmyyyy(content.met_on)}"
        )
    elif nxt is not None and nxt > end_date:
        errors["next_review_on"] = (
            f"the next review {ddmmyyyy(nxt)} is after the registration's end date "
            f"{ddmmyyyy(end_date)}"
        )
    return errors


def canonical_text(content: PlanContent) -> str:
    """The one text every signer signs: fixed order, fixed labels, dates as dd/mm/yyyy,
    whitespace of free text trimmed (so a stray space cannot change the fingerprint)."""
    lines = [
        f"{content.kind_label} for {content.candidate.strip()} on {content.qualification}",
        f"Met on: {ddmmyyyy(content.met_on)}",
        f"Summary: {content.summary.strip()}",
    ]
    if content.notes.strip():
        lines.append(f"Notes: {content.notes.strip()}")
    nxt = content.next_review_on
    lines.append(f"Next review: {ddmmyyyy(nxt) if nxt else 'not set'}")
    lines.append("Planned activities:" if content.activities else "Planned activities: none")
    for number, a in enumerate(content.activities, start=1):
        lines.append(
            f"{number}. {a.description.strip()} — {a.method_label} — covers "
            f"{', '.join(a.targets)} — by {ddmmyyyy(a.target_date)}"
        )
    return "\n".join(lines) + "\n"


def progress_between(
    before: Sequence[UnitSnapshot], after: Sequence[UnitSnapshot]
) -> tuple[UnitChange, ...]:
    """Each unit of the later snapshot against the same unit in the earlier one, in the later
    snapshot's order (a unit dropped from the plan is not progress, so it is left out)."""
    earlier = {s.unit: s for s in before}
    return tuple(UnitChange(s.unit, earlier.get(s.unit), s) for s in after)
