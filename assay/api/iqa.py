"""Internal quality assurance endpoints: the caller's IQA queue, verifying a pick, drawing a
centre's sample, reading a draw (its gaps and coverage as drawn) and its picks a page at a
time.

Auth as the other endpoints (a token or a signed-in session). A pick or draw the caller may
not see answers 404 exactly like a missing one; one they see but may not act on, 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.errors import NotAllowed, NotFound
from assay.keyset import Page
from assay.verification import quality, selectors
from assay.verification.models import SampleDraw, SamplePick, StandardisationActivity
from assay.verification.services import sample_draw, strategy_set, unit_verify
from assay.verification.standardisation import (
    ActionInput,
    ActivityInput,
    action_done,
    activity_record,
)

router = Router(tags=["iqa"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, 401: s.Error, 403: s.Error, 422: s.Error}


class PickOut(Schema):
    id: int
    draw_id: int
    position: int
    registration_id: int
    candidate: str
    unit: str
    stage: str
    dimension: str
    reasons: list[str]
    assessor_id: int | None
    verifier_id: int | None
    refusals: list[str]
    due_on: dt.date
    outcome: str | None = Field(description="The latest verification's outcome (null: none)")


class GapOut(Schema):
    dimension: str
    message: str


class CellOut(Schema):
    assessor: str
    unit: str
    method: str
    population: int
    required: int
    sampled: int
    rag: str


class DrawOut(Schema):
    id: int
    centre_id: int
    qualification: str
    period_start: dt.date
    period_end: dt.date
    seed: int
    drawn_by: str
    drawn_at: dt.datetime
    picks: int = Field(description="How many picks; read them from /iqa/draws/{id}/picks")
    gaps: list[GapOut]
    cells: list[CellOut]


class VerifyIn(Schema):
    outcome: Literal["agree", "action_required"]
    feedback: str = Field(max_length=5000)
    due_on: dt.date | None = None
    expected_seq: int | None = Field(default=None, ge=0)


class DrawIn(Schema):
    qualification: str = Field(max_length=64)
    period_start: dt.date
    period_end: dt.date
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)


class VerificationOut(Schema):
    decision_seq: int
    pick: PickOut


def _pick(row: SamplePick) -> dict[str, Any]:
    return {
        "id": row.pk,
        "draw_id": row.draw_id,
        "position": row.position,
        "registration_id": row.registration_id,
        "candidate": str(row.registration.candidate),
        "unit": row.unit_number,
        "stage": row.stage,
        "dimension": row.dimension,
        "reasons": list(row.reasons),
        "assessor_id": row.assessor_id,
        "verifier_id": row.verifier_id,
        "refusals": list(row.refusals),
        "due_on": row.due_on,
        "outcome": getattr(row, "outcome", None),
    }


def _draw(row: SampleDraw) -> dict[str, Any]:
    return {
        "id": row.pk,
        "centre_id": row.centre_id,
        "qualification": row.qualification_code,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "seed": row.seed,
        "drawn_by": row.drawn_by.get_username(),
        "drawn_at": row.drawn_at,
        "picks": row.picks.count(),
        "gaps": row.gaps,
        "cells": row.cells,
    }


@router.get("iqa/queue", response={200: s.PageOut[PickOut], **LIST_ERRORS})
def queue(request: HttpRequest, page: Query[s.PageQuery]) -> Page[dict[str, Any]]:
    """The picks allocated to the caller still to verify, oldest due first (internal
    verifiers and lead IQAs; 403 for anyone else)."""
    return selectors.queue_page(who(request), page.cursor, page.size).map(_pick)


@router.post("iqa/picks/{pick_id}/verify", response={200: VerificationOut, **ERRORS})
def verify(request: HttpRequest, pick_id: int, body: VerifyIn) -> dict[str, Any]:
    """Agree, or require action (with ``due_on``): a chained decision on the registration;
    action required on a signed-off unit reopens it. The allocated IV or a lead IQA."""
    user = who(request)
    pick = selectors.pick_get(user, pick_id)
    decision = unit_verify(
        by=user,
        pick=pick,
        outcome=body.outcome,
        feedback=body.feedback,
        due_on=body.due_on,
        expected_seq=body.expected_seq,
    )
    return {"decision_seq": decision.seq, "pick": _pick(selectors.pick_get(user, pick_id))}


@router.post("centres/{centre_id}/iqa/draws", response={201: DrawOut, **ERRORS})
def draw(request: HttpRequest, centre_id: int, body: DrawIn) -> Status[dict[str, Any]]:
    """Draw the centre's sample for a qualification and period (lead IQA or centre
    administrator); the same ``seed`` over the same records draws the same picks."""
    user = who(request)
    centre = selectors.lead_centre(user, centre_id)
    row = sample_draw(
        by=user,
        centre=centre,
        qualification=body.qualification,
        period_start=body.period_start,
        period_end=body.period_end,
        seed=body.seed,
    )
    return Status(201, _draw(selectors.draw_get(user, row.pk)))


@router.get("iqa/draws/{draw_id}", response={200: DrawOut, **ERRORS})
def draw_read(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    """A draw with its gaps and coverage as drawn (its centre's lead IQA or administrator)."""
    return _draw(selectors.draw_get(who(request), draw_id))


@router.get(
    "iqa/draws/{draw_id}/picks", response={200: s.PageOut[PickOut], 404: s.Error, **LIST_ERRORS}
)
def draw_picks(
    request: HttpRequest, draw_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """A draw's picks with their reasons, in drawing order, a page at a time."""
    row = selectors.draw_get(who(request), draw_id)
    return selectors.picks_page(row, page.cursor, page.size).map(_pick)


class IqaStrategyIn(Schema):
    qualification: str = Field(max_length=64)
    strategy: dict[str, Any] = Field(
        description="The strategy as plain data: base_rate, rules {risk: rate}, "
        "standardisation_months, … (docs/iqa.md); rates as 0.1, '1/10' or '10%'"
    )


class IqaStrategyOut(Schema):
    id: int
    centre_id: int
    qualification: str
    strategy: dict[str, Any]
    created_by: str
    created_at: dt.datetime


@router.post("centres/{centre_id}/iqa/strategy", response={201: IqaStrategyOut, **ERRORS})
def strategy(request: HttpRequest, centre_id: int, body: IqaStrategyIn) -> Status[dict[str, Any]]:
    """Set the sampling strategy of a qualification (lead IQA or centre administrator): a new
    current strategy; every problem named (422) and nothing saved when one is wrong."""
    user = who(request)
    centre = selectors.lead_centre(user, centre_id)
    row = strategy_set(by=user, centre=centre, qualification=body.qualification, data=body.strategy)
    return Status(
        201,
        {
            "id": row.pk,
            "centre_id": centre.pk,
            "qualification": row.qualification_code,
            "strategy": row.data,
            "created_by": user.get_username(),
            "created_at": row.created_at,
        },
    )


class StandardisationActionIn(Schema):
    text: str = Field(max_length=20000)
    owner: str = Field(max_length=150, description="The username of one of the centre's staff")
    due_on: dt.date


class StandardisationIn(Schema):
    held_on: dt.date
    kind: Literal["meeting", "evidence_comparison", "other"]
    summary: str = Field(max_length=20000)
    decisions: str = Field(default="", max_length=20000)
    qualification: str = Field(default="", max_length=64, description="Empty: every one")
    attendees: list[str] = Field(description="Usernames of the centre's assessors and IVs")
    actions: list[StandardisationActionIn] = Field(default_factory=list)


class StandardisationActionOut(Schema):
    id: int
    text: str
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    done_by: str | None


class StandardisationOut(Schema):
    id: int
    centre_id: int
    qualification: str
    held_on: dt.date
    kind: str
    summary: str
    decisions: str
    attendees: list[str]
    actions: list[StandardisationActionOut]
    created_by: str
    created_at: dt.datetime


def _activity(row: StandardisationActivity) -> dict[str, Any]:
    return {
        "id": row.pk,
        "centre_id": row.centre_id,
        "qualification": row.qualification_code,
        "held_on": row.held_on,
        "kind": row.kind,
        "summary": row.summary,
        "decisions": row.decisions,
        "attendees": [u.get_username() for u in row.attendees.all()],
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "owner": a.owner.get_username(),
                "due_on": a.due_on,
                "done_at": a.done_at,
                "done_by": a.done_by.get_username() if a.done_by else None,
            }
            for a in row.actions.all()
        ],
        "created_by": row.created_by.get_username(),
        "created_at": row.created_at,
    }


@router.get(
    "centres/{centre_id}/iqa/standardisation",
    response={200: s.PageOut[StandardisationOut], 404: s.Error, **LIST_ERRORS},
)
def standardisation_list(
    request: HttpRequest, centre_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """The centre's standardisation activities, newest first (lead IQA, administrator, IVs;
    an assessor sees the ones they attended; anyone else 404)."""
    user = who(request)
    view = quality.standardisation_centre(user, centre_id)
    return quality.activities_page(view, user, page.cursor, page.size).map(_activity)


@router.post(
    "centres/{centre_id}/iqa/standardisation", response={201: StandardisationOut, **ERRORS}
)
def standardisation_record(
    request: HttpRequest, centre_id: int, body: StandardisationIn
) -> Status[dict[str, Any]]:
    """Record an activity with its attendees and actions (lead IQA or administrator)."""
    user = who(request)
    view = quality.standardisation_centre(user, centre_id)
    row = activity_record(
        by=user,
        centre=view.centre,
        data=ActivityInput(
            held_on=body.held_on,
            kind=body.kind,
            summary=body.summary,
            decisions=body.decisions,
            qualification=body.qualification,
            attendees=body.attendees,
            actions=[ActionInput(a.text, a.owner, a.due_on) for a in body.actions],
        ),
    )
    return Status(201, _activity(quality.activity_read(row.pk)))


class StandardisationFlagOut(Schema):
    staff_id: int
    role: str
    last_on: dt.date | None
    message: str


@router.get(
    "centres/{centre_id}/iqa/standardisation/flags",
    response={200: list[StandardisationFlagOut], **ERRORS},
)
def standardisation_flags(request: HttpRequest, centre_id: int) -> list[dict[str, Any]]:
    """Assessors and IVs not standardised in the configured months, today (lead IQA,
    administrator, IVs)."""
    view = quality.standardisation_centre(who(request), centre_id)
    if not view.reader:
        raise NotAllowed("only the centre's lead IQA, administrator or IVs see the flags")
    return [
        {
            "staff_id": int(f.staff_id),
            "role": f.role.value,
            "last_on": f.last_on,
            "message": f.message,
        }
        for f in quality.flags_of(view.centre)
    ]


@router.post(
    "centres/{centre_id}/iqa/standardisation/actions/{action_id}/done",
    response={200: StandardisationActionOut, **ERRORS},
)
def standardisation_action_done(
    request: HttpRequest, centre_id: int, action_id: int
) -> dict[str, Any]:
    """Mark an action done (its owner, the lead IQA or administrator)."""
    user = who(request)
    action = quality.action_get(user, action_id)
    if action.activity.centre_id != centre_id:
        raise NotFound(f"no standardisation action {action_id}")
    action_done(by=user, action=action)
    return {
        "id": action.pk,
        "text": action.text,
        "owner": action.owner.get_username(),
        "due_on": action.due_on,
        "done_at": action.done_at,
        "done_by": user.get_username(),
    }
