"""Background job endpoints: start a portfolio export, follow a job's progress, download its
result. Only the person who asked (and the awarding body's staff) sees a job; anyone else's
answers 404 exactly like a missing one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.jobs.models import Job
from assay.jobs.selectors import job_get, job_result_open
from assay.jobs.services import RESULT_TYPES
from assay.portfolios.tasks import portfolio_export_job

router = Router(tags=["jobs"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 404: s.Error, 422: s.Error}


class JobOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    done: int
    total: int
    percent: int
    attempts: int
    result_text: str
    result_filename: str
    result_type: str
    result_size: int | None
    download: str | None
    error: str
    created_at: datetime
    finished_at: datetime | None


def _out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "attempts": job.attempts,
        "result_text": job.result_text,
        "result_filename": job.result_filename,
        "result_type": job.result_type,
        "result_size": job.result_size,
        "download": f"/api/v1/jobs/{job.pk}/download" if job.result_name else None,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get("jobs/{job_id}", response={200: JobOut, **ERRORS})
def job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """One job: its state, progress (``done`` of ``total``, ``percent``) and, once done, the
    address of its result file (``download``) or its error."""
    return _out(job_get(who(request), job_id))


@router.get(
    "jobs/{job_id}/download",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The job's result file (a PDF, ZIP or spreadsheet)",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in sorted(RESULT_TYPES)
                },
            }
        }
    },
)
def download(request: HttpRequest, job_id: int) -> FileResponse:
    """The job's result file; 404 until it is done (and for a job that leaves no file)."""
    row, content = job_result_open(who(request), job_id)
    return FileResponse(
        content, as_attachment=True, filename=row.result_filename, content_type=row.result_type
    )


@router.post(
    "registrations/{registration_id}/portfolio/export-jobs", response={202: JobOut, **ERRORS}
)
def export_job(request: HttpRequest, registration_id: int) -> Status[Any]:
    """Queue the portfolio ZIP (the ``portfolio/export`` archive) for ``assay worker``; follow
    it at ``jobs/{id}``."""
    return Status(202, _out(portfolio_export_job(by=who(request), registration_pk=registration_id)))
