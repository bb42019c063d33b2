"""``assay portfolio export``: a candidate's portfolio as one ZIP (index.html and every file);
``assay portfolio progress``: a centre's progress with red/amber/green, as a table, CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from assay.cli.acting import as_option


@click.group()
def portfolio() -> None:
    """Portfolios of evidence."""


@portfolio.command("export")
@click.option("--registration", "registration_id", type=int, required=True, metavar="ID")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The ZIP file to write.",
)
@click.option(
    "--progress", "show_progress", is_flag=True, help="Show files written so far on stderr."
)
@as_option(required=False)
def export(registration_id: int, output: Path, show_progress: bool, as_user: str | None) -> None:
    """Write the registration's portfolio: index.html (units, coverage, the criterion-by-
    evidence matrix, decisions) and every evidence file under files/. (In the browser the
    same export runs in ``assay worker``, with a progress bar and a download link.)"""
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import progress_printer
    from assay.portfolios.export import portfolio_export_zip

    with domain_errors():
        user = acting(as_user)
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as out:
                step = progress_printer("files") if show_progress else None
                names = portfolio_export_zip(user, registration_id, out, step)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"wrote {output}: index.html and {len(names) - 1} evidence files")


class _Echo:
    """A text stream that hands every write to ``click.echo`` (standard output)."""

    def write(self, text: str) -> int:
        click.echo(text, nl=False)
        return len(text)


@portfolio.command("progress")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "xlsx"]),
    default="table",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (needed for xlsx); default: standard output.",
)
@as_option(required=False)
def progress(centre_key: str, fmt: str, output: Path | None, as_user: str | None) -> None:
    """Progress across the centre's candidates with red/amber/green and its reasons, red
    first: criteria met, units signed off, next target date (ADR 0008)."""
    import contextlib

    from assay import clock
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import fail
    from assay.progress.caseload import centre_progress_rows, progress_csv, progress_xlsx
    from assay.registrations.dashboard import centre_find

    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE")
    with domain_errors():
        user = acting(as_user)
        _, rows = centre_progress_rows(user, centre_find(user, centre_key).pk, clock.today())
    if fmt == "xlsx":
        assert output is not None
        with output.open("wb") as binary:
            count = progress_xlsx(rows, binary)
    elif fmt == "csv":
        # Streamed row by row: memory stays flat however many registrations the centre has.
        if output is None:
            count = progress_csv(rows, _Echo())  # type: ignore[arg-type]  # only write() is used
        else:
            with output.open("w", encoding="utf-8", newline="") as text_out:
                count = progress_csv(rows, text_out)
    else:
        count = 0
        with contextlib.ExitStack() as stack:
            out = None
            if output is not None:
                out = stack.enter_context(output.open("w", encoding="utf-8"))
            for row in rows:
                line = (
                    f"{row.rag.status.value.upper():<8} {row.registration.candidate!s:<24} "
                    f"{row.registration.qualification.code:<18} "
                    f"ends {row.registration.end_date:%d/%m/%Y} "
                    f"criteria {row.percent_met:>3}% units {row.units_signed_off}/"
                    f"{row.units_planned}\n         " + "\n         ".join(row.rag.reasons)
                )
                click.echo(line, file=out)
                count += 1
            if not count and out is None:
                click.echo("no registrations you can see at this centre")
    if output is not None:
        click.echo(f"wrote {count} registration(s) to {output}", err=True)
