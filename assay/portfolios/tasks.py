"""Portfolios' background task: the portfolio ZIP export built by the worker, file by file,
with its progress on the job record, for anyone who may see the portfolio."""

from __future__ import annotations

from django_tasks import task

from assay.errors import NotFound
from assay.jobs.models import Job, Kind
from assay.jobs.services import Outcome, Progress, job_create, job_enqueue, job_run, spool
from assay.portfolios.export import portfolio_export_zip
from assay.registrations.selectors import registration_get
from assay.users import User


def portfolio_export_job(*, by: User, registration_pk: int) -> Job:
    """Queue the export; ``by`` must be able to see the registration (NotFound otherwise)."""
    registration = registration_get(by, registration_pk)
    job = job_create(
        kind=Kind.PORTFOLIO_ZIP,
        title=f"Portfolio of {registration.candidate} (registration {registration.pk}) as ZIP",
        by=by,
    )
    job_enqueue(job, portfolio_export_build, registration_pk)
    return job


@task()
def portfolio_export_build(job_id: int, registration_pk: int) -> None:
    """Write the ZIP as the person who asked (their access is checked again), then store it."""

    def work(job: Job, progress: Progress) -> Outcome:
        if job.requested_by is None:
            raise NotFound("the person who asked for this export is gone")
        out = spool()
        names = portfolio_export_zip(job.requested_by, registration_pk, out, progress)
        out.seek(0)
        return Outcome(
            text=f"index.html and {len(names) - 1} evidence file(s)",
            file=out,
            filename=f"portfolio-{registration_pk}.zip",
        )

    job_run(job_id, work)
