"""`assay catalogue ...` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.catalogue.models import SpecFile
from assay.cli.main import main
from tests.catalogue.mini import MINI

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
def test_validate_reports_every_error_with_file_path_and_line(tmp_path: Path) -> None:
    text = MINI.replace("credit: 4", "credit: -4").replace("level: 3\nsource", "level: 0\nsource")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    lines = text.splitlines()
    level_line = lines.index("level: 0") + 1
    credit_line = lines.index("    credit: -4") + 1
    code, out, err = run("catalogue", "validate", str(bad))
    assert (code, out) == (1, "")
    assert f"{bad}:{level_line}: $.level: 0 is less than the minimum of 1" in err
    assert f"{bad}:{credit_line}: $.units[1].credit: -4 is less than the minimum of 0" in err
    assert "2 error(s); nothing was loaded" in err
    assert SpecFile.objects.count() == 0


def test_validate_ok(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINI)
    code, out, _ = run("catalogue", "validate", str(good))
    assert (code, out.strip()) == (0, f"{good}: ok")


def test_import_is_idempotent(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINI)
    assert (
        run("catalogue", "import", str(good))[1].strip() == "mini-qual v1 (qualification): created"
    )
    assert (
        run("catalogue", "import", str(good))[1].strip()
        == "mini-qual v1 (qualification): unchanged"
    )


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
def test_import_of_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(MINI)
    bad.write_text("format: assay-catalogue/1\nkind: qualification\n")
    code, out, err = run("catalogue", "import", str(good), str(bad))
    assert code == 1 and out == ""
    assert "nothing was imported" in err
    assert SpecFile.objects.count() == 0


def test_list_json(catalogue: None) -> None:
    code, out, _ = run("catalogue", "list", "--json")
    rows = json.loads(out)
    assert code == 0
    assert {(r["code"], r["title"]) for r in rows} == {
        ("4430-04", "Level 4 NVQ Diploma in Customer Service"),
        ("EDEXCEL-L3-NVQ-CS", "Edexcel Level 3 NVQ in Customer Service"),
    }


def test_show_json_has_the_documented_shape(catalogue: None) -> None:
    code, out, _ = run("catalogue", "show", "4430-04", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["code"], data["level"], data["awarding_body"]) == ("4430-04", 4, "City & Guilds")
    units = {u["number"]: u for u in data["units"]}
    assert len(units) == 33
    u401 = units["401"]
    assert (u401["credit"], u401["glh"], u401["level"], u401["mandatory"]) == (10, 65, 4, True)
    assert u401["outcomes"][0]["criteria"][0] == {
        "number": "1.1",
        "text": "exercise customer service management responsibility with consideration for "
        "their organisation's service offer, customer expectations and resources",
    }
    assert units["303"]["group"] == "Impression and Image" and units["303"]["mandatory"] is False
    assert units["303"]["outcomes"] == []
    r6 = units["403"]["evidence_requirements"][5]
    assert r6["range"]["select"] == 2 and len(r6["range"]["items"]) == 5


def test_show_edexcel_units_have_null_credit(catalogue: None) -> None:
    data = json.loads(run("catalogue", "show", "edexcel-l3-nvq-cs", "--json")[1])
    seven = next(u for u in data["units"] if u["number"] == "7")
    assert (seven["credit"], seven["glh"], seven["mandatory"]) == (None, None, True)
    assert seven["group"] == "Foundations"


def test_show_unknown_qualification_exits_2_with_one_line(catalogue: None) -> None:
    code, out, err = run("catalogue", "show", "9999-99", "--json")
    assert (code, out) == (2, "")
    assert err.strip() == "assay: error: unknown qualification '9999-99'"


def test_export_case_is_stable(catalogue: None) -> None:
    first = run("catalogue", "export", "4430-04", "--format", "case")
    second = run("catalogue", "export", "4430-04", "--format", "case")
    assert first[0] == 0 and first[1] == second[1]
    package = json.loads(first[1])
    assert package["CFDocument"]["title"] == "Level 4 NVQ Diploma in Customer Service"
