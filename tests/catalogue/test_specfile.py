"""Validation of specification files: every error, with file, path and line."""

from __future__ import annotations

from pathlib import Path

from assay.catalogue.specfile import canonical_sha256, library_files, load_file, load_text
from tests.catalogue.mini import MINI


def test_the_mini_spec_is_valid() -> None:
    loaded = load_text(MINI, "mini.yaml")
    assert loaded.errors == ()
    assert loaded.data is not None
    assert loaded.data["last_registration"] == "2014-07-31"  # dates stay strings


def test_every_library_file_is_valid() -> None:
    files = library_files()
    assert {p.name for p in files} >= {
        "cg-4430-04.yaml",
        "edexcel-l3-nvq-cs.yaml",
        "nos-customer-service.yaml",
        "crosswalk-cg4430-nos.yaml",
        "ics-membership.yaml",
    }
    for path in files:
        assert load_file(path).errors == (), path


def test_schema_errors_carry_path_and_line() -> None:
    broken = MINI.replace("    credit: 4\n", "    credit: four\n").replace(
        "level: 3\nsource", "level: nine\nsource"
    )
    loaded = load_text(broken, "broken.yaml")
    assert loaded.data is None
    found = {(e.path, e.line) for e in loaded.errors}
    lines = broken.splitlines()
    credit_line = lines.index("    credit: four") + 1
    level_line = lines.index("level: nine") + 1
    assert ("$.units[1].credit", credit_line) in found
    assert ("$.level", level_line) in found
    assert all(str(e).startswith(f"broken.yaml:{e.line}: ") for e in loaded.errors)


def test_cross_reference_errors_are_reported() -> None:
    broken = MINI.replace('units: ["1"]', 'units: ["1", "99"]').replace(
        '- number: "1.2"', '- number: "2.2"'
    )
    loaded = load_text(broken, "refs.yaml")
    messages = {(e.path, e.message) for e in loaded.errors}
    assert ("$.rules[0].units[1]", "unknown unit '99'") in messages
    assert (
        "$.units[0].outcomes[0].criteria[1].number",
        "criterion 2.2 does not belong to outcome 1",
    ) in messages


def test_range_asking_for_more_than_it_lists_is_an_error() -> None:
    loaded = load_text(MINI.replace("select: 2", "select: 4"), "range.yaml")
    assert [e.message for e in loaded.errors] == ["asks for 4 of only 3 items"]


def test_yaml_syntax_error_names_the_line() -> None:
    loaded = load_text(MINI + "extra: [unclosed\n", "syntax.yaml")
    (error,) = loaded.errors
    assert error.line is not None and error.line >= MINI.count("\n")
    assert "not valid YAML" in error.message


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    loaded = load_file(tmp_path / "nope.yaml")
    assert not loaded.ok and loaded.errors[0].file.endswith("nope.yaml")


def test_hash_ignores_formatting() -> None:
    a = load_text(MINI, "a").data
    b = load_text(
        MINI.replace("title: Mini Qualification", "title:   'Mini Qualification'"), "b"
    ).data
    assert a is not None and b is not None
    assert canonical_sha256(a) == canonical_sha256(b)
