"""Audits' background tasks: the nightly certificate reminders and report PDFs built by the
worker rather than inside a request."""

from __future__ import annotations

import io

from django_tasks import task

from assay.audits.certificates import reminders_send
from assay.audits.selectors import audit_get
from assay.errors import NotFound
from assay.jobs.models import Job, Kind
from assay.jobs.services import Outcome, Progress, job_create, job_enqueue, job_run
from assay.users import User


@task()
def certificate_reminders_nightly(job_id: int, username: str) -> None:
    """``assay audits remind --send`` as ``username``, once a day; each certificate is
    reminded once whatever the number of runs (``CertificateReminder``)."""

    def work(job: Job, progress: Progress) -> Outcome:
        sent = reminders_send(by=User.objects.get(username=username))
        progress(len(sent), len(sent))
        return Outcome(text=f"{len(sent)} reminder(s) sent")

    job_run(job_id, work)


def audit_report_job(*, by: User, audit_pk: int) -> Job:
    """Queue the audit report PDF for ``by``, who must be able to see the audit (NotFound
    otherwise, as for a missing one); the worker builds it as ``by`` again."""
    audit_get(by, audit_pk)
    job = job_create(kind=Kind.AUDIT_REPORT, title=f"Audit {audit_pk} report (PDF)", by=by, total=3)
    job_enqueue(job, audit_report_pdf, audit_pk)
    return job


@task()
def audit_report_pdf(job_id: int, audit_pk: int) -> None:
    """Build the audit report PDF (what ``/audits/<pk>/report.pdf`` answers) as a job result."""
    from assay.audits.reports.build import report_for  # fpdf2 loads only here
    from assay.audits.reports.pdf import render_pdf

    def work(job: Job, progress: Progress) -> Outcome:
        if job.requested_by is None:
            raise NotFound("the person who asked for this report is gone")
        progress(1, 3)
        report = report_for(job.requested_by, audit_pk)
        progress(2, 3)
        body = render_pdf(report)
        progress(3, 3)
        return Outcome(text="report ready", file=io.BytesIO(body), filename=f"audit-{audit_pk}.pdf")

    job_run(job_id, work)
