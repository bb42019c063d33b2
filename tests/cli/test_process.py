"""The real `assay` console script in a subprocess: stdout must be exactly the JSON document.

CliRunner cannot see what C extensions (HiGHS) write to file descriptor 1, so this runs the
installed command against its own throwaway SQLite database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import demo_copy

pytestmark = pytest.mark.standalone  # its own data folder: not the configured database

ASSAY = shutil.which("assay", path=str(Path(__file__).resolve().parents[2] / ".venv" / "bin"))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, demo_folder: Path) -> dict[str, str]:
    """A copy of the demo data folder (built once per run: ``tests/conftest.py``)."""
    assert ASSAY, "the assay console script is not installed in .venv"
    data = demo_copy(demo_folder, tmp_path_factory.mktemp("assay") / "data")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["ASSAY_DATA_DIR"] = str(data)
    return environment


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert ASSAY
    return subprocess.run([ASSAY, *args], env=env, capture_output=True, text=True, check=False)


def test_plan_complete_prints_only_json(env: dict[str, str]) -> None:
    done = run(env, "plan", "complete", "4430-04", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # Units without content (303-318) are left out unless allowed (ADR 0010).
    assert data["feasible"] is True and data["added_glh"] == 443


def test_plan_check_prints_only_json(env: dict[str, str]) -> None:
    done = run(
        env,
        "plan",
        "check",
        "EDEXCEL-L3-NVQ-CS",
        "7",
        "8",
        "13",
        "18",
        "24",
        "32",
        "39",
        "40",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["met"] is True


def test_unknown_unit_exits_2_with_empty_stdout(env: dict[str, str]) -> None:
    done = run(env, "plan", "complete", "4430-04", "--have", "999", "--json")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip() == "assay: error: unknown unit '999' in 4430-04"


def test_help_describes_the_commands(env: dict[str, str]) -> None:
    done = run(env, "--help")
    for command in ("catalogue", "plan", "bench", "demo", "serve"):
        assert command in done.stdout


def test_an_empty_database_gets_one_line_saying_what_to_run(tmp_path: Path) -> None:
    assert ASSAY
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["ASSAY_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [ASSAY, "bench", "portfolio", "--items", "2"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "assay: error: the database is not set up: run `assay demo` first (it migrates and loads)\n"
    )
