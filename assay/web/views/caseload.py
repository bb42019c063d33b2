"""The assessor's caseload (red/amber/green and the evidence queue) and a centre's progress
over every candidate the user may see, with CSV and XLSX downloads.

Thin views: one selector from ``assay.progress.caseload`` each, then render. A centre the user
may not see answers 404 exactly like a missing one (ADR 0006); signed out → the sign-in page.
"""

from __future__ import annotations

import io
import re

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assay import clock
from assay.progress.caseload import (
    assessor_caseload,
    centre_progress,
    evidence_queue,
    progress_csv_chunks,
    progress_xlsx,
)
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("html", "csv", "xlsx")


@require_GET
@member_view
def caseload(request: AuthedRequest) -> HttpResponse:
    """My candidates, red first, and what waits for my judgement (empty for non-assessors)."""
    today = clock.today()
    context = {
        "rows": assessor_caseload(request.user, today),
        "queue": evidence_queue(request.user, today),
        "today": today,
    }
    return render(request, "web/caseload/caseload.html", context)


@require_GET
@member_view
def centre_progress_page(request: AuthedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """Progress across the centre's candidates the user may see; ``?format=csv|xlsx``
    downloads the same rows."""
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(f"format must be one of {', '.join(FORMATS)}")
    today = clock.today()
    centre, rows = centre_progress(request.user, pk, today)
    if fmt == "html":
        context = {"centre": centre, "rows": rows, "today": today}
        return render(request, "web/caseload/centre_progress.html", context)
    filename = f"progress-{re.sub(r'[^A-Za-z0-9_-]', '', centre.number)}-{today.isoformat()}.{fmt}"
    if fmt == "xlsx":
        out = io.BytesIO()
        progress_xlsx(rows, out)
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            out.getvalue(), content_type=XLSX
        )
    else:
        response = StreamingHttpResponse(
            progress_csv_chunks(rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
