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
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
