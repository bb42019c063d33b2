"""Bulk registration in the browser (centre administrators): upload a CSV or XLSX file, see
every row's errors, import all or nothing. The rules are ``registrations/bulk.py``'s, the same
as the CLI's and the API's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assay import clock
from assay.errors import InvalidInput
from assay.registrations import overview
from assay.registrations.bulk_upload import bulk_upload, decode_upload
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


@require_http_methods(["GET", "POST"])
@member_view
def bulk_register(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET the upload form; POST ``check`` (dry run) or ``import`` (all or nothing)."""
    page = overview.registration_form(request.user, pk, clock.today())
    context: dict[str, Any] = {"page": page, "outcome": None, "file_error": ""}
    if request.method != "POST":
        return render(request, "web/centres/bulk.html", context)
    upload = request.FILES.get("file")
    commit = request.POST.get("action") == "import"
    try:
        if upload is not None:
            content, name = upload.read(), upload.name or "upload"
        elif request.POST.get("content"):
            content = decode_upload(request.POST["content"])
            name = request.POST.get("name", "upload.csv")
        else:
            raise InvalidInput({"file": "choose a CSV or Excel (.xlsx) file"})
        outcome = bulk_upload(
            by=request.user,
            centre=page.centre,
            content=content,
            name=name,
            commit=commit,
        )
    except InvalidInput as exc:
        context["file_error"] = "; ".join(exc.errors.values())
        return render(request, "web/centres/bulk.html", context, status=400)
    if outcome.job is not None:  # a large file: the worker registers it
        return redirect("job", pk=outcome.job.pk)
    if outcome.imported:
        messages.success(
            request, f"Registered {len(outcome.imported)} candidate(s) from {outcome.name}."
        )
        return redirect("centre-dashboard", pk=page.centre.pk)
    context["outcome"] = outcome
    return render(request, "web/centres/bulk.html", context, status=200 if outcome.ok else 422)
