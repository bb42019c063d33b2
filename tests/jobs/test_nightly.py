"""The nightly jobs: queued by the worker (or ``assay nightly`` from cron) once per day,
however many times they are scheduled, and run by the worker as the named account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from django_tasks_db.models import DBTaskResult

from assay.cli.main import main
from assay.jobs.models import Job, Kind, State
from assay.registrations.models import Registration, StatusChange
from tests.jobs.worker import run_worker
from tests.world import World


@pytest.fixture
def ended(world: World) -> World:
    """Dora's registration period ended yesterday (the world's date is 01/03/2013)."""
    Registration.objects.filter(pk=world.dora.pk).update(end_date=dt.date(2013, 2, 28))
    return world


def nightly(*args: str) -> str:
    result = CliRunner().invoke(main, ["nightly", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_worker_runs_each_nightly_job_once_a_day_even_scheduled_twice(
    ended: World, database_tasks: None, settings: Any
) -> None:
    run_worker("--nightly-as", "sam")
    run_worker("--nightly-as", "sam")  # a restart, or a second worker, the same day
    assert "queued 0 nightly job(s)" in nightly("--as", "sam")  # and cron as well
    jobs = Job.objects.filter(kind=Kind.NIGHTLY).order_by("key")
    assert [(j.key, j.state) for j in jobs] == [
        ("nightly:certificate-reminders:2013-03-01", State.DONE),
        ("nightly:deadline-reminders:2013-03-01", State.DONE),
        ("nightly:registrations-expire:2013-03-01", State.DONE),
    ]
    assert DBTaskResult.objects.count() == 3  # each task queued once
    assert jobs.get(key__contains="expire").result_text == "expired 1 registration(s)"
    ended.dora.refresh_from_db()
    assert ended.dora.status == "expired"
    change = StatusChange.objects.get(registration=ended.dora, to_status="expired")
    assert change.by == ended.user("sam") and "ended on 28/02/2013" in change.reason
    settings.ASSAY_TODAY = "2013-03-02"  # the next day: queued again, nothing left to expire
    assert "queued 3 nightly job(s)" in nightly("--as", "sam")
    run_worker()
    assert Job.objects.filter(kind=Kind.NIGHTLY, state=State.DONE).count() == 6
    assert StatusChange.objects.filter(registration=ended.dora, to_status="expired").count() == 1


def test_without_an_account_the_worker_schedules_nothing(
    ended: World, database_tasks: None
) -> None:
    run_worker()
    assert not Job.objects.exists()
    ended.dora.refresh_from_db()
    assert ended.dora.status != "expired"


def test_an_unknown_account_is_refused_and_nothing_queued(
    world: World, database_tasks: None
) -> None:
    result = CliRunner().invoke(main, ["nightly", "--as", "nobody-here"])
    assert result.exit_code == 2 and not Job.objects.exists()


def test_a_job_whose_account_cannot_act_fails_with_the_reason(
    ended: World, database_tasks: None
) -> None:
    run_worker("--nightly-as", "dan")  # a candidate: neither body nor centre administrator
    job = Job.objects.get(key__contains="expire")
    assert job.state == State.FAILED and "only a centre administrator" in job.error
    ended.dora.refresh_from_db()
    assert ended.dora.status != "expired"


def test_the_worker_refuses_the_immediate_backend() -> None:
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 2 and "ASSAY_TASKS_BACKEND=database" in result.output
