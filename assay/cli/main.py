"""The ``assay`` command: catalogue, plans, benchmarks and the demo server.

Each command parses its arguments, calls one service or selector, and prints. Errors go to
stderr as one line with exit status 2; stdout then stays empty so scripts can trust it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assay.cli.output import emit_json, fail

F = TypeVar("F", bound=Callable[..., Any])


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as refused:  # e.g. an unsafe ASSAY_PRODUCTION=1 start
        fail(str(refused))


class _Assay(click.Group):
    """Turns "the database has no such table" into one line that says what to run."""

    def invoke(self, ctx: click.Context) -> Any:
        from django.db import DatabaseError

        try:
            return super().invoke(ctx)
        except DatabaseError as exc:
            text = str(exc)
            if "no such table" in text or ("relation" in text and "does not exist" in text):
                fail("the database is not set up: run `assay demo` first (it migrates and loads)")
            raise


@click.group(cls=_Assay, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Assay: prove customer-service competence.

    Reads and writes the database named by DATABASE_URL (SQLite in ./data by default).
    Commands that change centres or registrations need --as USERNAME (or ASSAY_AS).
    """
    _setup_django()


# Sub-groups live in their own modules; importing them registers them on ``main``.
from assay.cli import (  # noqa: E402
    appeal,
    audit_programme,  # noqa: F401  (adds its commands to audits)
    backup,
    bench,
    catalogue,
    centre,
    centre_people,
    claim,
    credentials,
    eqa,
    files,
    iqa,
    membership,
    plan,
    portfolio,
    progress,
    records,
    register,
    server,
    worker,
)
from assay.cli import token as token_commands  # noqa: E402
from assay.cli import user as user_commands  # noqa: E402
from assay.cli.audits import audits as audit_commands  # noqa: E402
from assay.cli.clients import clients as client_commands  # noqa: E402

main.add_command(catalogue.catalogue)
main.add_command(plan.plan)
centre.centre.add_command(centre_people.competence)
centre.centre.add_command(centre_people.cpd)
centre.centre.add_command(centre_people.site_add)
centre.centre.add_command(user_commands.revoke)
main.add_command(centre.centre)
main.add_command(eqa.eqa)
main.add_command(claim.claim)
main.add_command(register.register)
main.add_command(records.records)
main.add_command(credentials.credentials)
main.add_command(appeal.appeal)
main.add_command(portfolio.portfolio)
main.add_command(progress.progress)
main.add_command(iqa.iqa)
main.add_command(membership.membership)
main.add_command(token_commands.token)
main.add_command(user_commands.user)
main.add_command(audit_commands)
main.add_command(client_commands)
main.add_command(bench.bench)
main.add_command(files.files)
main.add_command(server.demo)
main.add_command(server.serve)
main.add_command(backup.backup)
main.add_command(backup.restore)
main.add_command(worker.worker)
main.add_command(worker.nightly)

__all__ = ["Path", "emit_json", "fail", "main"]
