"""The audit programme's endpoints (issue 15): an audit's planned dates and audit time, a
client's certification cycle, a body's month calendar, auditor competence and conflicts of
interest, and the signed-in auditor's own iCalendar feed.

They join the audits' router (one path, one router). A thing the caller may not see answers
404 like a missing one; seeing it without the role answers 403; bad input 422, nothing changed.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema, Status
from pydantic import Field

from assay.api import audits as audit_routes
from assay.api import schemas as s
from assay.api.audit_clients import Strict
from assay.api.auth import who
from assay.audits import calendar as cal
from assay.audits import competence as comp
from assay.audits import permissions as perm
from assay.audits import planning as plan
from assay.audits import selectors as sel
from assay.audits.models import BodyMembership, BodyRole
from assay.errors import InvalidInput, NotFound

router = audit_routes.router
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class AuditFieldworkIn(Strict):
    office: int
    days: list[dt.date] = Field(description="Fieldwork days at this sampled office")


class AuditPlanIn(Strict):
    opening_on: dt.date
    closing_on: dt.date
    fieldwork: list[AuditFieldworkIn] = []
    note: str = ""


class AuditorCompetenceIn(Strict):
    kind: str = Field(description="standard | training | observed")
    on: dt.date
    standard: str | None = Field(None, description="For kind standard: its code")
    version: int | None = Field(None, description="For kind standard: its version")
    title: str = ""
    note: str = ""


class AuditorConflictIn(Strict):
    organisation: int
    reason: str


class AuditCalendarQuery(Schema):
    month: str | None = Field(None, description="YYYY-MM (default: this month)")


class AuditorRowOut(Schema):
    membership: int
    username: str
    name: str
    active: bool


@router.get("audits/{audit_id}/plan", response={200: plan.AuditPlanOut, **ERRORS})
def plan_get(request: HttpRequest, audit_id: int) -> plan.AuditPlanOut:
    """The planned dates and, per sampled office, its headcount and man-days with reasons."""
    return plan.audit_plan(who(request), audit_id)


@router.put("audits/{audit_id}/plan", response={200: plan.AuditPlanOut, **ERRORS})
def plan_put(request: HttpRequest, audit_id: int, body: AuditPlanIn) -> plan.AuditPlanOut:
    """Set the dates (a new plan version; the body's administrators or the lead auditor)."""
    user = who(request)
    audit = sel.audit_get(user, audit_id)
    fieldwork: dict[int, list[dt.date]] = {}
    for f in body.fieldwork:
        fieldwork.setdefault(f.office, []).extend(f.days)
    plan.plan_set(
        by=user,
        audit=audit,
        opening_on=body.opening_on,
        closing_on=body.closing_on,
        fieldwork=fieldwork,
        note=body.note,
    )
    return plan.plan_answer(audit)


@router.get("organisations/{org_id}/programme", response={200: cal.AuditProgrammeOut, **ERRORS})
def programme(request: HttpRequest, org_id: int) -> cal.AuditProgrammeOut:
    """The client's audits per certification-cycle year and the next re-certification due."""
    return cal.programme_answer(who(request), org_id)


@router.get("bodies/{body_id}/calendar", response={200: cal.AuditCalendarOut, **ERRORS})
def calendar(
    request: HttpRequest, body_id: int, q: Query[AuditCalendarQuery]
) -> cal.AuditCalendarOut:
    """A month of the body's planned audit days (an auditor sees their own audits)."""
    return cal.body_calendar(who(request), body_id, q.month)


@router.get("bodies/{body_id}/auditors", response={200: list[AuditorRowOut], **ERRORS})
def auditors(request: HttpRequest, body_id: int) -> list[AuditorRowOut]:
    """The body's auditors (administrators and decision makers)."""
    user = who(request)
    body = sel.body_get(user, body_id)
    if not (
        perm.can_administer(user, body.pk)
        or perm.has_body_role(user, body.pk, BodyRole.DECISION_MAKER)
    ):
        raise NotFound(f"no certifying body {body_id}")
    rows = BodyMembership.objects.filter(body=body, role=BodyRole.AUDITOR).select_related("user")
    return [
        AuditorRowOut(
            membership=m.pk,
            username=m.user.get_username(),
            name=m.user.get_full_name() or m.user.get_username(),
            active=m.active,
        )
        for m in rows.order_by("pk")
    ]


@router.get(
    "auditors/{membership_id}/competence",
    response={200: comp.AuditorCompetenceOut, **ERRORS},
)
def competence(request: HttpRequest, membership_id: int) -> comp.AuditorCompetenceOut:
    """An auditor's qualifications, training, observed audits and declared conflicts."""
    return comp.auditor_competence(who(request), membership_id)


@router.post(
    "auditors/{membership_id}/competence",
    response={201: comp.AuditorCompetenceOut, **ERRORS},
)
def competence_add(
    request: HttpRequest, membership_id: int, body: AuditorCompetenceIn
) -> Status[comp.AuditorCompetenceOut]:
    """Record a qualification, a training or an observed audit (administrators)."""
    user = who(request)
    membership = comp.membership_get(user, membership_id)
    standard = None
    if body.standard is not None:
        try:
            standard = sel.standard_get(body.standard, body.version)
        except NotFound:
            raise InvalidInput({"standard": f"no standard {body.standard!r}"}) from None
    comp.competence_record(
        by=user,
        membership=membership,
        kind=body.kind,
        on=body.on,
        standard=standard,
        title=body.title,
        note=body.note,
    )
    return Status(201, comp.competence_answer(membership))


@router.post(
    "auditors/{membership_id}/conflicts",
    response={201: comp.AuditorCompetenceOut, **ERRORS},
)
def conflict_add(
    request: HttpRequest, membership_id: int, body: AuditorConflictIn
) -> Status[comp.AuditorCompetenceOut]:
    """Declare the auditor's conflict of interest with a client (the auditor or an
    administrator); such an auditor is never assigned to the client's audits."""
    user = who(request)
    membership = comp.membership_get(user, membership_id)
    # An auditor names any client of the body (even one whose audits they cannot see).
    organisation = membership.body.organisations.filter(pk=body.organisation).first()
    if organisation is None:
        raise InvalidInput({"organisation": f"no client {body.organisation} of this body"})
    comp.conflict_declare(
        by=user, membership=membership, organisation=organisation, reason=body.reason
    )
    return Status(201, comp.competence_answer(membership))


@router.get(
    "me/calendar.ics",
    response={200: None, 401: s.Error},
    openapi_extra={
        "responses": {
            200: {
                "description": "iCalendar (RFC 5545)",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The caller's own assignments as iCalendar (all-day opening, fieldwork and closing)."""
    return HttpResponse(cal.feed_ics(who(request)), content_type="text/calendar; charset=utf-8")
