"""One audit: its overview with the next steps, its status changes and auditors, and the
sample (drawn once, re-drawn to verify)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.pages import audit as audit_pages
from assay.audits.planning import plan_answer
from assay.errors import InvalidInput
from assay.web.audit_forms import AdvanceForm, AssignForm
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text

# --- one audit ---------------------------------------------------------------------------------


def overview_page(
    request: AuthedRequest, pk: int, error: str = "", status: int = 200
) -> HttpResponse:
    """The audit page, also shown again with a refused act's sentence (issuing the certificate
    from ``certificates`` falls back to it too)."""
    overview = audit_pages.audit_overview(request.user, pk)
    context = {
        "o": overview,
        "audit": overview.audit,
        "error": error,
        "assign_form": AssignForm(overview.body_auditors),
        "plan": plan_answer(overview.audit),
    }
    return render(request, "web/audits/audit.html", context, status=status)


@require_GET
@member_view
def audit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Status, history, auditors, and the next step open to this user."""
    return overview_page(request, pk)


@require_POST
@member_view
def audit_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return overview_page(request, pk, "Choose the next status.", 400)
    try:
        svc.audit_advance(by=request.user, audit=audit, **form.cleaned_data)
    except InvalidInput as exc:
        return overview_page(request, pk, error_text(exc), 400)
    messages.success(request, f"Audit {pk} is now in {audit.get_status_display().lower()}.")
    return redirect("audit", pk=pk)


@require_POST
@member_view
def audit_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """The lead auditor closes fieldwork with the report's summary."""
    audit = sel.audit_get(request.user, pk)
    try:
        svc.fieldwork_close(by=request.user, audit=audit, summary=request.POST.get("summary", ""))
    except InvalidInput as exc:
        return overview_page(request, pk, error_text(exc), 400)
    messages.success(request, "Fieldwork closed; the report is with the decision makers.")
    return redirect("audit", pk=pk)


@require_POST
@member_view
def audit_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    audit, auditors = audit_pages.assignable_auditors(request.user, pk)
    form = AssignForm(auditors, request.POST)
    if not form.is_valid():
        return overview_page(request, pk, "Choose one of the body's auditors.", 400)
    auditor = next(u for u in auditors if u.pk == form.cleaned_data["auditor"])
    try:
        svc.auditor_assign(by=request.user, audit=audit, auditor=auditor)
    except InvalidInput as exc:
        return overview_page(request, pk, error_text(exc), 400)
    messages.success(request, f"{auditor.get_full_name() or auditor} assigned to audit {pk}.")
    return redirect("audit", pk=pk)


@require_POST
@member_view
def audit_recertify(request: AuthedRequest, pk: int) -> HttpResponse:
    previous = sel.audit_get(request.user, pk)
    try:
        audit = svc.audit_recertify(by=request.user, previous=previous)
    except InvalidInput as exc:
        return overview_page(request, pk, error_text(exc), 400)
    messages.success(request, f"Re-certification audit {audit.pk} planned.")
    return redirect("audit", pk=audit.pk)


# --- sample ------------------------------------------------------------------------------------


def _sample(request: AuthedRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    page = audit_pages.sample_page(request.user, pk)
    return render(
        request,
        "web/audits/sample.html",
        {"page": page, "audit": page.audit, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_view
def sample(request: AuthedRequest, pk: int) -> HttpResponse:
    """The drawn sample (every pick with its reason, the seed); POST draws it, once."""
    if request.method == "POST":
        audit = sel.audit_get(request.user, pk)
        try:
            svc.sample_draw(by=request.user, audit=audit)
        except InvalidInput as exc:
            return _sample(request, pk, error_text(exc), 400)
        messages.success(request, "Sample drawn; the seed and every reason are stored.")
        return redirect("audit-sample", pk=pk)
    return _sample(request, pk)


@require_GET
@member_view
def sample_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """Re-draw from the stored seed and inputs; the answer replaces the button (htmx)."""
    check = sel.sample_verify(request.user, pk)
    return render(request, "web/audits/_verify.html", {"check": check})
