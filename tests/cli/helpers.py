"""Running the ``assay`` CLI in-process for tests, and a registration's arguments."""

from __future__ import annotations

from click.testing import CliRunner

from assay.cli.main import main

ALICE = [
    "--centre",
    "N1001",
    "--first-name",
    "Dan",
    "--last-name",
    "Dixon",
    "--dob",
    "03/02/1975",
    "--job-kind",
    "paid",
    "--qualification",
    "4430-04",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_fails(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, ""), err
    assert err == f"assay: error: {message}\n"
