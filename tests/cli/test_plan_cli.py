"""`assay plan check|complete` against the imported catalogue."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assay.cli.main import main

pytestmark = pytest.mark.django_db

ACHIEVING = ["401", "402", "403", "405", "410", "411", "412"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_json_shape_and_decision(catalogue: None) -> None:
    code, out, _ = run("plan", "check", "4430-04", *ACHIEVING, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["met"] is True
    assert data["total_credits"] == 10 + 10 + 10 + 8 + 10 + 10 + 9
    assert sorted(data["counted_units"]) == sorted(ACHIEVING)
    assert {r["rule"] for r in data["rules"]} == {
        "mandatory-units",
        "minimum-credit",
        "level-4-credit",
        "one-per-optional-group",
    }
    assert all(set(r) >= {"rule", "met", "explanation"} for r in data["rules"])


def test_check_says_what_is_missing(catalogue: None) -> None:
    data = json.loads(
        run("plan", "check", "4430-04", "401", "402", "303", "307", "310", "313", "--json")[1]
    )
    assert data["met"] is False and data["total_credits"] == 46
    by_rule = {r["rule"]: r for r in data["rules"]}
    assert by_rule["minimum-credit"]["met"] is False
    assert "21 more" in by_rule["minimum-credit"]["explanation"]
    assert "15 more" in by_rule["level-4-credit"]["explanation"]
    assert by_rule["one-per-optional-group"]["met"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "check", "0000-00", "401"], "unknown qualification '0000-00'"),
        (["plan", "check", "4430-04", "401", "499"], "unknown unit '499' in 4430-04"),
        (["plan", "complete", "4430-04", "--have", "12"], "unknown unit '12' in 4430-04"),
        (["plan", "complete", "4430-04", "--exclude", "x"], "unknown unit 'x' in 4430-04"),
        (["plan", "complete", "nope", "--json"], "unknown qualification 'nope'"),
    ],
)
def test_unknown_names_exit_2_with_nothing_on_stdout(
    catalogue: None, args: list[str], message: str
) -> None:
    code, out, err = run(*args, "--json") if "--json" not in args else run(*args)
    assert (code, out) == (2, "")
    assert err.strip() == f"assay: error: {message}"


def test_complete_from_nothing_is_optimal_and_feasible(catalogue: None) -> None:
    code, out, _ = run("plan", "complete", "4430-04", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"feasible", "add", "added_glh", "reason", "objective"}
    assert data["feasible"] is True and data["reason"] is None
    check = json.loads(run("plan", "check", "4430-04", *data["add"], "--json")[1])
    assert check["met"] is True
    # Units without content (303-318, ADR 0010) are left out unless allowed: 401+402 (130)
    # + 403 405 407 410 413 (313) = 443, by DP.
    assert data["added_glh"] == 443
    assert not set(data["add"]) & {str(n) for n in range(303, 319)}


def test_complete_allow_without_content_may_pick_them(catalogue: None) -> None:
    """With the flag the planner may pick units whose content is not in the catalogue (the
    cheapest completion then holds 310, as before issue 9)."""
    data = json.loads(run("plan", "complete", "4430-04", "--allow-without-content", "--json")[1])
    assert data["feasible"] is True and data["added_glh"] == 442
    assert "310" in data["add"]


def test_complete_infeasible_names_the_group(catalogue: None) -> None:
    excl = [a for u in ("310", "311", "312", "410") for a in ("--exclude", u)]
    data = json.loads(run("plan", "complete", "4430-04", *excl, "--json")[1])
    assert data["feasible"] is False and data["add"] == []
    assert "handling-problems" in data["reason"] or "Handling Problems" in data["reason"]


def test_complete_edexcel_counts_units_not_hours(catalogue: None) -> None:
    data = json.loads(run("plan", "complete", "edexcel-l3-nvq-cs", "--have", "7", "--json")[1])
    assert data["feasible"] is True and data["added_glh"] is None
    assert len(data["add"]) == 7  # unit 8 plus six options
