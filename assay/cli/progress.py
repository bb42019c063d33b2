"""``assay progress``: the materialised progress rows behind the caseload and centre progress
(ADR 0014)."""

from __future__ import annotations

import click


@click.group()
def progress() -> None:
    """Materialised progress: one row per registration behind the caseload, centre progress
    and their exports."""


@progress.command("refresh")
@click.option(
    "--centre",
    "centre_key",
    default=None,
    metavar="CODE",
    help="Only this centre's registrations (centre number or id); default: every one.",
)
def refresh(centre_key: str | None) -> None:
    """Recompute every registration's progress row from its evidence, judgements, sign-offs,
    credits and targets, and rebuild the counts per colour from the rows (the pages do this
    for changed rows on their own; run it after loading data around the services, or to
    rebuild the table)."""
    from assay.cli.acting import domain_errors
    from assay.progress.materialise import refresh_centre

    with domain_errors():
        count = refresh_centre(centre_key)
    click.echo(f"refreshed {count} registration(s)")
