"""``assay portfolio export``: a candidate's portfolio as one ZIP (index.html and every file)."""

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
@as_option(required=False)
def export(registration_id: int, output: Path, as_user: str | None) -> None:
    """Write the registration's portfolio: index.html (units, coverage, the criterion-by-
    evidence matrix, decisions) and every evidence file under files/."""
    from assay.cli.acting import acting, domain_errors
    from assay.portfolios.export import portfolio_export_zip

    with domain_errors():
        user = acting(as_user)
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as out:
                names = portfolio_export_zip(user, registration_id, out)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"wrote {output}: index.html and {len(names) - 1} evidence files")
