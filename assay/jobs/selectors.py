"""Reads of job records, narrowed to what the asker may see: their own jobs, and every job
for the awarding body's staff (superusers). Anyone else's job answers NotFound exactly like
a missing one."""

from __future__ import annotations

from django.core.files import File
from django.db.models import QuerySet

from assay.errors import NotFound
from assay.files.storage import open_evidence
from assay.jobs.models import Job, State
from assay.keyset import Page, paginate
from assay.users import AnyUser


def jobs_visible(user: AnyUser) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(requested_by=user)


def job_get(user: AnyUser, pk: int) -> Job:
    job = jobs_visible(user).filter(pk=pk).first()
    if job is None:
        raise NotFound(f"no job {pk}")
    return job


def job_result_open(user: AnyUser, pk: int) -> tuple[Job, File]:
    """The job's result file, opened for reading, for someone who may see the job; NotFound
    while there is none (queued, running, failed, or a job that leaves only text)."""
    job = job_get(user, pk)
    if job.state != State.DONE or not job.result_name:
        raise NotFound(f"job {pk} has no file to download")
    return job, open_evidence(job.result_name)


def jobs_page(user: AnyUser, cursor: str | None = None, size: int | str | None = None) -> Page[Job]:
    """One page of the jobs the user asked for, newest first (staff too see only their own
    here: the list is "what I asked for"). Filtered before the cursor applies."""
    mine = (
        Job.objects.filter(requested_by_id=user.pk) if user.is_authenticated else Job.objects.none()
    )
    return paginate(mine, ("-created_at", "-pk"), cursor, size)
