"""Caseload endpoints: the assessor's caseload with red/amber/green and its reasons, the queue of
evidence waiting for them, and a centre's progress over every candidate the caller may see.

Auth as the other endpoints (a token or a signed-in session). A centre the caller may not see
answers 404 exactly like a missing one (ADR 0006); the caseload and queue of someone who
assesses nobody are simply empty.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from assay import clock
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.progress.caseload import (
    CaseloadRow,
    ProgressList,
    assessor_caseload,
    centre_progress,
    centre_progress_rows,
    evidence_queue,
    progress_csv_chunks,
    progress_xlsx,
)

router = Router(tags=["caseload"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class RagOut(Schema):
    status: str
    reasons: list[str]


class CaseloadRowOut(Schema):
    registration_id: int
    candidate: str
    qualification: str
    status: str
    registered_on: dt.date
    end_date: dt.date
    criteria_met: int
    criteria_planned: int
    percent_met: int
    units_signed_off: int
    units_planned: int
    next_target: dt.date | None
    rag: RagOut
    my_units: list[str]


class CaseloadQuery(s.PageQuery):
    """A page of the list (``cursor``, ``size``), optionally one colour only."""

    rag: str | None = None


class CentreProgressQuery(CaseloadQuery):
    status: str | None = None


class CaseloadOut(s.PageOut[CaseloadRowOut]):
    """One page of registrations (``items``, red first) and how many the whole list holds of
    each colour (``counts``, the ``rag`` filter excepted)."""

    today: dt.date
    counts: dict[str, int]


class CentreProgressOut(CaseloadOut):
    centre_id: int
    centre_number: str


class QueuedMappingOut(Schema):
    mapping_id: int
    registration_id: int
    candidate: str
    evidence_id: int
    unit: str
    target: str
    waiting_since: dt.datetime
    waited_days: int


class QueuedItemOut(Schema):
    evidence_id: int
    registration_id: int
    candidate: str
    description: str
    waiting_since: dt.datetime
    waited_days: int
    proposals: int


class QueueQuery(Schema):
    """Each list of the queue pages on its own cursor; ``size`` rows of each (1–200)."""

    mapping_cursor: str | None = Field(default=None, max_length=4096)
    item_cursor: str | None = Field(default=None, max_length=4096)
    size: int = Field(default=50, ge=1, le=200)


class QueueOut(Schema):
    mappings: s.PageOut[QueuedMappingOut]
    items: s.PageOut[QueuedItemOut]


def _row(row: CaseloadRow) -> dict[str, Any]:
    r = row.registration
    return {
        "registration_id": r.pk,
        "candidate": str(r.candidate),
        "qualification": r.qualification.code,
        "status": r.status,
        "registered_on": r.registered_on,
        "end_date": r.end_date,
        "criteria_met": row.criteria_met,
        "criteria_planned": row.criteria_planned,
        "percent_met": row.percent_met,
        "units_signed_off": row.units_signed_off,
        "units_planned": row.units_planned,
        "next_target": row.next_target,
        "rag": {"status": row.rag.status.value, "reasons": list(row.rag.reasons)},
        "my_units": list(row.my_units),
    }


def _page(listed: ProgressList, today: dt.date) -> dict[str, Any]:
    page = listed.rows
    return {
        "items": [_row(r) for r in page.items],
        "next": page.next,
        "previous": page.previous,
        "size": page.size,
        "today": today,
        "counts": listed.counts,
    }


@router.get("caseload", response={200: CaseloadOut, **ERRORS})
def caseload(request: HttpRequest, query: Query[CaseloadQuery]) -> dict[str, Any]:
    """The caller's open registrations with a unit assigned to them, red first, a page at a
    time; every status comes with its reasons. ``rag`` narrows to one colour."""
    today = clock.today()
    listed = assessor_caseload(
        who(request), today, cursor=query.cursor, size=query.size, rag=query.rag
    )
    return _page(listed, today)


@router.get("caseload/queue", response={200: QueueOut, **ERRORS})
def queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    """Proposed mappings on the caller's units (oldest first; waiting since the evidence was
    added) and evidence with files but no mapping decided (oldest upload first), a page of
    each: pass a list's ``next`` back as ``mapping_cursor`` or ``item_cursor``."""
    q = evidence_queue(
        who(request),
        clock.today(),
        mapping_cursor=query.mapping_cursor,
        item_cursor=query.item_cursor,
        size=query.size,
    )
    mappings, items = q.mappings, q.items
    return {
        "mappings": {
            "next": mappings.next,
            "previous": mappings.previous,
            "size": mappings.size,
            "items": [
                {
                    "mapping_id": m.mapping.pk,
                    "registration_id": m.mapping.item.registration_id,
                    "candidate": str(m.mapping.item.registration.candidate),
                    "evidence_id": m.mapping.item_id,
                    "unit": m.mapping.unit_number,
                    "target": m.mapping.target,
                    "waiting_since": m.since,
                    "waited_days": m.waited_days,
                }
                for m in mappings
            ],
        },
        "items": {
            "next": items.next,
            "previous": items.previous,
            "size": items.size,
            "items": [
                {
                    "evidence_id": i.item.pk,
                    "registration_id": i.item.registration_id,
                    "candidate": str(i.item.registration.candidate),
                    "description": i.item.description,
                    "waiting_since": i.since,
                    "waited_days": i.waited_days,
                    "proposals": i.proposals,
                }
                for i in items
            ],
        },
    }


@router.get("centres/{centre_id}/progress", response={200: CentreProgressOut, **ERRORS})
def progress(
    request: HttpRequest, centre_id: int, query: Query[CentreProgressQuery]
) -> dict[str, Any]:
    """Every registration at the centre the caller may see, with the caseload figures and
    red/amber/green (red first), a page at a time; ``rag`` and ``status`` narrow it. Every row
    at once, streamed: the page's ``?format=csv|xlsx`` links or ``assay portfolio progress``."""
    today = clock.today()
    centre, listed = centre_progress(
        who(request),
        centre_id,
        today,
        cursor=query.cursor,
        size=query.size,
        rag=query.rag,
        status=query.status,
    )
    return {**_page(listed, today), "centre_id": centre.pk, "centre_number": centre.number}


class ExportQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "centres/{centre_id}/progress/export",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "Every row of the centre's progress as CSV or XLSX",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def progress_export(
    request: HttpRequest, centre_id: int, query: Query[ExportQuery]
) -> StreamingHttpResponse | FileResponse:
    """Every registration at the centre the caller may see, in the list's order (red first),
    with the columns of the page's downloads: CSV streamed row by row, or an XLSX workbook
    written row by row into a temporary file. Memory does not grow with the centre."""
    today = clock.today()
    centre, rows = centre_progress_rows(who(request), centre_id, today)
    number = re.sub(r"[^A-Za-z0-9_-]", "", centre.number)
    filename = f"progress-{number}-{today.isoformat()}.{query.format}"
    if query.format == "xlsx":
        spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        progress_xlsx(rows, spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)
    response = StreamingHttpResponse(
        progress_csv_chunks(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
