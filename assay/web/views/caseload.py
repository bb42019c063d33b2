"""The assessor's caseload (red/amber/green and the evidence queue) and a centre's progress
over every candidate the user may see, with CSV and XLSX downloads.

Thin views: one selector from ``assay.progress.caseload`` each, then render. A centre the user
may not see answers 404 exactly like a missing one (ADR 0006); signed out → the sign-in page.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assay import clock
from assay.errors import InvalidInput
from assay.progress.caseload import (
    assessor_caseload,
    centre_progress,
    centre_progress_rows,
    evidence_queue,
    progress_csv_chunks,
    progress_xlsx,
)
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view, sentence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("html", "csv", "xlsx")
# An XLSX larger than this is spooled to a temporary file rather than held in memory.
SPOOL_BYTES = 4 * 1024 * 1024


def bad_input_is_400(view: Callable[..., Any]) -> Callable[..., Any]:
    """A bad cursor, size or filter answers 400 with the message, never a 500."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except InvalidInput as exc:
            return HttpResponseBadRequest(
                " ".join(sentence(m) for m in exc.errors.values()),
                content_type="text/plain; charset=utf-8",
            )

    return wrapper


@require_GET
@member_view
@bad_input_is_400
def caseload(request: AuthedRequest) -> HttpResponse:
    """My candidates, red first, a page at a time (``?rag=`` narrows to one colour), and what
    waits for my judgement (each list paged: ``?mcursor=``, ``?icursor=``); empty for
    non-assessors."""
    today = clock.today()
    size = request.GET.get("size")
    listed = assessor_caseload(
        request.user,
        today,
        cursor=request.GET.get("cursor"),
        size=size,
        rag=request.GET.get("rag"),
    )
    queue = evidence_queue(
        request.user,
        today,
        mapping_cursor=request.GET.get("mcursor"),
        item_cursor=request.GET.get("icursor"),
        size=size,
    )
    context = {
        "listed": listed,
        "rows": listed.rows,
        "queue": queue,
        "today": today,
        "rag": request.GET.get("rag", ""),
    }
    return render(request, "web/caseload/caseload.html", context)


@require_GET
@member_view
@bad_input_is_400
def centre_progress_page(
    request: AuthedRequest, pk: int
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """Progress across the centre's candidates the user may see, a page at a time (``?rag=``,
    ``?status=`` narrow it); ``?format=csv|xlsx`` downloads every row, streamed."""
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(f"format must be one of {', '.join(FORMATS)}")
    today = clock.today()
    if fmt == "html":
        centre, listed = centre_progress(
            request.user,
            pk,
            today,
            cursor=request.GET.get("cursor"),
            size=request.GET.get("size"),
            rag=request.GET.get("rag"),
            status=request.GET.get("status"),
        )
        context = {
            "centre": centre,
            "listed": listed,
            "rows": listed.rows,
            "today": today,
            "rag": request.GET.get("rag", ""),
        }
        return render(request, "web/caseload/centre_progress.html", context)
    centre, rows = centre_progress_rows(request.user, pk, today)
    filename = f"progress-{re.sub(r'[^A-Za-z0-9_-]', '', centre.number)}-{today.isoformat()}.{fmt}"
    if fmt == "xlsx":
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
        progress_xlsx(rows, out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
    response = StreamingHttpResponse(
        progress_csv_chunks(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
