"""``assay backup DIR`` and ``assay restore DIR`` (docs/backup.md).

Exit status: 0 done and every record checks out; 1 restored, but ``records verify`` finds
problems (records anchored after the backup are missing: they must be re-entered); 2 refused or
failed, with every reason on stderr, and nothing was changed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:,.1f} {unit}"


def fail(message: str) -> NoReturn:
    from assay.cli.output import fail as fail_main

    fail_main(message)


def _refused(problems: list[str], what: str) -> NoReturn:
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    fail(what)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup(directory: Path) -> None:
    """Write a consistent backup of the database, the evidence files and the anchors to the
    new directory DIRECTORY, with a manifest of every file's SHA-256.

    SQLite is copied with its online backup API and PostgreSQL with pg_dump, so Assay can keep
    running. The backup holds a copy of the anchor log and the checkpoint export; a restore
    checks against the live anchor log, so keep that log apart from the backups.
    """
    from assay.records.backup import BackupRefused, backup_create

    try:
        manifest = backup_create(directory)
    except BackupRefused as error:
        _refused(error.problems, "no backup was written")
    media = [e for e in manifest.files if e.path.startswith("media/")]
    click.echo(
        f"backup written to {directory}: {manifest.engine} database, {len(media)} evidence "
        f"files, {len(manifest.files)} files, {_size(manifest.total_bytes)}"
    )
    if manifest.checkpoints:
        last = manifest.checkpoints[-1]
        click.echo(
            f"checkpoints: {len(manifest.checkpoints)}, the last {last['seq']} root {last['root']}"
        )
    for note in manifest.notes:
        click.echo(f"note: {note}")


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Verify the backup only; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore(directory: Path, check_only: bool, yes: bool) -> None:
    """Restore the backup in DIRECTORY over the configured database and evidence store.

    First every file is checked against the manifest: if any is missing or differs, nothing is
    changed (exit 2). Then evidence files are put back by content address, the database is
    replaced in one transaction, and every chain is verified against the live anchor log (never
    overwritten): records made after the backup are listed as missing (exit 1). Stop the server
    first. The anchors in the backup are checked too.
    """
    from assay.records.backup import BackupRefused, backup_check, backup_restore

    try:
        manifest = backup_check(directory)
    except BackupRefused as error:
        _refused(error.problems, "the backup does not match its manifest; nothing was restored")
    taken = f"taken at {manifest.created_at} by Assay {manifest.assay_version}"
    if check_only:
        click.echo(
            f"ok: {directory} is whole: {len(manifest.files)} files, "
            f"{_size(manifest.total_bytes)}, {manifest.engine} database, {taken}"
        )
        return
    if not yes:
        try:
            confirmed = click.confirm(
                f"Replace the database with the backup {taken}?", default=False, err=True
            )
        except click.Abort:
            confirmed = False
        if not confirmed:
            fail("not confirmed; nothing was restored (give --yes to skip the question)")
    try:
        done = backup_restore(directory)
    except BackupRefused as error:
        _refused(error.problems, "nothing was restored")
    click.echo(f"restored {directory} ({manifest.engine} database, {taken})")
    click.echo(
        f"evidence files: {done.media_restored} restored, {done.media_unchanged} already "
        f"in place, {done.media_extra} newer ones left in place"
    )
    if done.migrations_applied:
        click.echo(f"applied {done.migrations_applied} migrations the backup lacked")
    if not done.anchor_log_exists:
        click.echo(
            f"warning: there is no anchor log at {done.anchor_log}: records made after the "
            "backup cannot be detected (docs/backup.md)"
        )
    report = done.report
    summary = (
        f"{report.records} records in {report.chains} chains, {report.anchored_chains} chains "
        f"anchored, {report.checkpoints} checkpoints"
    )
    if report.ok:
        click.echo(f"ok: {summary}")
        return
    for problem in report.problems:
        message = problem.message
        if not message.startswith(f"{problem.chain}: "):
            message = f"{problem.chain}: {message}"
        click.echo(f"missing or broken: {message}")
    click.echo(
        f"{len(report.problems)} problems; {summary}. Records anchored after the backup are "
        "missing from the restored data: re-enter them (the list above names each chain)."
    )
    sys.exit(1)
