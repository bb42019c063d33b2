"""``assay clients``: a certifying body's client organisations, divisions and offices, one at a
time or imported from a CSV/XLSX file (issue 15). Writes need ``--as USERNAME`` (a body
administrator); errors are one line on stderr with exit status 2 (``assay.cli.acting``).
"""

from __future__ import annotations

from pathlib import Path

import click

from assay.cli.acting import as_option


@click.group()
def clients() -> None:
    """Client organisations of a certifying body: organisations, divisions, offices, import."""


def _show(organisation_pk: int, user: object, as_json: bool) -> None:
    from assay.audits.client_answers import client_answer
    from assay.audits.selectors import organisation_get
    from assay.cli.output import emit_json

    answer = client_answer(organisation_get(user, organisation_pk))  # type: ignore[arg-type]
    if as_json:
        emit_json(answer)
        return
    click.echo(f"{answer.id}\t{answer.reference}\t{answer.name}")
    names = {d.id: d.name for d in answer.divisions}
    for d in answer.divisions:
        click.echo(f"  division {d.id}\t{d.name}")
    for o in answer.offices:
        flags = [f for f, on in (("main", o.is_main), ("division main", o.is_division_main)) if on]
        division = f"\t{names[o.division]}" if o.division else ""
        click.echo(f"  office {o.id}\t{o.state}\t{o.name}{division}\t{', '.join(flags)}")
    for warning in answer.warnings:
        click.echo(f"  warning: {warning}")


@clients.command()
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def show(reference: str, as_json: bool, as_user: str | None) -> None:
    """An organisation (by REFERENCE) with its divisions, offices and main-office warnings."""
    from assay.audits.selectors import organisation_by_reference
    from assay.cli.acting import acting, domain_errors

    with domain_errors():
        user = acting(as_user)
        _show(organisation_by_reference(user, reference).pk, user, as_json)


@clients.command()
@click.option("--name", required=True)
@click.option("--reference", required=True)
@click.option("--body", "body_id", type=int, help="Body id (default: the only one you administer).")
@as_option(required=True)
def create(name: str, reference: str, body_id: int | None, as_user: str) -> None:
    """Add a client organisation."""
    from assay.audits.clients import client_body, organisation_add
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        org = organisation_add(
            by=user, body=client_body(user, body_id), name=name, reference=reference
        )
        click.echo(f"organisation {org.pk} {org.reference}: {org.name}")


@clients.command()
@click.argument("reference")
@click.option("--name")
@click.option("--new-reference")
@as_option(required=True)
def edit(reference: str, name: str | None, new_reference: str | None, as_user: str) -> None:
    """Rename an organisation or change its reference."""
    from assay.audits.clients import organisation_edit
    from assay.audits.selectors import organisation_by_reference
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        org = organisation_by_reference(user, reference)
        organisation_edit(
            by=user,
            organisation=org,
            name=org.name if name is None else name,
            reference=org.reference if new_reference is None else new_reference,
        )
        click.echo(f"organisation {org.pk} {org.reference}: {org.name}")


@clients.command()
@click.argument("reference")
@click.argument("name")
@click.option("--rename", help="Rename the division NAME to this.")
@as_option(required=True)
def division(reference: str, name: str, rename: str | None, as_user: str) -> None:
    """Add the division NAME to an organisation (or rename it with --rename)."""
    from assay.audits.clients import division_create, division_rename
    from assay.audits.selectors import organisation_by_reference
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import NotFound

    with domain_errors():
        user = user_named(as_user)
        org = organisation_by_reference(user, reference)
        if rename is None:
            made = division_create(by=user, organisation=org, name=name)
        else:
            found = org.divisions.filter(name=name).first()
            if found is None:
                raise NotFound(f"{org.name} has no division {name!r}")
            made = division_rename(by=user, division=found, name=rename)
        click.echo(f"division {made.pk}: {made.name}")


@clients.command()
@click.argument("reference")
@click.argument("name")
@click.option("--state", help="State or territory code, e.g. NSW (required for a new office).")
@click.option(
    "--main/--not-main", default=None, help="The organisation's main office in its state."
)
@click.option("--division-main/--not-division-main", default=None)
@click.option("--division", "division_name", help="Its division's name ('' for none).")
@click.option("--address")
@click.option("--complaints", type=int)
@click.option("--headcount", type=int, help="Staff at the office (-1: unknown).")
@click.option("--rename", help="Rename the office.")
@as_option(required=True)
def office(
    reference: str,
    name: str,
    state: str | None,
    main: bool | None,
    division_main: bool | None,
    division_name: str | None,
    address: str | None,
    complaints: int | None,
    headcount: int | None,
    rename: str | None,
    as_user: str,
) -> None:
    """Add the office NAME to an organisation, or change it when it exists (only the options
    given change)."""
    from assay.audits.clients import office_create, office_edit
    from assay.audits.selectors import organisation_by_reference
    from assay.audits.services import OfficeInput
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import InvalidInput

    with domain_errors():
        user = user_named(as_user)
        org = organisation_by_reference(user, reference)
        existing = org.offices.filter(name=name).first()
        division_id = existing.division_id if existing else None
        if division_name is not None:
            division_id = None
            if division_name:
                found = org.divisions.filter(name=division_name).first()
                if found is None:
                    raise InvalidInput(
                        {"division": f"{org.name} has no division {division_name!r}"}
                    )
                division_id = found.pk
        if existing is None:
            if state is None:
                raise InvalidInput({"state": "give --state for a new office"})
            if rename is not None:
                raise InvalidInput({"rename": f"{org.name} has no office {name!r} to rename"})
            made = office_create(
                by=user,
                organisation=org,
                data=OfficeInput(
                    name=name,
                    state=state,
                    is_main=bool(main),
                    is_division_main=bool(division_main),
                    division_id=division_id,
                    complaints=complaints or 0,
                    address=address or "",
                    headcount=None if headcount is None or headcount < 0 else headcount,
                ),
            )
        else:
            made = office_edit(
                by=user,
                office=existing,
                data=OfficeInput(
                    name=existing.name if rename is None else rename,
                    state=existing.state if state is None else state,
                    is_main=existing.is_main if main is None else main,
                    is_division_main=(
                        existing.is_division_main if division_main is None else division_main
                    ),
                    division_id=division_id,
                    complaints=existing.complaints if complaints is None else complaints,
                    address=existing.address if address is None else address,
                    headcount=(
                        existing.headcount
                        if headcount is None
                        else (None if headcount < 0 else headcount)
                    ),
                ),
            )
        click.echo(f"office {made.pk}: {made.name} ({made.state})")
        _show(org.pk, user, False)


@clients.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option("--body", "body_id", type=int, help="Body id (default: the only one you administer).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows' results as JSON.")
@as_option(required=True)
def import_(file: Path, dry_run: bool, body_id: int | None, as_json: bool, as_user: str) -> None:
    """Import organisations, divisions and offices from a CSV/XLSX FILE, one row per office
    (columns organisation_reference, organisation_name, division, office, state, main,
    division_main, address, complaints). All or nothing: any row's error imports nothing and
    exits 1 after listing every error as "row N, column: message"."""
    from assay.audits.client_answers import client_import_answer
    from assay.audits.clients import client_body, import_check, import_clients, read_rows
    from assay.cli.acting import domain_errors, user_named
    from assay.cli.output import emit_json

    with domain_errors():
        user = user_named(as_user)
        body = client_body(user, body_id)
        with file.open("rb") as stream:
            rows = read_rows(stream, name=file.name)
        result = import_check(by=user, body=body, rows=rows)
        if result.ok and not dry_run:
            result = import_clients(by=user, body=body, rows=rows)
    if as_json:
        emit_json(client_import_answer(result))
    else:
        for number, error in result.errors:
            click.echo(f"row {number}, {error.column}: {error.message}")
        state = "imported" if result.imported else "would import" if result.ok else "refused"
        click.echo(
            f"{len(result.rows)} row(s), {len(result.errors)} error(s); {state}: "
            f"{len(result.organisations)} new organisation(s), {result.divisions} new "
            f"division(s), {result.offices} office(s)"
        )
    if not result.ok:
        raise SystemExit(1)
