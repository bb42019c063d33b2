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
)


@pytest.mark.standalone
def test_two_users_twenty_requests_no_errors_and_every_figure() -> None:
    done = CliRunner().invoke(main, ["bench", "load", "--users", "2", "--requests", "20"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert re.fullmatch(r"load: 2 users, [\d.]+ s, [\d.]+ requests/s", lines[0])
    assert lines[1].split() == [
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
    rows = {" ".join(line.split()[:-5]): line.split()[-5:] for line in lines[2:-2]}
    assert set(rows) == {*ENDPOINTS, "overall"}
    assert all(row[1] == "0" for row in rows.values())  # errors per endpoint
    assert sum(int(rows[name][0]) for name in ENDPOINTS) == int(rows["overall"][0]) == 20
    assert lines[-2:] == ["requests: 20", "errors: 0"]


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


def test_percentiles_are_nearest_rank() -> None:
    values = [float(x) for x in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile([], 50)) == (50, 95, 0)
    assert percentile([7.0], 95) == 7.0


def test_the_budget_stops_at_the_request_count() -> None:
    budget = Budget(60, 3)
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert not Budget(0, None).take()
