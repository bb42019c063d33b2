"""Assessment plans and progress reviews: the rules, with no Django (see ``rules.py``)."""

from assay.engines.reviews.rules import (
    CAPACITIES,
    ActivityContent,
    PlanContent,
    UnitChange,
    UnitSnapshot,
    activity_errors,
    canonical_text,
    parse_target,
    plan_errors,
    progress_between,
)

__all__ = [
    "CAPACITIES",
    "ActivityContent",
    "PlanContent",
    "UnitChange",
    "UnitSnapshot",
    "activity_errors",
    "canonical_text",
    "parse_target",
    "plan_errors",
    "progress_between",
]
