"""``assay register``: check and register candidates, one or a whole file, export them, change
a registration's status (with a reason and --confirm), extend its period, expire the
registrations whose period has ended (the nightly job), and adopt registrations made before the
enrolment chain existed into it.

ID is the centre's awarding-body number or its id; dates are YYYY-MM-DD or DD/MM/YYYY.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import click

from assay.cli.acting import acting, as_option, date_option_value, domain_errors, user_named

F = TypeVar("F", bound=Callable[..., Any])
JOB_KINDS = ["paid", "voluntary", "none"]


def candidate_options(func: F) -> F:
    """The candidate's details, the qualification and the registration date."""
    options = [
        click.option("--centre", "centre_id", required=True, metavar="ID"),
        click.option("--first-name", required=True),
        click.option("--last-name", required=True),
        click.option("--dob", required=True, help="Date of birth."),
        click.option("--email", default=""),
        click.option("--phone", default=""),
        click.option("--employer", default=""),
        click.option("--job-role", default=""),
        click.option(
            "--job-kind",
            type=click.Choice(JOB_KINDS),
            required=True,
            help="A real job (paid or voluntary) or none.",
        ),
        click.option("--qualification", "qual", required=True, help="Code or id."),
        click.option("--registered-on", default=None, help="Default: today (the Assay clock)."),
        click.option("--held", multiple=True, help="A qualification already held (repeat)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _candidate(options: dict[str, Any]) -> Any:
    from assay.registrations.services import CandidateInput

    born = date_option_value(options["dob"], "--dob")
    assert born is not None
    return CandidateInput(
        first_name=options["first_name"],
        last_name=options["last_name"],
        date_of_birth=born,
        email=options["email"],
        phone=options["phone"],
        employer=options["employer"],
        job_role=options["job_role"],
        job_kind=options["job_kind"],
        held=tuple(options["held"]),
    )


@click.group()
def register() -> None:
    """Register candidates: check the entry rules, add one, import a file, export the list,
    change a registration's status, extend its period."""


@register.command()
@candidate_options
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(as_user: str | None, as_json: bool, **options: Any) -> None:
    """Would the entry rules accept this registration? Saves nothing.

    Exit status 0 when allowed, 1 when refused (every reason is printed).
    """
    from assay.catalogue.selectors import qualification_get
    from assay.cli.output import emit_json
    from assay.registrations.dashboard import centre_find
    from assay.registrations.services import registration_check

    user = acting(as_user)
    with domain_errors():
        decision = registration_check(
            centre=centre_find(user, options["centre_id"]),
            qualification=qualification_get(options["qual"]),
            candidate=_candidate(options),
            registered_on=date_option_value(options["registered_on"], "--registered-on"),
        )
    reasons = [{"code": r.code, "message": r.message} for r in decision.reasons]
    if as_json:
        emit_json({"allowed": decision.allowed, "reasons": reasons})
    elif decision.allowed:
        click.echo("allowed: every entry rule is met")
    else:
        click.echo("refused:")
        for reason in reasons:
            click.echo(f"  [{reason['code']}] {reason['message']}")
    if not decision.allowed:
        raise SystemExit(1)


@register.command()
@candidate_options
@as_option(required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the registration as JSON.")
def add(as_user: str, as_json: bool, **options: Any) -> None:
    """Register a new candidate. A refusal prints every reason and saves nothing (the
    attempt is logged for the centre)."""
    from assay.cli.output import emit_json
    from assay.registrations.dashboard import centre_find
    from assay.registrations.services import registration_create
    from assay.registrations.shapes import RegistrationDetail

    user = user_named(as_user)
    with domain_errors():
        registration = registration_create(
            by=user,
            centre=centre_find(user, options["centre_id"]),
            qualification_key=options["qual"],
            candidate_input=_candidate(options),
            registered_on=date_option_value(options["registered_on"], "--registered-on"),
        )
    if as_json:
        emit_json(RegistrationDetail.of(registration))
        return
    click.echo(
        f"registration {registration.pk}: {registration.candidate} on "
        f"{registration.qualification.code}, registered {registration.registered_on}, "
        f"ends {registration.end_date}"
    )


@register.command()
@click.option("--centre", "centre_id", required=True, metavar="ID")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="List every row's errors; change nothing.")
@as_option(required=False)
def bulk(centre_id: str, file: Path, dry_run: bool, as_user: str | None) -> None:
    """Register every candidate in FILE (CSV in UTF-8, or XLSX), all or nothing.

    Columns: first_name, last_name, date_of_birth, email, phone, employer, job_role,
    job_kind, qualification, registered_on, held_qualifications (';'-separated). With
    --dry-run, or when any row is wrong, each row's errors go to stderr and the exit status
    is 1. --as is required unless --dry-run.
    """
    from assay.cli.output import fail
    from assay.errors import InvalidInput
    from assay.registrations import bulk as bulk_rows
    from assay.registrations.bulk_results import BulkImported, BulkReport
    from assay.registrations.dashboard import centre_find

    if not dry_run and not as_user:
        fail("--as USERNAME is required to import (every registration records who)")
    user = acting(as_user)
    with domain_errors():
        centre = centre_find(user, centre_id)
    if dry_run:
        with domain_errors(), file.open("rb") as stream:
            rows = bulk_rows.iter_rows(stream, name=file.name)
            report = BulkReport.of(bulk_rows.bulk_check(by=user, centre=centre, rows=rows))
        for bad in report.errors:
            for error in bad.errors:
                click.echo(f"{file}: row {bad.row}: {error}", err=True)
        if not report.ok:
            click.echo(f"{len(report.errors)} of {report.rows} row(s) have errors", err=True)
            raise SystemExit(1)
        click.echo(f"{report.rows} row(s) can be registered at {centre.number}")
        return
    with domain_errors(), ExitStack() as stack:
        bars: list[Any] = []

        def checked(total: int) -> None:
            # The bar starts with the first registration, after every row has been checked.
            bar = click.progressbar(length=total, label="Registering", file=sys.stderr)
            bars.append(stack.enter_context(bar))

        def step(done: int) -> None:
            bars[0].update(1)

        try:
            stream = stack.enter_context(file.open("rb"))
            created = bulk_rows.bulk_import_ids(
                by=user,
                centre=centre,
                rows=bulk_rows.iter_rows(stream, name=file.name),
                progress=step,
                checked=checked,
            )
        except InvalidInput as exc:
            if not all(where.startswith("row ") for where in exc.errors):
                raise
            for where, message in exc.errors.items():
                click.echo(f"{file}: {where}: {message}", err=True)
            click.echo(f"{len(exc.errors)} row(s) have errors; nothing was registered", err=True)
            raise SystemExit(1) from exc
    click.echo(f"registered {BulkImported.of(created).imported} candidate(s) at {centre.number}")


@register.command()
@click.option("--centre", "centre_id", required=True, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@as_option(required=False)
def export(centre_id: str, fmt: str, output: Path | None, as_user: str | None) -> None:
    """Export the centre's candidate list in the bulk import columns (CSV to stdout unless -o),
    by name, written row by row from a database cursor (memory stays flat at any size)."""
    from assay.cli.output import fail
    from assay.registrations import export as bulk_rows
    from assay.registrations.candidate_list import centre_candidates
    from assay.registrations.dashboard import centre_find

    user = acting(as_user)
    with domain_errors():
        registrations = centre_candidates(user, centre_find(user, centre_id))
    if fmt == "xlsx":
        if output is None:
            fail("--format xlsx needs --output FILE")
        with output.open("wb") as binary:
            count = bulk_rows.export_xlsx(registrations, binary)
    elif output is None:
        for chunk in bulk_rows.export_csv_chunks(registrations):
            click.echo(chunk, nl=False)
    else:
        with output.open("w", encoding="utf-8", newline="") as text:
            count = bulk_rows.export_csv(registrations, text)
    if output is not None:
        click.echo(f"wrote {count} registration(s) to {output}", err=True)


@register.command()
@as_option(required=True)
@click.option("--dry-run", is_flag=True, help="List what would expire; change nothing.")
def expire(as_user: str, dry_run: bool) -> None:
    """Move every registered or in-progress registration past its end date to expired, with
    "registration period ended on DD/MM/YYYY" in its history (run nightly). --as a centre
    administrator (their centres only) or the awarding body (every centre)."""
    from assay.registrations.expiry import registrations_due_to_expire, registrations_expire

    user = user_named(as_user)
    run = registrations_due_to_expire if dry_run else registrations_expire
    with domain_errors():
        rows = run(by=user)
    for row in rows:
        click.echo(
            f"registration {row.pk}: {row.candidate} on {row.qualification.code} at "
            f"{row.centre.number}, ended {row.end_date}"
        )
    if dry_run:
        click.echo(f"{len(rows)} registration(s) due to expire; nothing was changed")
    else:
        click.echo(f"expired {len(rows)} registration(s)")


@register.command()
@as_option(required=True)
def adopt(as_user: str) -> None:
    """Start the enrolment chain of every registration made before chains existed (their rows
    as they are now); --as the awarding body. Run once after upgrading; then records verify."""
    from assay.registrations.enrolment import enrolment_adopt

    user = user_named(as_user)
    with domain_errors():
        adopted = enrolment_adopt(by=user)
    click.echo(f"adopted {len(adopted)} registration(s) into the enrolment chain")


STATUSES = ["registered", "in_progress", "withdrawn", "transferred", "completed", "expired"]


@register.command()
@click.argument("registration_id", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--reason", required=True, help="Why the status changes (kept in the history).")
@click.option("--confirm", is_flag=True, help="Confirm the change (a final status is final).")
@as_option(required=True)
def status(registration_id: int, status: str, reason: str, confirm: bool, as_user: str) -> None:
    """Move registration REGISTRATION_ID to STATUS with a reason, confirmed with --confirm.

    completed is refused until the rules of combination are met by signed-off or credited
    (RPL) units; completed, withdrawn, transferred and expired are final."""
    from assay.engines.registration.lifecycle import MEANINGS, Status
    from assay.progress.completion import registration_transition
    from assay.registrations.selectors import registration_get

    user = user_named(as_user)
    with domain_errors():
        change = registration_transition(
            by=user,
            registration=registration_get(user, registration_id),
            to=status,
            reason=reason,
            confirmed=confirm,
        )
    click.echo(
        f"registration {registration_id}: {change.from_status} → {change.to_status} "
        f"({MEANINGS[Status(status)]})"
    )


@register.command()
@click.argument("registration_id", type=int)
@click.option("--to", "new_end", required=True, help="The new end date of the period.")
@click.option("--reason", required=True, help="Why the period is extended.")
@as_option(required=True)
def extend(registration_id: int, new_end: str, reason: str, as_user: str) -> None:
    """Extend the period of registration of REGISTRATION_ID to a later end date, with a
    reason (a centre administrator; never past the last certification date)."""
    from assay.progress.completion import registration_extend
    from assay.registrations.selectors import registration_get

    user = user_named(as_user)
    end = date_option_value(new_end, "--to")
    assert end is not None
    with domain_errors():
        extension = registration_extend(
            by=user,
            registration=registration_get(user, registration_id),
            new_end=end,
            reason=reason,
        )
    click.echo(
        f"registration {registration_id}: period extended from {extension.previous_end} "
        f"to {extension.new_end}"
    )
