"""Assessment plan and progress review endpoints: list, record, sign, complete an activity.

Auth as the other registration endpoints: a token or a signed-in session. A registration
(or plan, activity) the caller may not see answers 404 exactly like a missing one; seeing it
without the role to act answers 403; a broken rule answers 422 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from assay.api import review_schemas as r
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.keyset import Page
from assay.registrations.selectors import registration_get
from assay.registrations.signing import origin_of
from assay.reviews.models import PlannedActivity, ReviewSignature
from assay.reviews.selectors import (
    PlanView,
    activity_get,
    plan_get,
    plan_view,
    reviews_of,
)
from assay.reviews.services import (
    ActivityInput,
    PlanInput,
    activity_complete,
    plan_create,
    plan_sign,
)
from assay.users import User

router = Router(tags=["reviews"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
BASE = "registrations/{registration_id}/reviews"


def _name(user: User | None) -> str | None:
    return None if user is None else (user.get_full_name() or user.get_username())


def _activity(a: PlannedActivity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "position": a.position,
        "description": a.description,
        "method": a.method,
        "targets": list(a.targets),
        "target_date": a.target_date,
        "completed_on": a.completed_on,
        "completed_by": _name(a.completed_by) if a.completed_by_id else None,
        "completed_at": a.completed_at,
    }


def _signature(sig: ReviewSignature) -> dict[str, Any]:
    return {
        "id": sig.pk,
        "plan_id": sig.plan_id,
        "signer": _name(sig.signer),
        "capacity": sig.capacity,
        "text_sha256": sig.text_sha256,
        "at": sig.at,
    }


def _plan(v: PlanView) -> dict[str, Any]:
    p = v.plan
    return {
        "id": p.pk,
        "registration_id": p.registration_id,
        "kind": p.kind,
        "met_on": p.met_on,
        "summary": p.summary,
        "notes": p.notes,
        "next_review_on": p.next_review_on,
        "created_by": _name(p.created_by),
        "created_at": p.created_at,
        "text": v.text,
        "text_sha256": v.sha256,
        "signed": v.signed,
        "activities": [_activity(a) for a in v.activities],
        "signatures": [_signature(sig) for sig in v.signatures],
        "coverage": [
            {"unit": u.unit, "met": u.met, "total": u.total, "signed_off": u.signed_off}
            for u in v.snapshot
        ],
        "progress": None
        if v.progress is None
        else [
            {
                "unit": c.unit,
                "met_before": c.before.met if c.before else None,
                "met_after": c.after.met,
                "total": c.after.total,
                "gained": c.gained,
                "newly_signed_off": c.newly_signed_off,
            }
            for c in v.progress
        ],
    }


@router.get(BASE, response={200: s.PageOut[r.ReviewPlanOut], 400: s.Error, **ERRORS})
def list_reviews(
    request: HttpRequest, registration_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """The assessment plans and progress reviews, oldest first, one page at a time, with
    activities, signatures, the exact signed text and (for a review) the progress since the
    record before it (on the page or before it)."""
    return reviews_of(who(request), registration_id, page.cursor, page.size).map(_plan)


@router.post(BASE, response={201: r.ReviewPlanOut, **ERRORS})
def create_review(request: HttpRequest, registration_id: int, body: r.ReviewPlanIn) -> Status[Any]:
    """Record a plan or review (an assessor of the candidate). Target dates must not be after
    the registration's end date; targets are "unit:target" of the planned units."""
    user = who(request)
    registration = registration_get(user, registration_id)
    data = PlanInput(
        kind=body.kind,
        met_on=body.met_on,
        summary=body.summary,
        notes=body.notes,
        next_review_on=body.next_review_on,
        activities=tuple(
            ActivityInput(a.description, a.method, tuple(a.targets), a.target_date)
            for a in body.activities
        ),
    )
    plan = plan_create(by=user, registration=registration, data=data)
    return Status(201, _plan(plan_view(registration, plan.pk)))


@router.post(f"{BASE}/{{plan_id}}/signatures", response={201: r.ReviewSignatureOut, **ERRORS})
def sign_review(
    request: HttpRequest, registration_id: int, plan_id: int, body: r.SignIn
) -> Status[Any]:
    """Sign as the candidate, one of their assessors or their employer contact, once per
    capacity. The signature keeps the SHA-256 of the plan's text (see ``text`` in the list)."""
    user = who(request)
    signature = plan_sign(
        by=user,
        plan=plan_get(user, registration_id, plan_id),
        capacity=body.capacity,
        origin=origin_of(request),
        expected_sha256=body.text_sha256,
    )
    return Status(201, _signature(signature))


@router.post(f"{BASE}/activities/{{activity_id}}/complete", response={200: r.ActivityOut, **ERRORS})
def complete_activity(
    request: HttpRequest, registration_id: int, activity_id: int, body: r.CompleteIn
) -> dict[str, Any]:
    """Mark a planned activity done (an assessor of the candidate; who and when are kept)."""
    user = who(request)
    activity = activity_complete(
        by=user,
        activity=activity_get(user, registration_id, activity_id),
        on=body.completed_on,
    )
    return _activity(activity)
