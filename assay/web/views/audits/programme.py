"""The audit programme's pages (issue 15): an audit's planned dates and man-days, a client's
certification cycle, the body's month calendar, an auditor's competence and conflicts, and
the iCalendar feed (own secret address or signed-in session)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import calendar as cal
from assay.audits import competence as comp
from assay.audits import permissions as perm
from assay.audits import planning as plan
from assay.audits import selectors as sel
from assay.audits.models import CompetenceKind
from assay.errors import InvalidInput
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text


def _plan_page(
    request: AuthedRequest,
    pk: int,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    answer = plan.plan_answer(audit)
    if values is None:
        values = {
            "opening_on": answer.opening_on.isoformat() if answer.opening_on else "",
            "closing_on": answer.closing_on.isoformat() if answer.closing_on else "",
            "note": answer.note,
        }
        for s in answer.sites:
            values[f"fieldwork_{s.office}"] = ", ".join(d.isoformat() for d in s.fieldwork)
    sites = [(s, values.get(f"fieldwork_{s.office}", "")) for s in answer.sites]
    context = {
        "audit": audit,
        "plan": answer,
        "sites": sites,
        "values": values,
        "errors": errors or {},
        "can_plan": plan.may_plan(request.user, audit) and audit.status != "decided",
    }
    return render(request, "web/audits/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def audit_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """The planned dates and each sampled office's man-days; POST sets a new plan version."""
    if request.method != "POST":
        return _plan_page(request, pk)
    audit = sel.audit_get(request.user, pk)
    values = {k: str(request.POST.get(k, "")) for k in request.POST if k != "csrfmiddlewaretoken"}
    errors: dict[str, str] = {}
    days: dict[str, dt.date] = {}
    for field in ("opening_on", "closing_on"):
        try:
            days[field] = plan.parse_day(values.get(field, ""))
        except ValueError as exc:
            errors[field] = str(exc)
    fieldwork = {}
    for key, text in values.items():
        if key.startswith("fieldwork_") and key[10:].isdigit() and text.strip():
            try:
                fieldwork[int(key[10:])] = plan.parse_days(text)
            except ValueError as exc:
                errors["fieldwork"] = str(exc)
    if not errors:
        try:
            plan.plan_set(
                by=request.user,
                audit=audit,
                opening_on=days["opening_on"],
                closing_on=days["closing_on"],
                fieldwork=fieldwork,
                note=values.get("note", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
    if errors:
        return _plan_page(request, pk, errors, values, 400)
    messages.success(request, "Dates planned; every version is kept.")
    return redirect("audit-plan", pk=pk)


@require_GET
@member_view
def organisation_programme(request: AuthedRequest, pk: int) -> HttpResponse:
    answer = cal.programme_answer(request.user, pk)
    return render(request, "web/audits/programme.html", {"p": answer})


@require_GET
@member_view
def body_calendar(request: AuthedRequest, pk: int) -> HttpResponse:
    answer = cal.body_calendar(request.user, pk, request.GET.get("month"))
    return render(request, "web/audits/calendar.html", {"c": answer})


def _competence_page(
    request: AuthedRequest, pk: int, error: str = "", status: int = 200
) -> HttpResponse:
    m = comp.membership_get(request.user, pk)
    admin = perm.can_administer(request.user, m.body_id)
    context = {
        "c": comp.competence_answer(m),
        "error": error,
        "can_record": admin,
        "can_declare": admin or m.user_id == request.user.pk,
        "kinds": CompetenceKind.choices,
        "standards": sel.standards_list() if admin else [],
        "clients": list(m.body.organisations.order_by("name"))
        if admin or m.user_id == request.user.pk
        else [],
    }
    return render(request, "web/audits/competence.html", context, status=status)


@require_GET
@member_view
def auditor_competence(request: AuthedRequest, pk: int) -> HttpResponse:
    return _competence_page(request, pk)


@require_POST
@member_view
def competence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    m = comp.membership_get(request.user, pk)
    try:
        on = plan.parse_day(request.POST.get("on", ""))
        standard = None
        if sid := request.POST.get("standard", "").strip():
            standard = next((s for s in sel.standards_list() if str(s.pk) == sid), None)
            if standard is None:
                raise InvalidInput({"standard": "choose one of the standards"})
        comp.competence_record(
            by=request.user,
            membership=m,
            kind=request.POST.get("kind", ""),
            on=on,
            standard=standard,
            title=request.POST.get("title", ""),
            note=request.POST.get("note", ""),
        )
    except ValueError as exc:
        text = error_text(exc) if isinstance(exc, InvalidInput) else str(exc)
        return _competence_page(request, pk, text, 400)
    messages.success(request, "Competence recorded.")
    return redirect("audits-auditor", pk=pk)


@require_POST
@member_view
def conflict_add(request: AuthedRequest, pk: int) -> HttpResponse:
    m = comp.membership_get(request.user, pk)
    try:
        raw = request.POST.get("organisation", "")
        org = m.body.organisations.filter(pk=int(raw) if raw.isdigit() else -1).first()
        if org is None:
            raise InvalidInput({"organisation": "choose one of the body's clients"})
        comp.conflict_declare(
            by=request.user, membership=m, organisation=org, reason=request.POST.get("reason", "")
        )
    except InvalidInput as exc:
        return _competence_page(request, pk, error_text(exc), 400)
    messages.success(request, "Conflict of interest declared.")
    return redirect("audits-auditor", pk=pk)


@require_http_methods(["GET", "POST"])
@member_view
def feed_settings(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's feed: download it, or make a secret address (shown once)."""
    address = ""
    if request.method == "POST":
        token = cal.feed_token_make(by=request.user)
        address = request.build_absolute_uri(f"/calendar/{token}.ics")
    return render(request, "web/audits/feed.html", {"address": address})


@require_GET
@member_view
def feed_mine(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's own assignments as iCalendar."""
    return HttpResponse(cal.feed_ics(request.user), content_type="text/calendar; charset=utf-8")


@require_GET
def feed_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The feed at its secret address (no session: calendar applications fetch it); an
    unknown or replaced token answers 404."""
    user = cal.feed_user(token)
    if user is None:
        raise Http404("no such feed")
    return HttpResponse(cal.feed_ics(user), content_type="text/calendar; charset=utf-8")
