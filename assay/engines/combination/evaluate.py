"""Is a qualification achieved by these units, and if not, what is missing?

A qualification is achieved when some selection of the achieved units (the counted units)
meets every rule at once, so extra units never make a candidate fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .explain import RuleResult, explain
from .linear import dot, linearise
from .model import Spec, UnknownUnit
from .select import select

__all__ = ["Decision", "RuleResult", "UnknownUnit", "evaluate"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict, the units counted towards it (spec order), each rule's state and a summary.

    When not met, rule states are for the best selection the caps allow (most rules met, then
    most credit, then most units). ``total_credits`` is None when no unit carries credit.
    """

    met: bool
    total_credits: int | None
    counted_units: tuple[str, ...]
    rules: tuple[RuleResult, ...]
    summary: str


def evaluate(spec: Spec, achieved: Iterable[str]) -> Decision:
    """Decide ``spec`` for the achieved unit numbers (duplicates ignored, unknown ones raise
    ``UnknownUnit``)."""
    lin = linearise(spec)
    held = lin.mask(achieved)
    selection = select(lin, held)
    rules, summary = explain(lin, held, selection)
    return Decision(
        met=selection.met,
        total_credits=dot(lin.credits, selection.counted) if lin.has_credit else None,
        counted_units=lin.names(selection.counted),
        rules=rules,
        summary=summary,
    )
