"""A candidate's qualification as a whole: credits signed off, the rules of combination over
the signed-off units, each unit's progress, and reuse scores for the planner.

Only signed-off and credited units count towards the qualification: a unit that is merely
ready is still the assessor's to decide, and the rules engine must see what a certificate
would. A credited unit was achieved elsewhere and recorded by credit transfer (ADR 0010).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from ..combination.evaluate import Decision, evaluate
from ..combination.model import Spec, UnknownUnit
from .model import SignOff
from .unit import UnitCoverage


class UnitState(StrEnum):
    """One word per unit for progress bars and caseload colours."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    READY = "ready"
    SIGNED_OFF = "signed-off"
    CREDITED = "credited"
    # Content not in the catalogue and not credited: nothing here can be assessed (ADR 0010).
    NOT_ASSESSABLE = "not-assessable"


@dataclass(frozen=True, slots=True)
class UnitProgress:
    """``missing`` is the unit's reasons (empty once signed off)."""

    unit: str
    state: UnitState
    progress: float
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QualificationCoverage:
    """``credits_achieved`` adds every signed-off and credited unit's credit; ``decision`` is
    the rules of combination over them (its ``total_credits`` counts only the units a
    selection counts)."""

    credits_achieved: int
    signed_off: tuple[str, ...]
    decision: Decision
    units: tuple[UnitProgress, ...]
    credited: tuple[str, ...] = ()


def qualification_coverage(
    units: Mapping[str, UnitCoverage],
    signed_off: Iterable[str | SignOff],
    spec: Spec,
    credited: Iterable[str] = (),
) -> QualificationCoverage:
    """Progress per unit (spec order) for units in progress, signed off or credited, and the
    decision over the signed-off and credited units.

    A sign-off is the decision of record and the unit is locked, so a signed-off unit shows
    as complete even if its coverage was computed from data that changed since; a credited
    unit likewise, since its evidence is a certificate from elsewhere. A unit without content
    that is neither shows as not assessable, with its one reason. Unknown unit numbers raise
    ``UnknownUnit``.
    """
    signed = {s.unit if isinstance(s, SignOff) else s for s in signed_off}
    credit_transfers = set(credited) - signed
    numbers = {u.number for u in spec.units}
    for number, coverage in units.items():
        if coverage.unit != number:
            raise ValueError(f"coverage of unit {coverage.unit} is filed under {number}")
    for number in sorted((signed | credit_transfers | set(units)) - numbers):
        raise UnknownUnit(number)
    progress = tuple(
        _progress(u.number, units.get(u.number), u.number in signed, u.number in credit_transfers)
        for u in spec.units
        if u.number in signed or u.number in units or u.number in credit_transfers
    )
    achieved = tuple(u.number for u in spec.units if u.number in signed | credit_transfers)
    return QualificationCoverage(
        credits_achieved=sum(spec.unit(n).credit or 0 for n in achieved),
        signed_off=tuple(n for n in achieved if n in signed),
        decision=evaluate(spec, achieved),
        units=progress,
        credited=tuple(n for n in achieved if n in credit_transfers),
    )


def _progress(
    number: str, coverage: UnitCoverage | None, signed: bool, credited: bool = False
) -> UnitProgress:
    if signed:
        return UnitProgress(number, UnitState.SIGNED_OFF, 1.0, ())
    if credited:
        return UnitProgress(number, UnitState.CREDITED, 1.0, ())
    assert coverage is not None, "a unit is listed only when signed off, credited or covered"
    if not coverage.assessable:
        return UnitProgress(number, UnitState.NOT_ASSESSABLE, 0.0, coverage.reasons)
    if coverage.ready_to_sign_off:
        state = UnitState.READY
    elif coverage.started:
        state = UnitState.IN_PROGRESS
    else:
        state = UnitState.NOT_STARTED
    return UnitProgress(number, state, coverage.progress, coverage.reasons)


def reuse_scores(units: Mapping[str, UnitCoverage] | Iterable[UnitCoverage]) -> dict[str, float]:
    """Share of each unit's criteria already backed by confirmed evidence, for the planner's
    ``Objective.MOST_REUSE``: a unit half evidenced is half the work of a fresh one.

    Judgements are left out on purpose: evidence already mapped is what a candidate reuses,
    whether or not the assessor has got round to judging it.
    """
    coverages = units.values() if isinstance(units, Mapping) else units
    return {
        c.unit: sum(bool(s.evidenced_by) for s in c.criteria) / len(c.criteria)
        if c.criteria
        else 0.0  # a unit without content has nothing to reuse (ADR 0010)
        for c in coverages
    }
