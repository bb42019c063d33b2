"""Centre endpoints: dashboards, the candidate list, registering (one or a file), export.

Every endpoint needs a token or a signed-in session. A centre the caller may not see answers
404 exactly like a missing one; seeing it without the role to act answers 403.
"""

from __future__ import annotations

import re
import tempfile
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from ninja import File, Query, Router, Status, UploadedFile

from assay.api import registration_schemas as r
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.catalogue.selectors import qualification_get
from assay.centres.permissions import can_administer
from assay.errors import NotAllowed
from assay.keyset import Page
from assay.portfolios import anchors
from assay.registrations import bulk
from assay.registrations.bulk_results import BulkImported, BulkReport
from assay.registrations.candidate_list import (
    REGISTRATION_ORDER,
    CandidateFilter,
    centre_candidates,
    centre_candidates_page,
)
from assay.registrations.dashboard import (
    CentreDashboard,
    CentreSummary,
    centre_dashboard,
    centre_get,
    centre_page,
)
from assay.registrations.export import export_csv_chunks, export_xlsx
from assay.registrations.services import CandidateInput, registration_check, registration_create
from assay.registrations.shapes import (
    EntryCheckOut,
    RegistrationDetail,
    RegistrationSummary,
    StatusName,
)

router = Router(tags=["centres"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
PAGED = {400: s.Error, **ERRORS}  # 400: a page cursor that is not valid (any more)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _candidate(body: r.CandidateIn) -> CandidateInput:
    return CandidateInput(
        first_name=body.first_name,
        last_name=body.last_name,
        date_of_birth=body.date_of_birth,
        email=body.email,
        phone=body.phone,
        employer=body.employer,
        job_role=body.job_role,
        job_kind=body.job_kind,
        held=tuple(body.held_qualifications),
    )


def _must_administer(request: HttpRequest, centre_id: int) -> Any:
    user = who(request)
    centre = centre_get(user, centre_id)
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can register candidates")
    return user, centre


@router.get("centres", response={200: s.PageOut[CentreSummary], **PAGED})
def centres(request: HttpRequest, page: Query[s.PageQuery]) -> Page[CentreSummary]:
    """The centres the caller works at (staff roles), with their roles there, by name, one
    page at a time (`next`/`previous` are the cursors of the pages around it)."""
    return centre_page(who(request), page.cursor, page.size)


@router.get("centres/{centre_id}", response={200: CentreDashboard, **ERRORS})
def centre(request: HttpRequest, centre_id: int) -> CentreDashboard:
    """Dashboard figures: candidates by status, approvals, staff A/V deadlines."""
    user = who(request)
    return centre_dashboard(user, centre_get(user, centre_id))


@router.get("centres/{centre_id}/anchors", response={200: s.PageOut[s.AnchorHead], **PAGED})
def centre_anchors(
    request: HttpRequest, centre_id: int, page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """The current head of every decision and enrolment chain of the centre's registrations
    (centre administrator, lead IQA, external verifier), a page of `size` registrations at a
    time (up to two heads each). Keep them: written one object per line,
    `assay records verify --anchors FILE` proves later that nothing before it was deleted or
    rewritten (the web page's download holds every head in one file)."""
    return anchors.centre_anchor_page(who(request), centre_id, page.cursor, page.size)


@router.get(
    "centres/{centre_id}/registrations",
    response={200: s.PageOut[RegistrationSummary], **PAGED},
    tags=["registrations"],
)
def centre_registrations(
    request: HttpRequest,
    centre_id: int,
    page: Query[s.PageQuery],
    status: StatusName | None = None,
    qualification: str | None = Query(None, max_length=64, description="A qualification code"),
) -> Page[RegistrationSummary]:
    """The centre's registrations the caller may see (an assessor: their own candidates), in
    the order they were made (by id), one page at a time; optionally only one `status` or one
    `qualification`. The export gives them all in one file, by name."""
    user = who(request)
    narrow = CandidateFilter(status=status or "", qualification=qualification or "")
    found = centre_candidates_page(
        user,
        centre_get(user, centre_id),
        narrow,
        page.cursor,
        page.size,
        held=True,
        ordering=REGISTRATION_ORDER,
    )
    return found.map(RegistrationSummary.of)


@router.post(
    "centres/{centre_id}/registrations",
    response={201: RegistrationDetail, **ERRORS},
    tags=["registrations"],
)
def register(request: HttpRequest, centre_id: int, body: r.RegistrationIn) -> Status[Any]:
    """Register a new candidate. A refusal answers 422 `refused` with every reason in
    `details` (each `{code, message}`) and saves nothing but the logged attempt."""
    user = who(request)
    registration = registration_create(
        by=user,
        centre=centre_get(user, centre_id),
        qualification_key=body.qualification,
        candidate_input=_candidate(body),
        registered_on=body.registered_on,
    )
    return Status(201, RegistrationDetail.of(registration))


@router.post(
    "centres/{centre_id}/registrations/check",
    response={200: EntryCheckOut, **ERRORS},
    tags=["registrations"],
)
def check(request: HttpRequest, centre_id: int, body: r.RegistrationIn) -> EntryCheckOut:
    """The entry rules' decision for these details, without saving or logging anything."""
    _, centre = _must_administer(request, centre_id)
    decision = registration_check(
        centre=centre,
        qualification=qualification_get(body.qualification),
        candidate=_candidate(body),
        registered_on=body.registered_on,
    )
    return EntryCheckOut.of(decision)


@router.post(
    "centres/{centre_id}/bulk",
    response={200: BulkReport, 201: BulkImported, **ERRORS},
    tags=["registrations"],
)
def bulk_register(
    request: HttpRequest, centre_id: int, file: File[UploadedFile], dry_run: bool = False
) -> Status[Any]:
    """Register the candidates of a CSV (UTF-8) or XLSX file, header row first, columns
    `first_name, last_name, date_of_birth, email, phone, employer, job_role, job_kind,
    qualification, registered_on, held_qualifications` (`;`-separated codes).

    `dry_run=true` lists every row's errors and changes nothing. Otherwise all or nothing:
    one bad row and 422 lists each bad row in `details`."""
    user, centre = _must_administer(request, centre_id)
    rows = bulk.iter_rows(file, name=file.name or "")
    if dry_run:
        return Status(200, BulkReport.of(bulk.bulk_check(by=user, centre=centre, rows=rows)))
    return Status(201, BulkImported.of(bulk.bulk_import_ids(by=user, centre=centre, rows=rows)))


@router.get(
    "centres/{centre_id}/registrations/export",
    response={200: None, **ERRORS},
    tags=["registrations"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The candidate list in the bulk import columns",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export(
    request: HttpRequest, centre_id: int, format: Literal["csv", "xlsx"] = "csv"
) -> FileResponse | StreamingHttpResponse:
    """The centre's candidates the caller may see, as CSV (default) or XLSX, streamed."""
    user = who(request)
    centre = centre_get(user, centre_id)
    registrations = centre_candidates(user, centre)
    filename = f"candidates-{re.sub(r'[^A-Za-z0-9_-]', '', centre.number)}.{format}"
    if format == "xlsx":
        # Written row by row into a file on disk, then sent from it: memory stays flat
        # whatever the number of candidates (the file is deleted once closed).
        out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it once sent)
        try:
            export_xlsx(registrations, out)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        response: FileResponse | StreamingHttpResponse = FileResponse(out, content_type=XLSX)
    else:
        response = StreamingHttpResponse(
            export_csv_chunks(registrations), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
