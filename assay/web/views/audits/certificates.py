"""The decision, the certificate (issue, see, withdraw) and the public certificate register."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.certificates import MARK, certificate_issue, certificate_withdraw
from assay.audits.pages import audit as audit_pages
from assay.audits.pdf import certificate_pdf
from assay.audits.reference_answers import PublicCertificateOut
from assay.errors import InvalidInput, NotFound
from assay.web.audit_forms import RegisterForm, RegisterSearchForm
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.audit import overview_page
from assay.web.views.audits.present import error_text

# --- decision and certificate ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_view
def decision(request: AuthedRequest, pk: int) -> HttpResponse:
    """The engine's reasons on the latest scores, then the decision maker confirms; a decision
    maker who scored the audit is refused with the reason (403 on POST)."""
    if request.method == "POST":
        audit = sel.audit_get(request.user, pk)
        try:
            row = svc.decision_record(
                by=request.user,
                audit=audit,
                rationale=request.POST.get("rationale", ""),
                conditions=request.POST.get("conditions", ""),
            )
        except InvalidInput as exc:
            page = audit_pages.decision_preview(request.user, pk)
            return render(
                request,
                "web/audits/decision.html",
                {"page": page, "audit": page.audit, "error": error_text(exc)},
                status=400,
            )
        verdict = "certifiable" if row.certifiable else "not certifiable"
        messages.success(request, f"Decision recorded: {verdict}.")
        return redirect("audit-decision", pk=pk)
    page = audit_pages.decision_preview(request.user, pk)
    return render(request, "web/audits/decision.html", {"page": page, "audit": page.audit})


@require_POST
@member_view
def certificate_new(request: AuthedRequest, pk: int) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    try:
        certificate = certificate_issue(by=request.user, audit=audit)
    except InvalidInput as exc:
        return overview_page(request, pk, error_text(exc), 400)
    messages.success(request, f"Certificate {certificate.number} issued.")
    return redirect("audit-certificate", number=certificate.number)


def _certificate(
    request: AuthedRequest, number: str, error: str = "", status: int = 200
) -> HttpResponse:
    page = audit_pages.certificate_page(request.user, number)
    context = {"page": page, "mark": MARK, "error": error}
    return render(request, "web/audits/certificate.html", context, status=status)


@require_GET
@member_view
def certificate_detail(request: AuthedRequest, number: str) -> HttpResponse:
    """A certificate for those who may see it; the mark only while it is valid."""
    return _certificate(request, number)


@require_GET
@member_view
def certificate_download(request: AuthedRequest, number: str) -> HttpResponse:
    """The printable certificate (PDF with a QR code to the public register entry), for those
    who may see the certificate (``certificate_get``: 404 to anyone else, like a missing one).
    Not public: the register is the public check (see docs/audits.md)."""
    certificate = sel.certificate_get(request.user, number)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@require_POST
@member_view
def certificate_withdraw_view(request: AuthedRequest, number: str) -> HttpResponse:
    """Withdraw from today with a reason (``certificate_withdraw`` decides who may and whether
    the reason will do: 403 / 400 with its sentence, nothing changed)."""
    certificate = sel.certificate_get(request.user, number)
    try:
        certificate_withdraw(
            by=request.user, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except InvalidInput as exc:
        return _certificate(request, number, error_text(exc), 400)
    messages.success(request, f"Certificate {certificate.number} withdrawn.")
    return redirect("audit-certificate", number=certificate.number)


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register: anyone checks a certificate number (``?number=``, the QR code's
    link) and sees only public fields, or searches by organisation name or part of a number
    (``?q=``, case and accents ignored) and gets a keyset page of current, expired and
    withdrawn certificates, each with its status."""
    form = RegisterForm(request.GET if "number" in request.GET else None)
    search = RegisterSearchForm(request.GET if "number" not in request.GET else None)
    found: PublicCertificateOut | None = None
    problem = ""
    if form.is_valid():
        try:
            found = sel.certificate_public(form.cleaned_data["number"])
        except NotFound as exc:
            problem = str(exc)[:1].upper() + str(exc)[1:] + "."
    listed = None
    if "number" not in request.GET:
        query = search.cleaned_data["q"] if search.is_valid() else ""
        if search.is_bound and not search.is_valid():
            problem = "Type part of an organisation's name or a certificate number."
        else:
            try:
                listed = sel.register_search(
                    query, request.GET.get("cursor"), request.GET.get("size")
                )
            except InvalidInput as exc:
                problem = error_text(exc)
    status = 404 if problem and form.is_bound else (400 if problem else 200)
    return render(
        request,
        "web/audits/register.html",
        {"form": form, "search": search, "found": found, "listed": listed, "problem": problem},
        status=status,
    )
