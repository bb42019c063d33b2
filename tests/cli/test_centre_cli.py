"""`assay centre ...`, `assay register ...`: acting as a named user, one-line errors."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assay.centres.models import Membership, QualificationApproval
from assay.registrations.models import Candidate, Refusal, Registration
from tests.cli.helpers import ALICE, assert_fails, run
from tests.factories import make_user
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_centre_list_as_operator_and_as_a_person(world: World) -> None:
    code, out, _ = run("centre", "list")
    assert code == 0 and "N1001" in out and "S2002" in out
    code, out, _ = run("centre", "list", "--json", "--as", "iv_assigned")
    rows = json.loads(out)
    assert [(r["number"], r["roles"]) for r in rows] == [("N1001", ["internal_verifier"])]
    assert json.loads(run("centre", "list", "--json", "--as", "candidate_self")[1]) == []


def test_centre_list_reads_a_page_at_a_time(world: World) -> None:
    """Every centre printed once, by name, in queries that follow the pages (200 a page), not
    the centres: 450 more centres cost the same as 50 more, plus two pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assay.centres.models import Centre

    def listed() -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            code, out, _ = run("centre", "list")
        assert code == 0
        return [line.split()[1] for line in out.splitlines()], len(queries)

    Centre.objects.bulk_create(Centre(number=f"X{n:04d}", name=f"Extra {n:04d}") for n in range(50))
    numbers, few = listed()
    assert len(numbers) == len(set(numbers)) == 52
    Centre.objects.bulk_create(
        Centre(number=f"X{n:04d}", name=f"Extra {n:04d}") for n in range(50, 500)
    )
    numbers, many = listed()
    assert len(numbers) == len(set(numbers)) == 502
    assert numbers[:2] == ["X0000", "X0001"] and numbers[-2:] == ["N1001", "S2002"]
    assert many <= few + 2 * 2  # two more pages of two queries each


def test_centre_show_dashboard(world: World) -> None:
    code, out, _ = run("centre", "show", "N1001", "--json")
    data = json.loads(out)
    assert code == 0 and data["registrations"]["total"] == 2
    code, out, _ = run("centre", "show", str(world.north.pk))
    assert code == 0
    assert "North Training (N1001)" in out and "Candidates: 2 (registered 2" in out
    assert "4430-04" in out and "[in force]" in out


def test_unknown_or_invisible_centre_user_qualification_fail_on_one_line(world: World) -> None:
    assert_fails(["centre", "show", "NOPE"], "no centre 'NOPE'")
    assert_fails(["centre", "show", "N1001", "--as", "admin_other_centre"], "no centre 'N1001'")
    assert_fails(["centre", "list", "--as", "ghost"], "unknown user 'ghost'")
    assert_fails(
        ["register", "add", *ALICE[:-1], "NOPE", "--as", "centre_admin"],
        "unknown qualification 'NOPE'",
    )
    assert_fails(
        ["centre", "grant", "N1001", "ghost", "tutor", "--as", "centre_admin"],
        "unknown user 'ghost'",
    )
    assert_fails(
        [
            "centre",
            "approve",
            "N1001",
            "NOPE",
            "--status",
            "approved",
            "--since",
            "2013-01-01",
            "--as",
            "awarding_body",
        ],
        "unknown qualification 'NOPE'",
    )


def test_writes_need_as(world: World) -> None:
    code, out, err = run("register", "add", *ALICE)
    assert code == 2 and out == "" and "--as" in err
    assert Candidate.objects.count() == 3


def test_approve_records_history_and_takes_effect(world: World) -> None:
    code, out, _ = run(
        "centre",
        "approve",
        "N1001",
        "4430-04",
        "--status",
        "suspended",
        "--since",
        "2013-02-01",
        "--reason",
        "EV visit found no IQA sampling",
        "--as",
        "awarding_body",
    )
    assert code == 0 and out.strip() == "N1001 4430-04: suspended from 2013-02-01"
    assert QualificationApproval.objects.filter(centre=world.north, status="suspended").exists()
    code, out, _ = run("register", "check", *ALICE)
    assert code == 1 and "[centre-not-approved]" in out and "EV visit" in out
    assert_fails(
        [
            "centre",
            "approve",
            "N1001",
            "4430-04",
            "--status",
            "withdrawn",
            "--since",
            "2013-02-01",
            "--as",
            "centre_admin",
        ],
        "not allowed: only the awarding body records centre approvals",
    )
    assert_fails(
        [
            "centre",
            "approve",
            "N1001",
            "4430-04",
            "--status",
            "withdrawn",
            "--since",
            "2013-02-01",
            "--as",
            "awarding_body",
        ],
        "invalid: reason: give the reason for a suspension or withdrawal",
    )


def test_grant_a_role(world: World) -> None:
    make_user("new_assessor")
    code, out, _ = run(
        "centre",
        "grant",
        "N1001",
        "new_assessor",
        "assessor",
        "--qualification",
        "cg-4430-04",
        "--as",
        "centre_admin",
    )
    assert code == 0 and out.strip() == "new_assessor is assessor for 4430-04 at N1001"
    assert Membership.objects.filter(user__username="new_assessor", qualification_code="4430-04")
    assert_fails(
        ["centre", "grant", "N1001", "new_assessor", "tutor", "--as", "tutor"],
        "not allowed: only a centre administrator can grant roles",
    )


def test_register_check_and_add(world: World) -> None:
    code, out, _ = run("register", "check", *ALICE, "--json")
    assert code == 0 and json.loads(out) == {"allowed": True, "reasons": []}
    young = [*ALICE[:7], "2000-01-01", *ALICE[8:]]
    code, out, _ = run("register", "check", *young)
    assert code == 1 and "[under-minimum-age]" in out
    code, out, err = run("register", "add", *ALICE, "--as", "centre_admin")
    assert code == 0, err
    assert out.startswith("registration ") and "Dan Dixon on 4430-04" in out
    assert "ends 2015-03-01" in out
    code, out, err = run("register", "add", *young, "--as", "centre_admin")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith("assay: error: registration refused: [under-minimum-age]")
    assert Refusal.objects.filter(centre=world.north).count() == 1
    assert_fails(
        ["register", "add", *ALICE, "--as", "tutor"],
        "not allowed: only a centre administrator can register candidates",
    )
    assert_fails(
        ["register", "check", *ALICE[:7], "1975-13-01", *ALICE[8:]],
        "--dob: '1975-13-01' is not a date (use YYYY-MM-DD or DD/MM/YYYY)",
    )


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "first_name,last_name,date_of_birth,job_kind,qualification\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_register_bulk_dry_run_import_and_all_or_nothing(world: World, tmp_path: Path) -> None:
    bad = write_csv(
        tmp_path / "bad.csv",
        ["Dan,Dixon,1975-02-03,paid,4430-04", "Eve,Evans,1975-02-30,paid,4430-04"],
    )
    code, out, err = run("register", "bulk", "--centre", "N1001", str(bad), "--dry-run")
    assert (code, out) == (1, "")
    assert f"{bad}: row 3: date_of_birth: '1975-02-30' is not a date" in err
    assert "1 of 2 row(s) have errors" in err
    code, out, err = run("register", "bulk", "--centre", "N1001", str(bad), "--as", "centre_admin")
    assert (code, out) == (1, "") and "nothing was registered" in err
    assert Registration.objects.count() == 3
    good = write_csv(
        tmp_path / "good.csv",
        ["Dan,Dixon,1975-02-03,paid,4430-04", "Eve,Evans,1975-02-28,none,EDEXCEL-L3-NVQ-CS"],
    )
    code, out, _ = run("register", "bulk", "--centre", "N1001", str(good), "--dry-run")
    assert code == 0 and out.strip() == "2 row(s) can be registered at N1001"
    assert_fails(
        ["register", "bulk", "--centre", "N1001", str(good)],
        "--as USERNAME is required to import (every registration records who)",
    )
    code, out, err = run("register", "bulk", "--centre", "N1001", str(good), "--as", "centre_admin")
    assert code == 0 and out.strip() == "registered 2 candidate(s) at N1001"
    assert "Registering" in err
    assert Registration.objects.count() == 5
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, out, err = run("register", "bulk", "--centre", "N1001", str(png), "--dry-run")
    assert (code, out) == (2, "") and "photo.csv is not UTF-8 text (line 1)" in err


def test_register_export(world: World, tmp_path: Path) -> None:
    code, out, _ = run("register", "export", "--centre", "N1001")
    assert code == 0
    assert [r["first_name"] for r in csv.DictReader(io.StringIO(out))] == ["Alice", "Bob"]
    code, out, _ = run("register", "export", "--centre", "N1001", "--as", "assessor_other")
    assert [r["first_name"] for r in csv.DictReader(io.StringIO(out))] == ["Bob"]
    target = tmp_path / "list.xlsx"
    code, out, err = run(
        "register", "export", "--centre", "N1001", "--format", "xlsx", "-o", str(target)
    )
    assert (code, out) == (0, "") and "wrote 2 registration(s)" in err
    assert load_workbook(target).worksheets[0]["A2"].value == "Alice"
    assert_fails(
        ["register", "export", "--centre", "N1001", "--format", "xlsx"],
        "--format xlsx needs --output FILE",
    )
