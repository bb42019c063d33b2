"""Appeal and complaint endpoints: lodge, decide, escalate, withdraw, read one, list a
centre's appeals (paged); record and list a centre's complaints (paged).

Auth as the other endpoints: a token or a signed-in session. What the caller may not see
answers 404 exactly like a missing one; seeing it without the role to act answers 403; a
broken rule (a window passed, a blank reason, the wrong stage) answers 422 and changes
nothing; an edited page cursor answers 400.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from assay import clock
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.appeals.models import Appeal, Complaint
from assay.appeals.services import (
    APPEALABLE,
    COMPLAINTS_NEWEST_FIRST,
    NEWEST_FIRST,
    appeal_decide,
    appeal_escalate,
    appeal_get,
    appeal_lodge,
    appeal_registration_get,
    appeal_state_of,
    appeal_withdraw,
    centre_appeals,
    centre_complaints,
    centre_get,
    complaint_record,
)
from assay.errors import NotFound
from assay.keyset import Page, paginate
from assay.portfolios.models import Decision

router = Router(tags=["appeals"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    422: s.Error,
}
BASE = "registrations/{registration_id}/appeals"


class AppealLodgeIn(Schema):
    decision_id: int = Field(description="A criterion judgement, rejected mapping or sign-off")
    grounds: str


class AppealDecideIn(Schema):
    upheld: bool
    reasons: str
    stage: str | None = Field(
        default=None, description="The stage the reviewer saw; refused if the appeal moved on"
    )


class AppealReasonIn(Schema):
    reason: str


class ComplaintIn(Schema):
    text: str


class AppealHistoryOut(Schema):
    kind: str
    on: date
    stage: str
    actor_id: int | None
    reason: str
    upheld: bool | None


class AppealSummaryOut(Schema):
    id: int
    registration_id: int
    unit: str
    decision_id: int
    stage: str
    status: str
    due_on: date | None
    lodged_at: datetime


class AppealOut(AppealSummaryOut):
    grounds: str
    overdue: bool
    history: list[AppealHistoryOut]


class ComplaintOut(Schema):
    id: int
    centre_id: int
    by_id: int
    text: str
    at: datetime


def _summary(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "registration_id": a.registration_id,
        "unit": a.unit_number,
        "decision_id": a.decision_id,
        "stage": a.stage,
        "status": a.status,
        "due_on": a.due_on,
        "lodged_at": a.lodged_at,
    }


def _appeal(a: Appeal) -> dict[str, Any]:
    state = appeal_state_of(a, clock.today())
    history = [
        {
            "kind": str(line.kind),
            "on": line.on,
            "stage": str(line.stage),
            "actor_id": line.actor,
            "reason": line.reason,
            "upheld": line.upheld,
        }
        for line in state.history
    ]
    return {**_summary(a), "grounds": a.grounds, "overdue": state.overdue, "history": history}


def _complaint(c: Complaint) -> dict[str, Any]:
    return {"id": c.pk, "centre_id": c.centre_id, "by_id": c.by_id, "text": c.text, "at": c.at}


@router.post(BASE, response={201: AppealOut, **ERRORS})
def lodge_appeal(request: HttpRequest, registration_id: int, body: AppealLodgeIn) -> Status[Any]:
    """The candidate appeals a decision on their own portfolio, within 28 days of it."""
    user = who(request)
    registration = appeal_registration_get(user, registration_id)
    decision = Decision.objects.filter(
        pk=body.decision_id, registration=registration, kind__in=APPEALABLE
    ).first()
    if decision is None:
        raise NotFound("no such decision")
    appeal = appeal_lodge(
        by=user, registration=registration, decision=decision, grounds=body.grounds
    )
    return Status(201, _appeal(appeal))


@router.get(f"{BASE}/{{appeal_id}}", response={200: AppealOut, **ERRORS})
def get_appeal(request: HttpRequest, registration_id: int, appeal_id: int) -> dict[str, Any]:
    """One appeal with its stage, deadline and history (folded from its chain)."""
    return _appeal(appeal_get(who(request), registration_id, appeal_id))


@router.post(f"{BASE}/{{appeal_id}}/decide", response={200: AppealOut, **ERRORS})
def decide_appeal(
    request: HttpRequest, registration_id: int, appeal_id: int, body: AppealDecideIn
) -> dict[str, Any]:
    """The current stage's reviewer upholds or dismisses the appeal, with reasons."""
    user = who(request)
    appeal = appeal_get(user, registration_id, appeal_id)
    decided = appeal_decide(
        by=user, appeal=appeal, upheld=body.upheld, reasons=body.reasons, stage=body.stage
    )
    return _appeal(decided)


@router.post(f"{BASE}/{{appeal_id}}/escalate", response={200: AppealOut, **ERRORS})
def escalate_appeal(
    request: HttpRequest, registration_id: int, appeal_id: int, body: AppealReasonIn
) -> dict[str, Any]:
    """The candidate takes a dismissed appeal to the next stage within 14 days."""
    user = who(request)
    appeal = appeal_get(user, registration_id, appeal_id)
    return _appeal(appeal_escalate(by=user, appeal=appeal, reason=body.reason))


@router.post(f"{BASE}/{{appeal_id}}/withdraw", response={200: AppealOut, **ERRORS})
def withdraw_appeal(
    request: HttpRequest, registration_id: int, appeal_id: int, body: AppealReasonIn
) -> dict[str, Any]:
    """The candidate withdraws an open or dismissed appeal."""
    user = who(request)
    appeal = appeal_get(user, registration_id, appeal_id)
    return _appeal(appeal_withdraw(by=user, appeal=appeal, reason=body.reason))


@router.get(
    "centres/{centre_id}/appeals",
    response={200: s.PageOut[AppealSummaryOut], **ERRORS},
)
def list_appeals(
    request: HttpRequest, centre_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """A centre's appeals, newest first (its administrators, lead IQAs and allocated EVs)."""
    user = who(request)
    appeals = centre_appeals(user, centre_get(user, centre_id))
    return paginate(appeals, NEWEST_FIRST, page.cursor, page.size).map(_summary)


@router.post("centres/{centre_id}/complaints", response={201: ComplaintOut, **ERRORS})
def make_complaint(request: HttpRequest, centre_id: int, body: ComplaintIn) -> Status[Any]:
    """A complaint about the centre (anyone with a role there, or a candidate there)."""
    user = who(request)
    complaint = complaint_record(by=user, centre=centre_get(user, centre_id), text=body.text)
    return Status(201, _complaint(complaint))


@router.get(
    "centres/{centre_id}/complaints",
    response={200: s.PageOut[ComplaintOut], **ERRORS},
)
def list_complaints(
    request: HttpRequest, centre_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """A centre's complaints, newest first (its administrators, lead IQAs and allocated EVs)."""
    user = who(request)
    complaints = centre_complaints(user, centre_get(user, centre_id))
    return paginate(complaints, COMPLAINTS_NEWEST_FIRST, page.cursor, page.size).map(_complaint)
