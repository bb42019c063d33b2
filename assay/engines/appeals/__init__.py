"""Appeals against assessment decisions: the stages, their deadlines and who may decide each,
as a pure fold over an appeal's events (docs/appeals.md)."""

from .rules import (
    DECIDE_DAYS,
    ESCALATE_DAYS,
    LODGE_DAYS,
    STAGES,
    Actor,
    AppealState,
    Event,
    Kind,
    Line,
    Stage,
    Status,
    appeal_state,
    decider_refusals,
    refusals,
)

__all__ = [
    "DECIDE_DAYS",
    "ESCALATE_DAYS",
    "LODGE_DAYS",
    "STAGES",
    "Actor",
    "AppealState",
    "Event",
    "Kind",
    "Line",
    "Stage",
    "Status",
    "appeal_state",
    "decider_refusals",
    "refusals",
]
