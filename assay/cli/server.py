"""``assay demo`` and ``assay serve``: the README's run command is these two in a row."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Create or update the database with demo data. Safe to run again."""
    from assay.web.demo import demo_load

    for line in demo_load():
        click.echo(line)


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True)
def serve(addr: str) -> None:
    """Serve the web application and API (development server)."""
    from django.core.management import call_command

    call_command("runserver", addr, use_reloader=False)
