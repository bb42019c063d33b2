"""Writes on job records: create one, hand it to the queue once the asking transaction commits,
and run it, recording progress, the result file (content-addressed through assay.files) or the
error text. Every task that does visible work goes through ``job_run``."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from assay import clock
from assay.engines.jobs import STALL_SECONDS, stalled
from assay.errors import InvalidInput, NotAllowed, NotFound, RegistrationRefused
from assay.files.storage import store_upload
from assay.jobs.models import Job, Kind, State
from assay.users import User

# Told (done, total) as the work goes on; writes at most once per percent.
Progress = Callable[[int, int], None]

# What a job may leave behind: reports, spreadsheets, archives, text summaries.
RESULT_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "text/csv",
    }
)
RESULT_MAX_BYTES = 1 << 40


@dataclass(frozen=True)
class Outcome:
    """What a job's work returns: a line of text and, for reports and exports, a spooled file
    (read from the start) with the name it is downloaded under."""

    text: str = ""
    file: IO[bytes] | None = None
    filename: str = ""


def job_create(
    *,
    kind: Kind,
    title: str,
    by: User | None = None,
    key: str | None = None,
    total: int = 0,
) -> Job:
    """A queued job record (in the caller's transaction: an act rolled back leaves none)."""
    return Job.objects.create(
        kind=kind,
        title=title[:200],
        key=key,
        requested_by=by if by is not None and by.pk else None,
        total=max(0, total),
    )


def job_enqueue(job: Job, task: Task[..., Any], *args: Any, at_commit: bool = True) -> None:
    """Queue ``task(job.pk, *args)`` once the current transaction commits (at once outside
    one), so the worker never looks for a job that is not there yet. ``at_commit=False``
    queues now: with the database backend the queued task and the job row then stand or fall
    together in the caller's transaction (the nightly scheduler)."""
    job_id = job.pk

    def enqueue() -> None:
        result = task.enqueue(job_id, *args)
        Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])

    if at_commit:
        transaction.on_commit(enqueue, robust=True)
    else:
        enqueue()


def job_run(job_id: int, work: Callable[[Job, Progress], Outcome]) -> Job | None:
    """Run ``work`` for the job: mark it running, pass it a progress callback, then store its
    result and mark it done, or keep the error text and mark it failed. None when the job is
    gone or already finished (a task delivered twice does its work once)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    Job.objects.filter(pk=job_id).update(
        state=State.RUNNING,
        attempts=job.attempts + 1,
        started_at=clock.now(),
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    try:
        outcome = work(job, _progress(job))
        _finish(job, outcome)
    except (InvalidInput, NotAllowed, NotFound, RegistrationRefused) as exc:
        job_failed(job.pk, _reasons(exc))  # refused: the reasons, as a page would give them
    except Exception as exc:  # any other failure is the job's result too, kept on record
        job_failed(job.pk, f"{type(exc).__name__}: {exc}")
    job.refresh_from_db()
    return job


def _reasons(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return "; ".join(f"{where}: {message}" for where, message in exc.errors.items())
    return str(exc)


# A job's heartbeat is written with its progress, and at least this often while it reports any.
HEARTBEAT_SECONDS = 60


def _progress(job: Job) -> Progress:
    shown = [-1]
    beat = [time.monotonic()]

    def tell(done: int, total: int) -> None:
        step = (done * 100) // total if total > 0 else 0
        late = time.monotonic() - beat[0] >= HEARTBEAT_SECONDS
        if step != shown[0] or done == total or late:
            shown[0] = step
            beat[0] = time.monotonic()
            Job.objects.filter(pk=job.pk).update(
                done=max(0, done), total=max(0, total), heartbeat_at=timezone.now()
            )

    return tell


def _finish(job: Job, outcome: Outcome) -> None:
    fields: dict[str, object] = {
        "state": State.DONE,
        "result_text": outcome.text,
        "finished_at": clock.now(),
        "error": "",
    }
    if outcome.file is not None:
        stored = store_upload(
            outcome.file,
            original_name=outcome.filename or f"job-{job.pk}",
            max_bytes=RESULT_MAX_BYTES,
            allowed_types=RESULT_TYPES,
        )
        fields |= {
            "result_name": stored.storage_name,
            "result_filename": stored.original_name,
            "result_type": stored.media_type,
            "result_size": stored.size,
        }
    Job.objects.filter(pk=job.pk).update(**fields)


def job_failed(job_id: int, error: str) -> None:
    """Mark the job failed for good with its error text (kept for whoever asked)."""
    Job.objects.filter(pk=job_id).update(
        state=State.FAILED, error=error[:4000], finished_at=clock.now()
    )


def jobs_stalled_fail(*, timeout_seconds: int | None = None) -> list[int]:
    """Fail every running job whose worker stopped (no heartbeat for longer than
    ``timeout_seconds``, ``ASSAY_JOB_STALL_SECONDS`` by default) with the reason "the worker
    stopped while running this job; ask again", so its page says so instead of running
    forever. Nothing is queued again: the work may have been half done (an email half sent).
    Heartbeats are on the real clock, as the queue's are. Returns the jobs failed."""
    timeout = int(
        timeout_seconds
        if timeout_seconds is not None
        else getattr(settings, "ASSAY_JOB_STALL_SECONDS", STALL_SECONDS)
    )
    now = timezone.now()
    horizon = now - dt.timedelta(seconds=timeout)
    candidates = Job.objects.filter(state=State.RUNNING).filter(
        Q(heartbeat_at__lt=horizon) | Q(heartbeat_at__isnull=True, started_at__lt=horizon)
    )
    failed = []
    for job in candidates.only("pk", "state", "heartbeat_at", "started_at"):
        verdict = stalled(
            running=job.state == State.RUNNING,
            heartbeat=job.heartbeat_at or job.started_at,
            now=now,
            timeout_seconds=timeout,
        )
        if verdict is None:
            continue
        # Only while it is still the same stalled run: a heartbeat since then keeps it going.
        changed = Job.objects.filter(
            pk=job.pk, state=State.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(state=State.FAILED, error=verdict.reason, finished_at=clock.now())
        if changed:
            failed.append(job.pk)
    return failed


def spool() -> BinaryIO:
    """A temporary file for a job to write its result into (on disk past 8 MiB)."""
    return cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024))
