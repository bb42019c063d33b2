"""What a client needs to run an audit from nothing with a token only (issue 15), beside the
audits' router: a certifying body (the operator), its roles (the body's administrators or the
operator grant them to existing accounts), an organisation's contacts (the body's
administrators), and the audit report as PDF or XLSX (whoever sees the audit).

A body or organisation the caller may not see answers 404 like a missing one; seeing it without
the role answers 403; an unknown username or role answers 422 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from assay.api import audits as audit_routes
from assay.api import schemas as s
from assay.api.auth import who
from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.errors import InvalidInput
from assay.users import User

router = audit_routes.router
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class BodyIn(Strict):
    name: str = Field(max_length=200)
    reference: str = Field(max_length=32)
    certificate_prefix: str = Field("ICSS", description="First part of certificate numbers")


class BodyOut(Schema):
    id: int
    name: str
    reference: str
    certificate_prefix: str


class RoleIn(Strict):
    username: str = Field(max_length=150)
    role: str = Field(description="administrator, auditor or decision_maker")


class RoleOut(Schema):
    body: int
    username: str
    role: str
    active: bool


class ContactIn(Strict):
    username: str = Field(max_length=150)


class ContactOut(Schema):
    organisation: int
    username: str
    active: bool


def _account(username: str) -> User:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput({"username": f"unknown user {username[:150]!r}"})
    return user


@router.post("bodies", response={201: BodyOut, **ERRORS})
def body_create(request: HttpRequest, body: BodyIn) -> Status[Any]:
    """A new certifying body (the operator only)."""
    row = svc.body_create(
        by=who(request), name=body.name, reference=body.reference, prefix=body.certificate_prefix
    )
    return Status(201, BodyOut(**{f: getattr(row, f) for f in BodyOut.model_fields}))


@router.post("bodies/{body_id}/roles", response={201: RoleOut, **ERRORS})
def body_role_grant(request: HttpRequest, body_id: int, body: RoleIn) -> Status[Any]:
    """Grant an existing account a role at the body (its administrators or the operator);
    granting a role already held changes nothing."""
    user = who(request)
    row = svc.body_role_grant(
        by=user, body=sel.body_get(user, body_id), user=_account(body.username), role=body.role
    )
    return Status(
        201, RoleOut(body=row.body_id, username=body.username, role=row.role, active=row.active)
    )


@router.post("organisations/{org_id}/contacts", response={201: ContactOut, **ERRORS})
def contact_grant(request: HttpRequest, org_id: int, body: ContactIn) -> Status[Any]:
    """Make an existing account a contact of the organisation (self-assessment, documents for
    review, its results): the body's administrators."""
    user = who(request)
    row = svc.contact_grant(
        by=user, organisation=sel.organisation_get(user, org_id), user=_account(body.username)
    )
    return Status(
        201, ContactOut(organisation=row.organisation_id, username=body.username, active=row.active)
    )


_BINARY = {
    "responses": {
        200: {
            "description": "The rendered report",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _report(request: HttpRequest, audit_id: int, kind: str) -> HttpResponse:
    from assay.audits.reports.build import report_for

    built = report_for(who(request), audit_id)
    if kind == "pdf":
        from assay.audits.reports.pdf import render_pdf

        content, media = render_pdf(built), "application/pdf"
    else:
        from assay.audits.reports.xlsx import render_xlsx

        content = render_xlsx(built)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="audit-{audit_id}-report.{kind}"'
    return response


@router.get("audits/{audit_id}/report.pdf", response={200: None, **ERRORS}, openapi_extra=_BINARY)
def report_pdf(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The audit report as PDF (what ``assay audits report --format pdf`` writes)."""
    return _report(request, audit_id, "pdf")


@router.get("audits/{audit_id}/report.xlsx", response={200: None, **ERRORS}, openapi_extra=_BINARY)
def report_xlsx(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The audit report as XLSX (what ``assay audits report --format xlsx`` writes)."""
    return _report(request, audit_id, "xlsx")
