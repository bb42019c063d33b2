"""The nightly deadline reminders run by ``assay worker --once`` on the database backend: the
right people told in the app and by one email each, nobody else (another centre's, another
client's), and nothing sent twice however often the job runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from assay.audits.findings import FindingInput, finding_raise
from assay.audits.models import CorrectiveAction
from assay.centres.models import Membership
from assay.eqa.models import ActionPoint
from assay.eqa.services import ActionPointInput
from assay.errors import NotAllowed
from assay.jobs.models import Job, State
from assay.notifications.deadlines import deadline_reminders_send
from assay.notifications.models import DeadlineReminder, Notification
from assay.registrations.models import Registration
from tests.audits.world import AuditWorld, sampled_offices, score_all, to_fieldwork
from tests.eqa.helpers import visit
from tests.jobs.worker import run_worker
from tests.world import World

# The worlds' day is 01/03/2013: a week before 08/03, the day before 02/03, overdue since 28/02.
WEEK_AHEAD = dt.date(2013, 3, 8)
TOMORROW = dt.date(2013, 3, 2)
YESTERDAY = dt.date(2013, 2, 28)


@pytest.fixture
def due(world: World, aw: AuditWorld) -> dict[str, Any]:
    """Deadlines on each day of today's schedule, and some that must not be reminded."""
    for name in ("alice", "carol", "linda", "sue", "arthur"):
        user = world.user(name)
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    Registration.objects.filter(pk=world.dan.pk).update(end_date=WEEK_AHEAD)
    Registration.objects.filter(pk=world.dora.pk).update(end_date=WEEK_AHEAD, status="withdrawn")
    points = visit(
        world,
        action_points=(
            ActionPointInput("Sample 401 again", "linda", TOMORROW),
            ActionPointInput("Already done", "linda", TOMORROW),
            ActionPointInput("Standardisation meeting", "linda", TOMORROW),
            ActionPointInput("Write up the meeting", "linda", WEEK_AHEAD),
            ActionPointInput("Not this week", "linda", dt.date(2013, 3, 9)),
        ),
    ).action_points.order_by("pk")
    late, done, *_ = list(points)
    ActionPoint.objects.filter(pk=late.pk).update(due_on=YESTERDAY)  # past dates are refused
    ActionPoint.objects.filter(pk=done.pk).update(done_at=dt.datetime(2013, 2, 27, tzinfo=dt.UTC))
    audit = to_fieldwork(aw)
    score_all(aw, 7)
    finding_raise(
        by=aw["auditor"],
        audit=audit,
        data=FindingInput(
            sampled_offices(audit)[0], "S1.1", "major", "No log", "seen", due_on=dt.date(2013, 4, 1)
        ),
    )
    CorrectiveAction.objects.update(due_on=YESTERDAY)
    mail.outbox.clear()
    Notification.objects.all().delete()
    return {"audit": audit, "world": world}


def told() -> set[tuple[str, str]]:
    return {
        (n.recipient.username, n.text)
        for n in Notification.objects.filter(kind="deadline_reminder").select_related("recipient")
    }


def test_the_nightly_job_tells_the_right_people_once(
    due: dict[str, Any], database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the job's commit queues emails
        run_worker("--nightly-as", "sam")
    assert mail.outbox == []  # queued, not sent: the worker sends them
    run_worker()
    job = Job.objects.get(key="nightly:deadline-reminders:2013-03-01")
    assert job.state == State.DONE and job.result_text == "5 deadline reminder(s) sent"
    a = due["audit"].pk
    dan = "Registration of Dan Smith on 4430-04 ends 08/03/2013"
    ca = f"Corrective action for F1 in audit {a} (Acme Services) due 28/02/2013"
    expected = {
        ("alice", dan),  # Dan's assessor
        ("carol", dan),  # Northgate's administrator
        ("linda", "EQA action point at 0042 due 02/03/2013"),  # its owner
        ("linda", "EQA action point at 0042 due 08/03/2013"),
        ("linda", "EQA action point at 0042 due 28/02/2013"),  # overdue: owner and leads
        ("carol", "EQA action point at 0042 due 28/02/2013"),
        ("contact", ca),  # Acme's contact
        ("auditor", ca),  # overdue: the lead auditor too
    }
    assert told() == expected, told()  # never Sue (Southgate), Dora's people, Other Co's contact
    reasons = {
        n.recipient.username: n.reason
        for n in Notification.objects.filter(text=ca).select_related("recipient")
    }
    assert reasons == {
        "contact": "you are a contact of the audited organisation",
        "auditor": "you lead this audit",
    }
    late = Notification.objects.get(recipient__username="carol", text__contains="28/02")
    assert late.lines == [
        "The EQA action point was due on 28/02/2013 and is overdue: Sample 401 again"
    ]
    page = Client()
    page.force_login(due["world"].user("carol"))
    shown = page.get("/notifications/")
    assert shown.status_code == 200 and "EQA action point at 0042 due 28/02/2013" in shown.text
    # One email each for the night, whatever the number of reminders.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "auditor@example.org",
        "carol@example.org",
        "contact@example.org",
        "linda@example.org",
    ]
    # Again: the job is keyed per day, and the reminders themselves are keyed per item and day.
    with django_capture_on_commit_callbacks(execute=True):
        run_worker("--nightly-as", "sam")
    run_worker()
    assert deadline_reminders_send(by=due["world"].user("sam")) == []
    assert Notification.objects.filter(kind="deadline_reminder").count() == len(expected)
    assert DeadlineReminder.objects.count() == 5 and len(mail.outbox) == 5


def test_a_reminder_already_recorded_is_not_sent_again(due: dict[str, Any]) -> None:
    sam = due["world"].user("sam")
    first = deadline_reminders_send(by=sam)
    keys = sorted(r.key for r in first)
    assert keys == [
        f"corrective_action:{CorrectiveAction.objects.get().pk}:overdue:2013-03-01",
        *sorted(
            f"eqa_action_point:{p.pk}:{stage}:2013-03-01"
            for p, stage in (
                (ActionPoint.objects.get(due_on=YESTERDAY), "overdue"),
                (ActionPoint.objects.get(due_on=TOMORROW, done_at=None), "1_day_before"),
                (ActionPoint.objects.get(due_on=WEEK_AHEAD), "7_days_before"),
            )
        ),
        f"registration_end:{due['world'].dan.pk}:7_days_before:2013-03-01",
    ]
    before = Notification.objects.count()
    assert deadline_reminders_send(by=sam) == []
    assert Notification.objects.count() == before


def test_only_the_awarding_body_sends_reminders(due: dict[str, Any]) -> None:
    for name in ("carol", "alice"):
        with pytest.raises(NotAllowed):
            deadline_reminders_send(by=due["world"].user(name))
    assert not DeadlineReminder.objects.exists() and not told()


def test_people_who_left_the_centre_are_not_reminded(due: dict[str, Any]) -> None:
    world = due["world"]
    Membership.objects.filter(user__username__in=("alice", "linda")).update(active=False)
    deadline_reminders_send(by=world.user("sam"))
    names = {name for name, _ in told()}
    assert names == {"carol", "contact", "auditor"}  # not Alice (assessor), Linda (owner, lead)
