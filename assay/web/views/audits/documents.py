"""Document review in the browser: the audit's review documents (upload, attach to more
attributes, detach with a reason, download). With htmx an attach or detach swaps the
document's card in place; without it, back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import document_review as dr
from assay.audits.pages.documents import documents_page_for
from assay.errors import InvalidInput
from assay.web.requests import AuthedHtmxRequest, AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _page(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    page = documents_page_for(request.user, pk, request.GET.get("cursor"), request.GET.get("size"))
    context = {"page": page, "audit": page.audit, "errors": errors or {}, "posted": request.POST}
    return render(request, "web/audits/documents.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def documents(request: AuthedRequest, pk: int) -> HttpResponse:
    """The review documents (whoever sees the audit); POST: upload one (the organisation's
    contact or an assigned auditor, until fieldwork is closed)."""
    if request.method != "POST":
        return _page(request, pk)
    page = documents_page_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, pk, {"file": "Choose a file to upload."}, 400)
    try:
        dr.review_document_upload(
            by=request.user,
            audit=page.audit,
            upload=upload,
            original_name=upload.name or "",
            attributes=_codes(request.POST.get("attributes", "")),
            expected_size=upload.size,
        )
    except InvalidInput as exc:
        return _page(request, pk, {"upload": error_text(exc)}, 400)
    messages.success(request, f"{upload.name} stored for review.")
    return redirect("audit-documents", pk=pk)


def _card(
    request: AuthedRequest, pk: int, document_pk: int, error: str = "", status: int = 200
) -> HttpResponse:
    page = documents_page_for(request.user, pk)
    doc = dr.document_answer(dr.document_get(request.user, pk, document_pk))
    context = {"page": page, "audit": page.audit, "d": doc, "card_error": error}
    return render(request, "web/audits/_document_card.html", context, status=status)


def _after(request: AuthedHtmxRequest, pk: int, document_pk: int, done: str) -> HttpResponse:
    if request.htmx:
        return _card(request, pk, document_pk)
    messages.success(request, done)
    return redirect("audit-documents", pk=pk)


def _refused(
    request: AuthedHtmxRequest, pk: int, document_pk: int, exc: InvalidInput
) -> HttpResponse:
    if request.htmx:
        return _card(request, pk, document_pk, error_text(exc), 200)
    return _page(request, pk, {f"document-{document_pk}": error_text(exc)}, 400)


@require_POST
@member_view
def document_attach(request: AuthedHtmxRequest, pk: int, document_pk: int) -> HttpResponse:
    """Attach the document to more attributes."""
    document = dr.document_get(request.user, pk, document_pk)
    try:
        dr.review_document_attach(
            by=request.user,
            document=document,
            attributes=_codes(request.POST.get("attributes", "")),
        )
    except InvalidInput as exc:
        return _refused(request, pk, document_pk, exc)
    return _after(request, pk, document_pk, f"{document.original_name} attached.")


@require_POST
@member_view
def document_detach(request: AuthedHtmxRequest, pk: int, document_pk: int) -> HttpResponse:
    """Detach the document from one attribute: a reason and the confirmation are required."""
    document = dr.document_get(request.user, pk, document_pk)
    try:
        if request.POST.get("confirm") != "yes":
            raise InvalidInput({"confirm": "tick the box to confirm the detach"})
        dr.review_document_detach(
            by=request.user,
            document=document,
            attribute=request.POST.get("attribute", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        return _refused(request, pk, document_pk, exc)
    return _after(request, pk, document_pk, f"{document.original_name} detached; the file stays.")


@require_GET
@member_view
def document_file(request: AuthedRequest, pk: int, document_pk: int) -> FileResponse:
    """Download a review document (whoever sees the audit), as an attachment."""
    row, content = dr.document_open(request.user, pk, document_pk)
    return FileResponse(
        content, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )
