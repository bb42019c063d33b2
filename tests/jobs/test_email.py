"""Emails go through the task queue: queued when the act commits, sent by the worker, tried
again with a growing delay when the mail server fails, and given up after a bounded number of
attempts with the error on record."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assay.engines.jobs.rules import MAX_ATTEMPTS
from assay.jobs.email import email_later
from assay.jobs.models import Job, State
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db

FAILURES = {"left": 0}


class FlakyBackend(BaseEmailBackend):
    """A mail server that is down for ``FAILURES["left"]`` attempts, then delivers (locmem)."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return LocmemBackend().send_messages(email_messages)


def ready() -> Any:
    return DBTaskResult.objects.filter(status="READY")


def due_now() -> None:
    """Let the clock run to the retry: the queued attempt becomes due."""
    ready().update(run_after=timezone.now() - dt.timedelta(seconds=1))


def test_an_email_is_queued_on_commit_and_sent_by_the_worker(
    database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = email_later(subject="Hello", body="The body", to=["alice@example.org"])
        assert not ready().exists()  # nothing queued before the commit
    assert ready().count() == 1 and mail.outbox == []  # queued, not sent
    assert "ran 1 task(s)" in run_worker()
    assert [(m.subject, m.to) for m in mail.outbox] == [("Hello", ["alice@example.org"])]
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (State.DONE, 1, "")
    assert "ran 0 task(s)" in run_worker()  # delivered once
    assert len(mail.outbox) == 1


def test_an_act_rolled_back_sends_nothing(
    database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_later(subject="Never", body="", to=["alice@example.org"])
        transaction.set_rollback(True)
    assert not ready().exists() and not Job.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_a_failing_mail_server_is_tried_again_later_then_it_delivers(
    database_tasks: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.jobs.test_email.FlakyBackend"
    FAILURES["left"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = email_later(subject="Retry", body="", to=["bob@example.org"])
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.QUEUED, 1)
    assert "SMTPServerDisconnected" in job.error and "next in 60s" in job.error
    (retry,) = ready()
    assert retry.run_after is not None
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=50)  # backs off
    assert "ran 0 task(s)" in run_worker()  # not due yet
    due_now()
    run_worker()
    job.refresh_from_db()
    assert job.attempts == 2 and "next in 120s" in job.error  # the delay doubles
    due_now()
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 3)
    assert job.error.startswith("attempt 2: SMTPServerDisconnected")  # the last failure stays
    assert [m.subject for m in mail.outbox] == ["Retry"]


def test_a_mail_server_that_stays_down_is_given_up_with_the_error_kept(
    database_tasks: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.jobs.test_email.FlakyBackend"
    FAILURES["left"] = 100
    with django_capture_on_commit_callbacks(execute=True):
        job = email_later(subject="Lost", body="", to=["bob@example.org"])
    for _ in range(MAX_ATTEMPTS + 2):
        due_now()
        run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.FAILED, MAX_ATTEMPTS)
    assert "SMTPServerDisconnected" in job.error and "no more attempts" in job.error
    assert not ready().exists() and mail.outbox == []


def test_without_a_worker_the_immediate_backend_sends_at_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_later(subject="Now", body="", to=["alice@example.org"])
    assert [m.subject for m in mail.outbox] == ["Now"]
