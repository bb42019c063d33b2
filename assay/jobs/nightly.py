"""The nightly jobs, queued once a day: each run is a job whose key is ``nightly:<name>:<date>``
(unique), so scheduling the same day twice (two workers, a worker and cron, a restart) finds
the key taken and queues nothing more. The apps that own the work define the tasks; the front
door (``assay worker``, ``assay nightly``) lists them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django_tasks.base import Task

from assay.engines.jobs import nightly_key
from assay.jobs.models import Job, Kind
from assay.jobs.services import job_create, job_enqueue


@dataclass(frozen=True)
class Nightly:
    """A job run once a day: ``task(job_id, username)`` does the work as that account."""

    name: str
    title: str
    task: Task[..., Any]


def nightly_schedule(jobs: Sequence[Nightly], *, day: dt.date, as_user: str) -> list[Job]:
    """Queue each nightly job for ``day`` unless it already was; returns the jobs queued now."""
    queued = []
    for nightly in jobs:
        key = nightly_key(nightly.name, day)
        if Job.objects.filter(key=key).exists():
            continue
        try:
            with transaction.atomic():
                job = job_create(kind=Kind.NIGHTLY, title=f"{nightly.title} ({day})", key=key)
                job_enqueue(job, nightly.task, as_user, at_commit=False)
        except IntegrityError:  # another process took the key a moment ago
            continue
        queued.append(job)
    return queued
