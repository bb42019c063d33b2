"""Plan checks and completions for a qualification: the one place CLI, API and web call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import (
    qualification_engine_spec,
    units_without_content,
)
from assay.engines.combination.evaluate import Decision, evaluate
from assay.engines.combination.planner import Objective, complete
from assay.errors import NotFound


def _known(qual: Qualification, units: Iterable[str]) -> list[str]:
    spec = qualification_engine_spec(qual)
    numbers = {u.number for u in spec.units}
    wanted = list(dict.fromkeys(units))
    unknown = [u for u in wanted if u not in numbers]
    if unknown:
        raise NotFound(f"unknown unit {unknown[0]!r} in {qual.code}")
    return wanted


def decision_dict(decision: Decision) -> dict[str, Any]:
    return {
        "met": decision.met,
        "total_credits": decision.total_credits,
        "counted_units": list(decision.counted_units),
        "summary": decision.summary,
        "rules": [
            {
                "rule": r.rule_id,
                "text": r.text,
                "met": r.met,
                "explanation": r.explanation,
                "have": r.have,
                "need": r.need,
            }
            for r in decision.rules
        ],
    }


def plan_check(qual: Qualification, units: Iterable[str]) -> dict[str, Any]:
    """Whether these achieved units achieve the qualification, rule by rule, with reasons."""
    achieved = _known(qual, units)
    return decision_dict(evaluate(qualification_engine_spec(qual), achieved))


def plan_complete(
    qual: Qualification,
    *,
    have: Iterable[str] = (),
    exclude: Iterable[str] = (),
    objective: str = Objective.FEWEST_GLH.value,
    reuse: Mapping[str, float] | None = None,
    allow_without_content: bool = False,
) -> dict[str, Any]:
    """The optimal set of units to add, or an honest reason why none exists.

    ``reuse`` (unit number → share of its criteria already evidenced, 0..1) steers the
    ``most-reuse`` objective towards units the candidate has partly evidenced already.
    Units whose content is not in the catalogue are never suggested unless
    ``allow_without_content``: they can be achieved only by credit transfer (ADR 0010).
    Units already held count whatever their content."""
    held = _known(qual, have)
    excluded = _known(qual, exclude)
    if not allow_without_content:
        excluded += sorted(units_without_content(qual) - set(held) - set(excluded))
    plan = complete(
        qualification_engine_spec(qual),
        held,
        excluded,
        objective=Objective(objective.replace("-", "_")),
        reuse=reuse,
    )
    return {
        "feasible": plan.feasible,
        "add": list(plan.add),
        "added_glh": plan.added_glh,
        "objective": plan.objective,
        "reason": plan.reason,
        "decision": decision_dict(plan.decision) if plan.decision else None,
    }
