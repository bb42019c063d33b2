"""How every command answers: JSON on stdout, or one error line on stderr with exit status 2.

Kept apart from ``main`` so sub-command modules import it without importing the group that
imports them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, NoReturn

import click


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2, nothing on stdout."""
    click.echo(f"assay: error: {message}", err=True)
    sys.exit(2)


def _plain(value: Any) -> Any:
    """A read model as its fields; dates and times as ISO text (``isoformat``, as before)."""
    from pydantic import BaseModel  # only when there is a read model to print: fast start

    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def emit_json(data: Any) -> None:
    """Print JSON: plain data or the domain's read models (the API's response schemas)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_plain))


def every_row(read_page: Any, size: int = 200) -> Any:
    """Every row of a keyset list, read ``size`` rows a page (``read_page(cursor, size)``
    returns an ``assay.keyset.Page``): the commands that list print all of it, each page in
    the same few queries, never the whole list in memory at once."""
    cursor = None
    while True:
        page = read_page(cursor, size)
        yield from page.items
        if page.next is None:
            return
        cursor = page.next


def progress_printer(unit: str) -> Any:
    """A ``(done, total)`` callback for long work that writes ``done/total unit (pct%)`` to
    stderr, one line per whole percent, so stdout stays the command's answer (``--progress``)."""
    shown = [-1]

    def step(done: int, total: int) -> None:
        percent = (done * 100) // total if total > 0 else 0
        if percent != shown[0]:
            shown[0] = percent
            click.echo(f"{done}/{total} {unit} ({percent}%)", err=True)

    return step
