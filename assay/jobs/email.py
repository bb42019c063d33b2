"""Email through the worker: ``email_later`` records a job in the caller's transaction and
queues it on commit (a rolled-back act sends nothing); ``send_email`` tries the mail server and,
when it fails, tries again later with a growing delay (``assay.engines.jobs.retry_after``) up to
a bounded number of attempts, after which the job is failed with the last error on record."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from assay import clock
from assay.engines.jobs import Retry, retry_after
from assay.jobs.models import Job, Kind, State
from assay.jobs.services import job_create, job_enqueue, job_failed


def email_later(*, subject: str, body: str, to: Sequence[str]) -> Job:
    """Send one email after the current transaction commits, through the task queue."""
    job = job_create(kind=Kind.EMAIL, title=f"Email to {', '.join(to)}: {subject}")
    job_enqueue(job, send_email, subject, body, list(to))
    return job


@task(queue_name="email")
def send_email(job_id: int, subject: str, body: str, to: list[str]) -> str:
    """One attempt at the email of job ``job_id``; see the module docstring."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return "nothing to do"
    attempt = job.attempts + 1
    Job.objects.filter(pk=job_id).update(
        state=State.RUNNING, attempts=attempt, started_at=clock.now(), heartbeat_at=timezone.now()
    )
    try:
        send_mail(subject, body, None, to)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"attempt {attempt}: {type(exc).__name__}: {exc}"
        decision = retry_after(attempt)
        if isinstance(decision, Retry) and not send_email.get_backend().supports_defer:
            job_failed(job_id, f"{error} (this task backend cannot try again later)")
            return "failed"
        if isinstance(decision, Retry):
            Job.objects.filter(pk=job_id).update(
                state=State.QUEUED, error=f"{error} ({decision.reason})"
            )
            # The queue compares run_after with the real clock, never a pinned demo date.
            later = timezone.now() + dt.timedelta(seconds=decision.delay_seconds)
            send_email.using(run_after=later).enqueue(job_id, subject, body, to)
            return "retry"
        job_failed(job_id, f"{error} ({decision.reason})")
        return "failed"
    Job.objects.filter(pk=job_id).update(
        state=State.DONE, done=1, total=1, finished_at=clock.now(), result_text="sent"
    )
    return "sent"
