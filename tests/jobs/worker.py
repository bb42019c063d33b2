"""Run ``assay worker --once`` as an operator would, inside the test's database."""

from __future__ import annotations

from click.testing import CliRunner

from assay.cli.main import main


def run_worker(*args: str) -> str:
    """``assay worker --once`` with ``args``; its output (fails the test on a non-zero exit)."""
    result = CliRunner().invoke(main, ["worker", "--once", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output
