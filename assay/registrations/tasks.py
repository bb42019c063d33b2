"""Registrations' background tasks: the nightly expiry and bulk imports too large for a
request. Each is a thin front door over the service the CLI and pages call."""

from __future__ import annotations

import io

from django_tasks import task

from assay.centres.models import Centre
from assay.errors import NotFound
from assay.files.storage import open_evidence, store_upload
from assay.jobs.models import Job, Kind
from assay.jobs.services import Outcome, Progress, job_create, job_enqueue, job_run
from assay.registrations.bulk import bulk_authorise, bulk_import_ids, iter_rows
from assay.registrations.expiry import registrations_expire
from assay.users import User


@task()
def registrations_expire_nightly(job_id: int, username: str) -> None:
    """``assay register expire`` as ``username``, once a day (``assay.jobs.nightly``)."""

    def work(job: Job, progress: Progress) -> Outcome:
        rows = registrations_expire(by=User.objects.get(username=username))
        progress(len(rows), len(rows))
        return Outcome(text=f"expired {len(rows)} registration(s)")

    job_run(job_id, work)


# What a candidate list may be: CSV (sniffed as plain text) or an Excel workbook.
IMPORT_TYPES = frozenset(
    {"text/plain", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
)


def bulk_import_job(*, by: User, centre: Centre, content: bytes, name: str) -> Job:
    """Queue the all-or-nothing import of a large candidate list: the file is kept under its
    content address for the worker, which checks every row again and registers them as
    ``by`` (a centre administrator: NotAllowed otherwise, before anything is kept)."""
    bulk_authorise(by, centre)
    stored = store_upload(
        io.BytesIO(content),
        original_name=name,
        max_bytes=len(content) or 1,
        allowed_types=IMPORT_TYPES,
    )
    job = job_create(kind=Kind.IMPORT, title=f"Import of {name} at {centre.number}", by=by)
    job_enqueue(job, bulk_import_build, centre.pk, stored.storage_name, stored.original_name)
    return job


@task()
def bulk_import_build(job_id: int, centre_pk: int, storage_name: str, name: str) -> None:
    """Register every row of the stored file as the person who asked; the job's progress is
    rows registered out of rows that passed the check."""

    def work(job: Job, progress: Progress) -> Outcome:
        if job.requested_by is None:
            raise NotFound("the person who asked for this import is gone")
        centre = Centre.objects.get(pk=centre_pk)
        total = [0]

        def checked(count: int) -> None:
            total[0] = count
            progress(0, count)

        with open_evidence(storage_name) as stream:
            ids = bulk_import_ids(
                by=job.requested_by,
                centre=centre,
                rows=iter_rows(stream, name=name),
                progress=lambda done: progress(done, total[0]),
                checked=checked,
            )
        return Outcome(text=f"registered {len(ids)} candidate(s) at {centre.number}")

    job_run(job_id, work)
