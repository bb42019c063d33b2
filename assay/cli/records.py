"""``assay records``: verify every chain against its rows and its anchors; write and export
checkpoints of every chain's head."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def records() -> None:
    """Tamper-evident records: portfolio decisions, enrolments, audit acts and their anchors."""


@records.command("verify")
@click.option(
    "--registration",
    "registration_id",
    type=int,
    default=None,
    metavar="ID",
    help='Check one registration\'s decision chain only ("registration:ID").',
)
@click.option(
    "--chain", "chain_name", default=None, metavar="NAME", help='One chain, e.g. "audit:3".'
)
@click.option(
    "--anchors",
    "anchor_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An exported checkpoint or anchor log kept elsewhere (repeatable).",
)
@click.option(
    "--files", is_flag=True, help="Also re-hash every stored evidence file (reads them all)."
)
def verify(
    registration_id: int | None, chain_name: str | None, anchor_files: tuple[Path, ...], files: bool
) -> None:
    """Recompute every chain, reconcile the rows the app reads with it, and compare each chain
    with its anchors (checkpoint table, anchor log, --anchors copies). Prints "ok: ..." or one
    line per problem naming the chain; exit status 1 when anything is found."""
    from assay.records.services import records_verify

    only = f"registration:{registration_id}" if registration_id is not None else chain_name
    report = records_verify(only, anchor_files, files=files)
    summary = (
        f"{report.records} records in {report.chains} chains, {report.anchored_chains} chains "
        f"anchored, {report.checkpoints} checkpoints"
    )
    if report.ok:
        click.echo(f"ok: {summary}")
        return
    for problem in report.problems:
        click.echo(f"broken: {problem.chain}: {problem.message}")
    click.echo(f"{len(report.problems)} problems; {summary}")
    sys.exit(1)


@records.command("checkpoint")
@click.option(
    "--export",
    "export",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the whole checkpoint log (JSON lines) to this file for safekeeping.",
)
def checkpoint(export: Path | None) -> None:
    """Fold every chain's current head into the next checkpoint (a Merkle root), store it and
    append it to the anchor log; print its number and root. Run it on a schedule (e.g. nightly)
    and give the exported log to whoever must be able to check you (an EV, the awarding body)."""
    from assay.records.services import checkpoint_export_lines, checkpoint_write

    entry = checkpoint_write()
    click.echo(f"checkpoint {entry.seq}: {len(entry.heads)} chains, root {entry.root}")
    if export is not None:
        with export.open("w", encoding="utf-8") as handle:
            handle.writelines(checkpoint_export_lines())
        click.echo(f"exported to {export}")
