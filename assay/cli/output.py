"""How every command answers: JSON on stdout, or one error line on stderr with exit status 2.

Kept apart from ``main`` so sub-command modules import it without importing the group that
imports them.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2, nothing on stdout."""
    click.echo(f"assay: error: {message}", err=True)
    sys.exit(2)


def emit_json(data: Any) -> None:
    """``data`` as indented JSON; a typed answer (a pydantic model, or a list of them) is
    printed as the API gives it."""
    click.echo(json.dumps(_plain(data), indent=2, ensure_ascii=False))


def _plain(data: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list):
        return [_plain(item) for item in data]
    return data
