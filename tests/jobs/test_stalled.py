"""A job left *running* by a worker that was killed: the next worker (on start, then every
minute) fails it with the reason, and its page says so; a job whose worker is still at it
(a recent heartbeat) is left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assay.jobs.models import Job, Kind, State
from assay.jobs.services import Outcome, job_create, job_run, jobs_stalled_fail
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db
REASON = "the worker stopped while running this job; ask again"


def running(by: Any, title: str, beat_ago: dt.timedelta | None) -> Job:
    job = job_create(kind=Kind.PORTFOLIO_ZIP, title=title, by=by)
    beat = None if beat_ago is None else timezone.now() - beat_ago
    started = timezone.now() - dt.timedelta(hours=3)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, attempts=1, started_at=started, heartbeat_at=beat
    )
    return job


def test_the_worker_fails_jobs_its_killed_predecessor_left_running(
    django_user_model: Any, database_tasks: None, settings: Any
) -> None:
    settings.ASSAY_JOB_STALL_SECONDS = 30 * 60
    alice = django_user_model.objects.create_user("alice")
    killed = running(alice, "Export killed with its worker", dt.timedelta(minutes=31))
    silent = running(alice, "Started before heartbeats", None)  # its start is 3 hours old
    alive = running(alice, "Export still going", dt.timedelta(minutes=5))
    run_worker()
    for job in (killed, silent):
        job.refresh_from_db()
        assert (job.state, job.error) == (State.FAILED, REASON) and job.finished_at
    alive.refresh_from_db()
    assert alive.state == State.RUNNING and alive.error == ""
    client = Client()
    client.force_login(alice)
    page = client.get(f"/jobs/{killed.pk}/").content.decode()
    assert f"It failed: {REASON}" in page
    assert jobs_stalled_fail() == []  # once


def test_a_job_writes_its_heartbeat_when_it_starts_and_as_it_goes(django_user_model: Any) -> None:
    job = job_create(kind=Kind.PORTFOLIO_ZIP, title="Export", by=None)
    beats: list[Any] = []

    def work(j: Job, progress: Any) -> Outcome:
        beats.append(Job.objects.get(pk=j.pk).heartbeat_at)
        progress(1, 2)
        beats.append(Job.objects.get(pk=j.pk).heartbeat_at)
        return Outcome(text="ok")

    before = timezone.now()
    job_run(job.pk, work)
    assert all(beat is not None and beat >= before for beat in beats)
    assert beats[1] >= beats[0]
    assert jobs_stalled_fail(timeout_seconds=0) == []  # done jobs are never touched
