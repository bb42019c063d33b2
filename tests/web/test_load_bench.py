"""``assay bench load`` run tiny: 2 users, 20 requests through the real server on loopback
(a throwaway demo database), no errors, and every figure printed. Counts, never times."""

from __future__ import annotations

import re
from typing import Any

import pytest
from click.testing import CliRunner

from assay.bench import load as load_bench
from assay.bench.load import Budget, Figures, LoadResult, percentile
from assay.cli.main import main

ENDPOINTS = (
    "web sign-in form",
    "web sign-in",
    "web caseload",
    "web portfolio",
    "web unit screen",
    "api caseload",
    "api registrations",
    "api judgement",
    "api upload",
    "web export job",
)


@pytest.mark.standalone
def test_two_users_twenty_requests_no_errors_and_every_figure() -> None:
    done = CliRunner().invoke(main, ["bench", "load", "--users", "2", "--requests", "20"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert re.fullmatch(r"load: 2 users, [\d.]+ s, [\d.]+ requests/s", lines[0])
    assert lines[1] == "setup: 1 app process, SQLite, disk storage"
    assert lines[2].split() == [
        "endpoint",
        "requests",
        "errors",
        "p50",
        "ms",
        "p95",
        "ms",
        "max",
        "ms",
    ]
    assert re.fullmatch(r"background jobs: \d+ queued", lines[-4])  # no worker: left queued
    rows = {" ".join(line.split()[:-5]): line.split()[-5:] for line in lines[3:-4]}
    assert set(rows) == {*ENDPOINTS, "overall"}
    assert all(row[1] == "0" for row in rows.values())  # errors per endpoint
    assert sum(int(rows[name][0]) for name in ENDPOINTS) == int(rows["overall"][0]) == 20
    assert lines[-3:] == ['"database is locked": 0', "requests: 20", "errors: 0"]


def test_errors_are_counted_printed_and_fail_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = Figures(requests=2, errors=1, latencies=[0.1, 0.2])
    result = LoadResult(1, 1.0, {"api judgement": bad}, ["POST /x: HTTP 500, expected 201"])

    def fake(*args: Any, **kwargs: Any) -> LoadResult:
        return result

    monkeypatch.setattr(load_bench, "load_bench", fake)
    done = CliRunner().invoke(main, ["bench", "load", "--users", "1", "--requests", "2"])
    assert done.exit_code == 1
    assert "errors: 1" in done.output
    assert "error: POST /x: HTTP 500, expected 201" in done.output


def test_a_locked_database_fails_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    fine = Figures(requests=2, errors=0, latencies=[0.1, 0.2])
    result = LoadResult(1, 1.0, {"api judgement": fine}, [], locked=3)
    monkeypatch.setattr(load_bench, "load_bench", lambda *args, **kwargs: result)
    done = CliRunner().invoke(main, ["bench", "load", "--users", "1", "--requests", "2"])
    assert done.exit_code == 1
    assert '"database is locked": 3' in done.output


def test_percentiles_are_nearest_rank() -> None:
    values = [float(x) for x in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile([], 50)) == (50, 95, 0)
    assert percentile([7.0], 95) == 7.0


def test_the_budget_stops_at_the_request_count() -> None:
    budget = Budget(60, 3)
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert not Budget(0, None).take()


@pytest.mark.standalone
def test_two_processes_and_a_worker_on_postgresql_and_object_storage() -> None:
    """The many-machine shape on one host: two servers and a worker share one PostgreSQL
    database made for the run (and dropped after) and a SeaweedFS bucket: users on both
    servers judge, upload and ask for exports without an error; the worker does every job."""
    import psycopg

    server = "postgres://postgres@127.0.0.1:5432"
    done = CliRunner().invoke(
        main,
        [
            "bench",
            "load",
            "--users",
            "2",
            "--requests",
            "24",
            "--processes",
            "2",
            "--postgres",
            server,
            "--storage",
            "s3",
            "--worker",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "setup: 2 app processes + 1 worker, PostgreSQL, s3 storage" in done.output
    jobs = re.search(r"background jobs: (\d+) done$", done.output, re.M)
    assert jobs is not None and int(jobs.group(1)) >= 1  # the export jobs, all done
    assert "errors: 0" in done.output
    with psycopg.connect(f"{server}/postgres") as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'assay_load_%'")
        assert left.fetchall() == []
