"""`assay clients ...`: create, edit, divisions, offices, show, and the import's dry run
(every error as "row N, column: message", exit 1) and all-or-nothing import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.audits.models import Organisation
from assay.cli.main import main
from tests.audits.world import AuditWorld

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_edit_division_office_show(aw: AuditWorld) -> None:
    assert (
        run(
            "clients", "create", "--name", "Harbour Bank", "--reference", "HB", "--as", "body_admin"
        )[0]
        == 0
    )
    assert run("clients", "edit", "HB", "--name", "Harbour Bank Ltd", "--as", "body_admin")[0] == 0
    assert run("clients", "division", "HB", "Retail", "--as", "body_admin")[0] == 0
    code, out, _ = run(
        "clients",
        "office",
        "HB",
        "Perth",
        "--state",
        "WA",
        "--division",
        "Retail",
        "--as",
        "body_admin",
    )
    assert code == 0 and "warning: WA has no main office" in out
    code, out, _ = run(
        "clients", "office", "HB", "Perth", "--main", "--division-main", "--as", "body_admin"
    )
    assert code == 0 and "warning" not in out
    code, out, _ = run("clients", "show", "HB", "--json")
    answer = json.loads(out)
    assert answer["name"] == "Harbour Bank Ltd" and answer["offices"][0]["is_main"]
    code, _, err = run("clients", "edit", "HB", "--name", "X", "--as", "decision_maker")
    assert code == 2 and "not allowed" in err
    code, _, err = run("clients", "office", "HB", "Bad", "--state", "S\x07A", "--as", "body_admin")
    assert code == 2 and "state" in err


def test_import_dry_run_and_all_or_nothing(aw: AuditWorld, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "organisation_reference,organisation_name,office,state,main\n"
        "BANK,Harbour Bank,Sydney HQ,NSW,yes\n"
        "BANK,,Perth,WA,\n",
        encoding="utf-8",
    )
    code, out, _ = run("clients", "import", str(path), "--dry-run", "--as", "body_admin")
    assert code == 1
    assert "row 3, main: BANK has no main office in WA" in out
    assert "refused" in out
    code, out, _ = run("clients", "import", str(path), "--as", "body_admin")
    assert code == 1 and not Organisation.objects.filter(reference="BANK").exists()
    path.write_text(path.read_text().replace("Perth,WA,", "Perth,WA,yes"), encoding="utf-8")
    code, out, _ = run("clients", "import", str(path), "--dry-run", "--as", "body_admin")
    assert code == 0 and "would import: 1 new organisation(s)" in out
    assert not Organisation.objects.filter(reference="BANK").exists()
    code, out, _ = run("clients", "import", str(path), "--as", "body_admin")
    assert code == 0 and "imported" in out
    assert Organisation.objects.get(reference="BANK").offices.count() == 2
