"""``assay worker``: the background worker (emails, reports, exports, large imports, and the
nightly jobs); ``assay nightly``: queue the nightly jobs of today from cron instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from assay.jobs.nightly import Nightly

INTERVAL = 1.0


def _nightly() -> list[Nightly]:
    """The nightly jobs: each app owns its task; this is the one list of them."""
    from assay.audits.tasks import certificate_reminders_nightly
    from assay.jobs.nightly import Nightly
    from assay.notifications.tasks import deadline_reminders_nightly
    from assay.registrations.tasks import registrations_expire_nightly

    return [
        Nightly("registrations-expire", "Registration expiry", registrations_expire_nightly),
        Nightly("certificate-reminders", "Certificate reminders", certificate_reminders_nightly),
        Nightly("deadline-reminders", "Deadline reminders", deadline_reminders_nightly),
    ]


def _schedule(as_user: str) -> int:
    """Queue today's nightly jobs not queued yet (as ``as_user``); how many were queued."""
    from assay import clock
    from assay.cli.acting import user_named
    from assay.jobs.nightly import nightly_schedule

    user_named(as_user)  # exits with a clear line when there is no such account
    return len(nightly_schedule(_nightly(), day=clock.today(), as_user=as_user))


@click.command()
@click.option(
    "--queue",
    "queues",
    multiple=True,
    default=["*"],
    show_default=True,
    help='Queue to take tasks from ("default", "email"; "*" for all). Repeatable.',
)
@click.option(
    "--once",
    is_flag=True,
    help="Run every task queued now (and today's nightly jobs), then exit: tests and cron.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.0),
    default=INTERVAL,
    show_default=True,
    help="Seconds to wait when the queue is empty before looking again.",
)
@click.option(
    "--nightly-as",
    envvar="ASSAY_NIGHTLY_AS",
    default="",
    metavar="USERNAME",
    help="Queue the nightly jobs (registration expiry, certificate and deadline reminders) "
    "once a day, acting as this awarding-body account [env ASSAY_NIGHTLY_AS]; unset: none.",
)
def worker(queues: tuple[str, ...], once: bool, interval: float, nightly_as: str) -> None:
    """Run background tasks from the database queue (ASSAY_TASKS_BACKEND=database): emails
    (tried again with a growing delay when the mail server fails), report PDFs, portfolio
    ZIP exports and large imports. Runs until stopped (SIGTERM finishes the task in hand),
    or with --once until the queue is empty. On start and every minute, fails the jobs a
    stopped worker left running (no heartbeat for ASSAY_JOB_STALL_SECONDS)."""
    from assay.cli.output import fail
    from assay.jobs.worker import NotADatabaseBackend, worker_run

    schedule = (lambda: _schedule(nightly_as)) if nightly_as else None
    try:
        ran = worker_run(queues=queues, once=once, interval=interval, schedule=schedule)
    except NotADatabaseBackend as exc:
        fail(str(exc))
    if once:
        click.echo(f"ran {ran} task(s)")


@click.command()
@click.option(
    "--as",
    "as_user",
    envvar="ASSAY_NIGHTLY_AS",
    required=True,
    metavar="USERNAME",
    help="The awarding-body account the nightly jobs act as [env ASSAY_NIGHTLY_AS].",
)
def nightly(as_user: str) -> None:
    """Queue today's nightly jobs (registration expiry, certificate and deadline reminders)
    for the worker; a day's jobs are queued once however often this runs (e.g. hourly from
    cron)."""
    click.echo(f"queued {_schedule(as_user)} nightly job(s)")
