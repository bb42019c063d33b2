"""Notifications' background task: the nightly deadline reminders."""

from __future__ import annotations

from django_tasks import task

from assay.jobs.models import Job
from assay.jobs.services import Outcome, Progress, job_run
from assay.notifications.deadlines import deadline_reminders_send
from assay.users import User


@task()
def deadline_reminders_nightly(job_id: int, username: str) -> None:
    """Today's deadline reminders as ``username``, once a day (``assay.jobs.nightly``); each
    reminder is sent once whatever the number of runs (``DeadlineReminder``)."""

    def work(job: Job, progress: Progress) -> Outcome:
        sent = deadline_reminders_send(by=User.objects.get(username=username))
        progress(len(sent), len(sent))
        return Outcome(text=f"{len(sent)} deadline reminder(s) sent")

    job_run(job_id, work)
