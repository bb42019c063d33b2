"""``assay demo`` and ``assay serve``: the README's run command is these two in a row."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Create or update the database with demo data. Safe to run again. Stops, changing
    nothing, when the anchor log names chains of an earlier database that is gone."""
    from assay.cli.output import fail
    from assay.demo.load import demo_load
    from assay.errors import InvalidInput

    try:
        for line in demo_load():
            click.echo(line)
    except InvalidInput as refused:
        fail("; ".join(refused.errors.values()))


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True)
def serve(addr: str) -> None:
    """Serve the web application and API (development server). First removes upload
    temporary files a killed server left (see `assay files sweep`)."""
    from django.core.management import call_command

    from assay.cli.files import sweep_line

    click.echo(sweep_line())

    call_command("runserver", addr, use_reloader=False)
