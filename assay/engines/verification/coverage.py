"""The plan's coverage matrix: assessor × unit × method, sampled against required, with RAG.

A cell holds one assessor's units in one unit number assessed by one method (a unit assessed
by observation and witness testimony sits in two cells). What a cell requires is what the
strategy asks of its sign-offs: ⌈Σ rate⌉ over them, each at the rate of its assessor on the
sign-off day (``strategy.assess``) — all of a trainee's, at least one wherever an experienced
assessor signed off anything. So a red cell is a combination of assessor, unit and method with
sign-offs that nobody looked at. Units in progress add to the population and, when sampled, to
what was sampled, but require nothing (interim sampling counts per quarter, not per cell).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .model import AssessorProfile, Period, UnitRecord
from .sample import population_of, required
from .strategy import Strategy, assess

__all__ = ["Cell", "Rag", "coverage", "rag"]


class Rag(StrEnum):
    """Red: required but none sampled; amber: some, below required; green: met."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def rag(required: int, sampled: int) -> Rag:
    if sampled >= required:
        return Rag.GREEN
    return Rag.RED if sampled == 0 else Rag.AMBER


@dataclass(frozen=True, slots=True)
class Cell:
    """One assessor × unit × method: units in the period, units required by the strategy,
    units sampled, and the RAG of sampled against required."""

    assessor_id: str
    unit: str
    method: str
    population: int
    required: int
    sampled: int
    rag: Rag


def coverage(
    strategy: Strategy,
    records: Iterable[UnitRecord],
    assessors: Iterable[AssessorProfile],
    sampled: Iterable[tuple[str, str]],
    *,
    period: Period,
) -> tuple[Cell, ...]:
    """The matrix for ``period``: ``sampled`` holds the (registration, unit) keys already
    sampled (the drawn plan's keys, the verifications done, or both). Cells by assessor, unit,
    method. ValueError for a record whose assessor has no profile."""
    profiles = {a.id: a for a in assessors}
    taken = set(sampled)
    tally: dict[tuple[str, str, str], tuple[int, Fraction, int]] = {}
    for record in population_of(records, period):
        if record.assessor_id not in profiles:
            raise ValueError(f"assessor {record.assessor_id!r} has no profile")
        rate = Fraction(0)
        if record.signed_off_on is not None:
            rate = assess(strategy, profiles[record.assessor_id], record.signed_off_on).rate
        hit = int(record.key in taken)
        for method in record.methods:
            key = (record.assessor_id, record.unit, method)
            n, owed, got = tally.get(key, (0, Fraction(0), 0))
            tally[key] = (n + 1, owed + rate, got + hit)
    cells: list[Cell] = []
    for (assessor_id, unit, method), (n, owed, got) in sorted(tally.items()):
        need = required(owed, 1)
        cells.append(Cell(assessor_id, unit, method, n, need, got, rag(need, got)))
    return tuple(cells)
