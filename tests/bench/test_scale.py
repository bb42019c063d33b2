"""``assay bench scale`` on a tiny centre: every page, API list and export it times answers
200 at both sizes, the build goes through the services, and nothing is left behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.bench.scale import report, scale_bench
from assay.cli.main import main
from assay.portfolios.models import EvidenceItem
from assay.records.models import ChainRecord
from assay.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_every_read_answers_at_both_sizes_and_all_is_rolled_back(catalogue: None) -> None:
    before = (Registration.objects.count(), ChainRecord.objects.count())
    lines: list[str] = []
    result = scale_bench(
        10, factor=2, evidence=1, judged=1, plan_units=2, repeat=1, say=lines.append, scratch=False
    )
    assert (result.small.registrations, result.large.registrations) == (10, 20)
    assert (result.small.import_rows, result.large.import_rows) == (10, 10)
    labels = [r.label for r in result.small.reads]
    assert labels == [r.label for r in result.large.reads] and len(labels) == 10
    for read in [*result.small.reads, *result.large.reads]:
        assert read.status == 200, read
        assert read.queries > 0 and read.size_kb > 0 and read.peak_mb > 0
    ratios = list(report(result))
    assert ratios[0] == "ratios 20 / 10 learners:"
    assert any(line.startswith("worst page ratio") for line in ratios)
    assert (Registration.objects.count(), ChainRecord.objects.count()) == before
    assert not EvidenceItem.objects.exists()


def test_the_command_refuses_a_size_below_ten() -> None:
    out = CliRunner().invoke(main, ["bench", "scale", "--registrations", "3"])
    assert out.exit_code == 2 and "--registrations" in out.output


@pytest.mark.standalone
def test_the_command_builds_in_a_scratch_database_and_drops_it(tmp_path: Path) -> None:
    """The default run: a database of its own (created, migrated, the catalogue imported),
    every act committed, VACUUM/ANALYZE after each build, dropped at the end; the configured
    database (here a data folder of its own, never migrated) is not touched."""
    assay = shutil.which("assay", path=str(Path(__file__).parents[2] / ".venv" / "bin"))
    assert assay, "the assay console script is not installed in .venv"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ASSAY_DATA_DIR"] = str(tmp_path / "data")
    args = ["--registrations", "10", "--factor", "2", "--evidence", "0", "--judged", "0"]
    args += ["--units", "1", "--repeat", "1"]
    done = subprocess.run(
        [assay, "bench", "scale", *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("scratch database ") and lines[0].endswith("bench.sqlite3")
    assert "ratios 20 / 10 learners:" in lines
    assert not Path(lines[0].removeprefix("scratch database ")).exists()
    assert (
        not (tmp_path / "data" / "assay.sqlite3").exists()
        or _tables(tmp_path / "data" / "assay.sqlite3") == set()
    )


def _tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
