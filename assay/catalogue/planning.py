"""Plan checks and completions for a qualification: the one place CLI, API and web call, and
the read models they all answer with (the API's response schemas, the CLI's JSON, the pages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, PrivateAttr

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import (
    qualification_engine_spec,
    units_without_content,
)
from assay.engines.combination.evaluate import Decision, RuleResult, evaluate
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


# The read models say what they are in comments: a docstring would become API text.


# One rule of combination: met or not, why, and the amounts counted and needed.
class RuleState(BaseModel):
    # The engine's result with its typed rule rides along unserialised, so a page asks it what
    # kind of rule this is instead of re-reading the spec.

    model_config = ConfigDict(frozen=True)

    rule: str
    text: str
    met: bool
    explanation: str
    have: int | None
    need: int | None
    _result: RuleResult | None = PrivateAttr(default=None)

    @classmethod
    def of(cls, result: RuleResult) -> RuleState:
        state = cls(
            rule=result.rule_id,
            text=result.text,
            met=result.met,
            explanation=result.explanation,
            have=result.have,
            need=result.need,
        )
        state._result = result
        return state

    @property
    def meter(self) -> str:
        """How to draw the counts: "progress" towards a minimum, "cap" for a maximum (a bar
        would read as progress), or "" when there is nothing to draw or the rule's kind is
        unknown (a state read back from JSON carries no engine result)."""
        if self._result is None or self.have is None or not self.need:
            return ""
        return "cap" if self._result.is_cap else "progress"


# Whether the units achieve the qualification, rule by rule, with a summary.
class PlanDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    met: bool
    total_credits: int | None
    counted_units: list[str]
    summary: str
    rules: list[RuleState]

    @classmethod
    def of(cls, decision: Decision) -> PlanDecision:
        return cls(
            met=decision.met,
            total_credits=decision.total_credits,
            counted_units=list(decision.counted_units),
            summary=decision.summary,
            rules=[RuleState.of(r) for r in decision.rules],
        )


# The units to add, or why none exist, and the decision they reach.
class PlanCompletion(BaseModel):
    model_config = ConfigDict(frozen=True)

    feasible: bool
    add: list[str]
    added_glh: int | None
    objective: str
    reason: str | None
    decision: PlanDecision | None


def plan_check(qual: Qualification, units: Iterable[str]) -> PlanDecision:
    """Whether these achieved units achieve the qualification, rule by rule, with reasons."""
    achieved = _known(qual, units)
    return PlanDecision.of(evaluate(qualification_engine_spec(qual), achieved))


def plan_complete(
    qual: Qualification,
    *,
    have: Iterable[str] = (),
    exclude: Iterable[str] = (),
    objective: str = Objective.FEWEST_GLH.value,
    reuse: Mapping[str, float] | None = None,
    allow_without_content: bool = False,
) -> PlanCompletion:
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
    return PlanCompletion(
        feasible=plan.feasible,
        add=list(plan.add),
        added_glh=plan.added_glh,
        objective=plan.objective,
        reason=plan.reason,
        decision=PlanDecision.of(plan.decision) if plan.decision else None,
    )
