"""The appeal's rules. The handbook only names "Complaints and appeals" as a centre policy
area; the stages, windows and reviewers here are Assay's documented reading (docs/appeals.md).

An appeal is its events, in order: lodged, a stage decided (upheld or dismissed, with
reasons), escalated to the next stage, withdrawn. ``appeal_state`` folds them into where the
appeal stands; ``refusals`` says every reason one more event may not be added. The fold
trusts its events (only accepted ones are recorded), so the state never depends on who acted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from assay.engines.plausible import reason_problem

# Documented defaults (docs/appeals.md): the centre may set its own in its policy.
LODGE_DAYS = 28
"""An appeal is lodged within this many days of the decision it appeals."""
DECIDE_DAYS = 14
"""Each stage is decided within this many days of the appeal reaching it."""
ESCALATE_DAYS = 14
"""After a dismissal the candidate may escalate to the next stage within this many days."""


class Stage(StrEnum):
    ASSESSOR_REVIEW = "assessor_review"
    IQA_REVIEW = "iqa_review"
    CENTRE = "centre"
    AWARDING_BODY = "awarding_body"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.ASSESSOR_REVIEW: "assessor review",
    Stage.IQA_REVIEW: "IQA review",
    Stage.CENTRE: "centre",
    Stage.AWARDING_BODY: "awarding body",
}
STAGES: tuple[Stage, ...] = tuple(Stage)


class Status(StrEnum):
    OPEN = "open"
    """Waiting for the current stage's decision."""
    UPHELD = "upheld"
    """Final: the appealed decision is set aside (a signed-off unit is reopened)."""
    DISMISSED = "dismissed"
    """The current stage dismissed it; the candidate may escalate within the window."""
    WITHDRAWN = "withdrawn"
    """Final: the candidate withdrew it."""
    CLOSED = "closed"
    """Final: dismissed at the last stage (the awarding body)."""


FINAL = frozenset({Status.UPHELD, Status.WITHDRAWN, Status.CLOSED})


class Kind(StrEnum):
    LODGED = "lodged"
    DECIDED = "decided"
    ESCALATED = "escalated"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Event:
    """One act on an appeal. ``on`` is the day it happened; ``actor`` the account id.
    lodged: ``reason`` holds the grounds and ``decision_on`` the appealed decision's day;
    decided: ``stage`` the stage it decides (refused if the appeal is elsewhere), ``upheld``;
    escalated and withdrawn: ``reason`` says why."""

    kind: Kind
    on: date
    actor: int | None
    reason: str = ""
    stage: Stage | None = None
    upheld: bool | None = None
    decision_on: date | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an appeal's history."""

    kind: Kind
    on: date
    actor: int | None
    stage: Stage
    reason: str
    upheld: bool | None = None


@dataclass(frozen=True, slots=True)
class AppealState:
    """Where an appeal stands. ``due_on``: the day the current stage must be decided by (open)
    or the last day to escalate (dismissed), else None; ``overdue`` compares it with today."""

    stage: Stage | None
    status: Status | None
    due_on: date | None
    overdue: bool
    history: tuple[Line, ...]
    lodged_by: int | None = None
    last_on: date | None = None

    @property
    def final(self) -> bool:
        return self.status in FINAL

    @property
    def next_stage(self) -> Stage | None:
        if self.stage is None:
            return None
        index = STAGES.index(self.stage)
        return STAGES[index + 1] if index + 1 < len(STAGES) else None


@dataclass(frozen=True, slots=True)
class Actor:
    """What is known of the person adding an event, as facts about this appeal.

    ``appellant``: the candidate who lodged (or would lodge) it; ``unit_assessor``: an
    assessor of the unit on the plan; ``acted_in_decision``: made the appealed decision or any
    other decision in the unit; ``iqa``: the registration's internal verifier or a lead IQA at
    the centre; ``centre_reviewer``: a centre administrator or lead IQA there;
    ``allocated_ev``: an external verifier allocated to the centre; ``operator``: superuser."""

    user: int
    appellant: bool = False
    unit_assessor: bool = False
    acted_in_decision: bool = False
    iqa: bool = False
    centre_reviewer: bool = False
    allocated_ev: bool = False
    operator: bool = False


EMPTY = AppealState(None, None, None, False, ())


def _step(state: AppealState, event: Event) -> AppealState:
    """One accepted event applied (no checks: ``refusals`` guards what is recorded)."""
    if event.kind is Kind.LODGED:
        stage = Stage.ASSESSOR_REVIEW
        line = Line(event.kind, event.on, event.actor, stage, event.reason)
        return AppealState(
            stage,
            Status.OPEN,
            event.on + timedelta(days=DECIDE_DAYS),
            False,
            (line,),
            lodged_by=event.actor,
            last_on=event.on,
        )
    assert state.stage is not None
    stage = state.stage
    if event.kind is Kind.DECIDED:
        if event.upheld:
            status, due = Status.UPHELD, None
        elif state.next_stage is None:
            status, due = Status.CLOSED, None
        else:
            status, due = Status.DISMISSED, event.on + timedelta(days=ESCALATE_DAYS)
    elif event.kind is Kind.ESCALATED:
        stage = state.next_stage or stage
        status, due = Status.OPEN, event.on + timedelta(days=DECIDE_DAYS)
    else:
        status, due = Status.WITHDRAWN, None
    line = Line(event.kind, event.on, event.actor, stage, event.reason, event.upheld)
    return replace(
        state,
        stage=stage,
        status=status,
        due_on=due,
        history=(*state.history, line),
        last_on=event.on,
    )


def appeal_state(events: list[Event] | tuple[Event, ...], today: date) -> AppealState:
    """The appeal after its events, in order. Deterministic: the same events and day give the
    same state. ``overdue``: an open stage past its deadline (a dismissal's lapsed escalation
    window is not overdue: nobody owes anything)."""
    state = EMPTY
    for event in events:
        state = _step(state, event)
    overdue = state.status is Status.OPEN and state.due_on is not None and today > state.due_on
    return replace(state, overdue=overdue)


def decider_refusals(stage: Stage, actor: Actor) -> list[str]:
    """Separation of duties: who may decide each stage."""
    found: list[str] = []
    if stage is Stage.ASSESSOR_REVIEW:
        if not actor.unit_assessor:
            found.append("only the unit's assessor decides the assessor review")
        return found
    if actor.acted_in_decision:
        found.append(
            f"someone who acted in the appealed decision or its unit cannot decide the"
            f" {stage.label} stage"
        )
    if stage is Stage.IQA_REVIEW and not actor.iqa:
        found.append(
            "only the candidate's internal verifier or a lead IQA at the centre decides the"
            " IQA review"
        )
    elif stage is Stage.CENTRE and not actor.centre_reviewer:
        found.append("only a centre administrator or lead IQA decides the centre stage")
    elif stage is Stage.AWARDING_BODY and not (actor.allocated_ev or actor.operator):
        found.append(
            "only an external verifier allocated to the centre (or the operator) decides the"
            " awarding body stage"
        )
    return found


def refusals(state: AppealState, event: Event, actor: Actor) -> list[str]:
    """Every reason ``event`` may not be added to an appeal in ``state`` by ``actor``: none
    means it may. Deadlines for deciding are not refusals (a late decision still settles the
    stage; the delay shows as overdue), the windows to lodge and escalate are."""
    found: list[str] = []
    if state.last_on is not None and event.on < state.last_on:
        found.append("an act cannot be dated before the appeal's last act")
    if actor.appellant and event.kind is Kind.DECIDED:
        found.append("the candidate cannot decide their own appeal")
    what = {
        Kind.LODGED: "the grounds of the appeal",
        Kind.DECIDED: "the reasons for the decision",
        Kind.ESCALATED: "why the dismissal should be reviewed again",
        Kind.WITHDRAWN: "the reason the appeal is withdrawn",
    }[event.kind]
    if problem := reason_problem(event.reason, what):
        found.append(problem)
    if event.kind is Kind.LODGED:
        found.extend(_lodge_refusals(state, event, actor))
        return found
    if state.status is None:
        found.append("the appeal has not been lodged")
        return found
    if event.kind is Kind.DECIDED:
        found.extend(_decide_refusals(state, event, actor))
    elif event.kind is Kind.ESCALATED:
        found.extend(_escalate_refusals(state, event, actor))
    else:
        if not actor.appellant:
            found.append("only the candidate who lodged the appeal can withdraw it")
        if state.status not in (Status.OPEN, Status.DISMISSED):
            found.append(f"the appeal is {state.status} and cannot be withdrawn")
    return found


def _lodge_refusals(state: AppealState, event: Event, actor: Actor) -> list[str]:
    found: list[str] = []
    if state.status is not None:
        found.append("the appeal is already lodged")
    if not actor.appellant:
        found.append("only the candidate can appeal a decision on their own portfolio")
    if event.decision_on is None:
        found.append("the appealed decision's day is not known")
    elif event.on < event.decision_on:
        found.append("an appeal cannot be lodged before the decision it appeals")
    elif event.on > event.decision_on + timedelta(days=LODGE_DAYS):
        last = event.decision_on + timedelta(days=LODGE_DAYS)
        found.append(
            f"an appeal is lodged within {LODGE_DAYS} days of the decision: the last day was"
            f" {last:%d/%m/%Y}"
        )
    return found


def _decide_refusals(state: AppealState, event: Event, actor: Actor) -> list[str]:
    found: list[str] = []
    assert state.stage is not None
    if any(line.kind is Kind.DECIDED and line.actor == actor.user for line in state.history):
        found.append("an escalated appeal is decided by someone who has not decided it before")
    if state.status is not Status.OPEN:
        found.append(f"the appeal is {state.status}: no stage is waiting for a decision")
    elif event.stage is not None and event.stage is not state.stage:
        found.append(
            f"the appeal is at the {state.stage.label} stage, not the"
            f" {Stage(event.stage).label} stage"
        )
    if event.upheld is None:
        found.append("say whether the appeal is upheld or dismissed")
    found.extend(decider_refusals(state.stage, actor))
    return found


def _escalate_refusals(state: AppealState, event: Event, actor: Actor) -> list[str]:
    found: list[str] = []
    if not actor.appellant:
        found.append("only the candidate who lodged the appeal can escalate it")
    if state.status is not Status.DISMISSED:
        found.append(f"only a dismissed appeal can be escalated; this one is {state.status}")
    elif state.next_stage is None:
        found.append("the awarding body is the last stage")
    elif state.due_on is not None and event.on > state.due_on:
        found.append(
            f"a dismissal is escalated within {ESCALATE_DAYS} days: the last day was"
            f" {state.due_on:%d/%m/%Y}"
        )
    return found
