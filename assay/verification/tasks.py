"""IQA's background task: the centre's IQA report built by the worker (the PDF or XLSX the
centre's IQA page offers), for a lead IQA or centre administrator."""

from __future__ import annotations

import datetime as dt
import io

from django_tasks import task

from assay.errors import NotFound
from assay.jobs.models import Job, Kind
from assay.jobs.services import Outcome, Progress, job_create, job_enqueue, job_run
from assay.users import User
from assay.verification.selectors import lead_centre

FORMATS = ("pdf", "xlsx")


def iqa_report_job(
    *, by: User, centre_pk: int, start: dt.date | None, end: dt.date | None, fmt: str = "pdf"
) -> Job:
    """Queue the IQA report of a period; ``by`` must lead IQA at the centre (``lead_centre``
    answers NotFound or NotAllowed otherwise, before anything is queued)."""
    from assay.verification.report import report_period

    centre = lead_centre(by, centre_pk)
    if fmt not in FORMATS:
        raise NotFound(f"no report format {fmt}")
    report_period(start, end)  # a bad period is refused now (InvalidInput), not in the worker
    job = job_create(
        kind=Kind.IQA_REPORT, title=f"IQA report of {centre} ({fmt.upper()})", by=by, total=3
    )
    job_enqueue(
        job,
        iqa_report_build,
        centre_pk,
        start.isoformat() if start else None,
        end.isoformat() if end else None,
        fmt,
    )
    return job


@task()
def iqa_report_build(
    job_id: int, centre_pk: int, start: str | None, end: str | None, fmt: str
) -> None:
    """Build the report as the person who asked (their access is checked again)."""
    from assay.verification.render import render_pdf, render_xlsx
    from assay.verification.report import report_of

    def work(job: Job, progress: Progress) -> Outcome:
        if job.requested_by is None:
            raise NotFound("the person who asked for this report is gone")
        progress(1, 3)
        centre = lead_centre(job.requested_by, centre_pk)
        report = report_of(
            centre,
            dt.date.fromisoformat(start) if start else None,
            dt.date.fromisoformat(end) if end else None,
        )
        progress(2, 3)
        body = render_pdf(report) if fmt == "pdf" else render_xlsx(report)
        progress(3, 3)
        name = f"iqa-{centre.pk}-{report.period.start}-{report.period.end}.{fmt}"
        return Outcome(text="report ready", file=io.BytesIO(body), filename=name)

    job_run(job_id, work)
