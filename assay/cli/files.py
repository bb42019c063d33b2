"""``assay files sweep``: remove upload temporary files a killed server left behind."""

from __future__ import annotations

import click


def sweep_line(max_age_minutes: float | None = None) -> str:
    """Run the sweep and describe it in one line (``assay serve`` prints it at start)."""
    from assay.portfolios.tempfiles import upload_temp_sweep

    result = upload_temp_sweep(max_age_minutes)
    if result.directory is None:
        return "upload temporary files: no FILE_UPLOAD_TEMP_DIR set, nothing swept"
    return (
        f"upload temporary files in {result.directory}: removed {result.removed} "
        f"({result.removed_bytes:,} bytes) older than {result.max_age_minutes:g} min, "
        f"kept {result.kept}"
    )


@click.group()
def files() -> None:
    """Housekeeping of uploaded files."""


@files.command("sweep")
@click.option(
    "--older-than",
    "older_than",
    type=click.FloatRange(min=0),
    default=None,
    metavar="MINUTES",
    help="Age in minutes (default ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES, 60).",
)
def sweep(older_than: float | None) -> None:
    """Remove upload temporary files (partial uploads of a killed server) older than MINUTES
    from the app's temporary folder (FILE_UPLOAD_TEMP_DIR, DATA_DIR/tmp-uploads). A live
    upload keeps its file fresh, so running this beside a server is safe."""
    click.echo(sweep_line(older_than))
