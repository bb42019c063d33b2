"""Separation of duties in IQA, and who verifies which pick.

The handbook (4430-04, section 2.1): centre staff "may undertake more than one role, eg tutor
and assessor or internal verifier, but must never internally verify their own assessments".
Assay reads "their own assessments" widely (docs/iqa.md): nobody verifies a unit of a
registration in which they judged a criterion, confirmed a mapping or signed off, and an IV is
never the candidate's assessor for that unit. The same section gives IVs "18 months of working
with the Standards" to hold the V unit; past it they get no new samples, as an assessor past
the A-unit deadline gets no new candidates (engines/competence/deadlines.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..competence.deadlines import StaffRole, competence
from ..dates import ddmmyyyy
from .model import UnitRecord
from .sample import Pick, Sample

__all__ = ["Allocation", "Assignment", "Refused", "Verifier", "allocate", "may_verify"]


@dataclass(frozen=True, slots=True)
class Verifier:
    """An internal verifier (or lead IQA): when they started verifying with the Standards and
    when they achieved the V unit (None: not yet)."""

    id: str
    name: str
    started_on: date
    v_unit_on: date | None = None


def may_verify(verifier: Verifier, record: UnitRecord, *, on: date) -> list[str]:
    """Why ``verifier`` may not verify ``record`` on ``on``; an empty list means they may."""
    reasons: list[str] = []
    where = f"unit {record.unit} of registration {record.registration_id}"
    if verifier.id in record.actors:
        reasons.append(
            f"{verifier.name} judged, confirmed or signed off in {where}: "
            "nobody verifies their own assessments"
        )
    if verifier.id == record.assessor_id:
        reasons.append(f"{verifier.name} is the candidate's assessor for {where}")
    holds = verifier.v_unit_on is not None and verifier.v_unit_on <= on
    status = competence(
        role=StaffRole.INTERNAL_VERIFIER, started_on=verifier.started_on, holds_unit=holds, today=on
    )
    if not status.can_take_new_candidates and status.deadline is not None:
        reasons.append(
            f"{verifier.name} is past the V-unit deadline ({ddmmyyyy(status.deadline)}): "
            "no new samples until it is achieved"
        )
    return reasons


@dataclass(frozen=True, slots=True)
class Assignment:
    pick: Pick
    verifier_id: str


@dataclass(frozen=True, slots=True)
class Refused:
    """A pick nobody may verify, with each verifier's reasons (verifier id, reasons)."""

    pick: Pick
    reasons: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    """Who verifies what; ``refused``: picks no verifier may take; ``load``: (verifier id,
    number of picks) for every verifier, by id."""

    assignments: tuple[Assignment, ...]
    refused: tuple[Refused, ...]
    load: tuple[tuple[str, int], ...]

    def verifier_of(self, key: tuple[str, str]) -> str | None:
        return next((a.verifier_id for a in self.assignments if a.pick.key == key), None)


def allocate(sample: Sample, verifiers: Iterable[Verifier], *, on: date) -> Allocation:
    """Give each pick, in the sample's order, to the eligible verifier with the fewest picks so
    far (ties: the lowest id): balanced, deterministic, independent of the verifiers' order,
    and never to a verifier ``may_verify`` refuses. ValueError when a verifier id repeats."""
    team = sorted(verifiers, key=lambda v: v.id)
    ids = [v.id for v in team]
    if len(set(ids)) != len(ids):
        raise ValueError("a verifier is listed twice")
    load = dict.fromkeys(ids, 0)
    assignments: list[Assignment] = []
    refused: list[Refused] = []
    for pick in sample.picks:
        refusals = [(v, may_verify(v, pick.record, on=on)) for v in team]
        eligible = [v for v, reasons in refusals if not reasons]
        if not eligible:
            refused.append(Refused(pick, tuple((v.id, tuple(r)) for v, r in refusals)))
            continue
        chosen = min(eligible, key=lambda v: (load[v.id], v.id))
        load[chosen.id] += 1
        assignments.append(Assignment(pick, chosen.id))
    return Allocation(tuple(assignments), tuple(refused), tuple(load.items()))
