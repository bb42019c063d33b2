"""Findings and corrective actions: the auditor raises, the organisation's contact answers,
the auditor reviews and verifies. Each view calls one service; refusals answer 403/404 (the
services' and selectors' sentences) and bad input 400 with the page and nothing changed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assay.audits import findings as fnd
from assay.audits import selectors as sel
from assay.audits.pages.findings import findings_page
from assay.errors import InvalidInput
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text


def _page(request: AuthedRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    page = findings_page(request.user, pk)
    context = {"page": page, "audit": page.audit, "error": error}
    return render(request, "web/audits/findings.html", context, status=status)


@require_GET
@member_view
def findings(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


def _int(value: str | None, field: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise InvalidInput({field: f"choose the {field}"}) from None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput({"due_on": "the due date is a date (yyyy-mm-dd)"}) from None


@require_POST
@member_view
def finding_raise(request: AuthedRequest, pk: int) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    p = request.POST
    try:
        found = fnd.finding_raise(
            by=request.user,
            audit=audit,
            data=fnd.FindingInput(
                _int(p.get("office"), "office"),
                p.get("attribute", ""),
                p.get("grade", ""),
                p.get("summary", ""),
                p.get("evidence", ""),
                p.get("note", ""),
                _date(p.get("due_on")),
            ),
        )
    except InvalidInput as exc:
        return _page(request, pk, error_text(exc), 400)
    messages.success(request, f"Finding {found.ref} raised.")
    return redirect("audit-findings", pk=pk)


@require_POST
@member_view
def finding_respond(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    action = sel.action_get(request.user, pk, number)
    try:
        fnd.corrective_action_respond(
            by=request.user,
            action=action,
            owner=request.POST.get("owner", ""),
            response=request.POST.get("response", ""),
        )
    except InvalidInput as exc:
        return _page(request, pk, error_text(exc), 400)
    messages.success(request, f"Your response to F{number} is sent to the auditor.")
    return redirect("audit-findings", pk=pk)


@require_POST
@member_view
def finding_review(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    action = sel.action_get(request.user, pk, number)
    decision = request.POST.get("decision")
    try:
        if decision == "verify":
            fnd.corrective_action_verify(
                by=request.user, action=action, note=request.POST.get("note", "")
            )
        elif decision in ("accept", "reject"):
            fnd.corrective_action_review(
                by=request.user,
                action=action,
                accept=decision == "accept",
                note=request.POST.get("note", ""),
            )
        else:
            raise InvalidInput({"decision": "choose accept, reject or verify"})
    except InvalidInput as exc:
        return _page(request, pk, error_text(exc), 400)
    messages.success(request, f"F{number}: corrective action {action.state}.")
    return redirect("audit-findings", pk=pk)
