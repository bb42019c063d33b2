"""May a registration be marked completed? Only when the rules of combination are met.

A registration is complete when the units the assessors signed off, together with the units
credited through recognition of prior learning (RPL) or credit transfer, satisfy every rule of
combination at once. Units only planned, or partly evidenced, count for nothing: one click must
never close a registration with no criterion met.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..combination.evaluate import evaluate
from ..combination.model import Spec

__all__ = ["Completion", "completion_decision"]


@dataclass(frozen=True, slots=True)
class Completion:
    """The verdict, the units that count (signed off or credited, spec order) and every reason."""

    allowed: bool
    counted: tuple[str, ...]
    reasons: tuple[str, ...]


def completion_decision(
    spec: Spec, *, signed_off: Iterable[str], credited: Iterable[str]
) -> Completion:
    """Decide completion from signed-off and credited units (unknown unit numbers are ignored
    with a reason: they cannot count towards this qualification)."""
    numbers = [u.number for u in spec.units]
    signed, credit = set(signed_off), set(credited)
    achieved = [n for n in numbers if n in signed | credit]
    unknown = sorted((signed | credit) - set(numbers))
    decision = evaluate(spec, achieved)
    reasons: list[str] = []
    if unknown:
        reasons.append(f"Not units of {spec.code}, so not counted: {', '.join(unknown)}.")
    if not achieved:
        reasons.append(f"No unit of {spec.code} is signed off or credited yet.")
    if decision.met:
        how = ", ".join(
            f"{n} ({'signed off' if n in signed else 'credited'})" for n in decision.counted_units
        )
        reasons.append(f"The rules of combination of {spec.code} are met by {how}.")
        return Completion(True, decision.counted_units, tuple(reasons))
    reasons.append(
        f"The rules of combination of {spec.code} are not met by the signed-off and credited "
        f"units: {decision.summary}"
    )
    reasons.extend(r.explanation for r in decision.rules if not r.met)
    return Completion(False, tuple(achieved), tuple(reasons))
