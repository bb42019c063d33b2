"""Hostile spec files (issue 10): aliases, deep nesting, huge files and duplicates are refused
with one line naming file, JSON path and line, by both spec formats and both import commands."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.audits.models import StandardVersion
from assay.audits.specfile import load_standard_file, load_standard_text
from assay.catalogue.models import SpecFile
from assay.catalogue.specfile import MAX_BYTES, MAX_DEPTH, load_file, load_text
from assay.cli.main import main
from tests.audits.mini import MINI as MINI_STANDARD
from tests.catalogue.mini import MINI

ALIAS = "YAML anchors and aliases (&name, *name) are not allowed in spec files"


def billion_laughs() -> str:
    """The classic: nine levels of nine aliases each expand to 9**9 strings (gigabytes)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding() -> None:
    text = billion_laughs()
    assert len(text.encode()) < 600
    tracemalloc.start()
    try:
        loaded = load_text(text, "laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # the expansion would need gigabytes
    (error,) = loaded.errors
    assert loaded.data is None
    assert (error.path, error.line) == ("$.a", 1)
    assert ALIAS in error.message
    assert str(error).startswith("laughs.yaml:1: $.a: YAML anchors")


def test_a_lone_anchor_and_a_merge_key_are_refused() -> None:
    anchored = MINI.replace("groups:\n  - id: core", "groups:\n  - &core\n    id: core")
    (error,) = load_text(anchored, "anchor.yaml").errors
    assert error.path == "$.groups[0]" and ALIAS in error.message
    merged = MINI + "extra: {<<: *nothing}\n"
    (error,) = load_text(merged, "merge.yaml").errors
    assert ALIAS in error.message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "units:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
    ],
    ids=["sequences", "mappings", "block"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(text: str) -> None:
    (error,) = load_text(text, "deep.yaml").errors
    assert error.message == f"nested more than {MAX_DEPTH} levels deep; spec files need far fewer"
    assert error.line is not None
    (error,) = load_standard_text(text, "deep.yaml").errors
    assert "levels deep" in error.message


def test_a_duplicate_key_is_refused_with_both_lines() -> None:
    text = MINI.replace("    credit: 5\n", "    credit: 5\n    credit: 50\n")
    (error,) = load_text(text, "dup.yaml").errors
    first = text.splitlines().index("    credit: 5") + 1
    assert (error.path, error.line) == ("$.units[0].credit", first + 1)
    assert error.message == f"duplicate key 'credit' (first given on line {first})"
    top = load_text(MINI + "level: 4\n", "top.yaml").errors
    assert [(e.path, e.message) for e in top] == [
        ("$.level", "duplicate key 'level' (first given on line 8)")
    ]


def test_duplicate_unit_and_criterion_numbers_are_refused() -> None:
    second = 'number: "2"\n    title: Second unit'
    text = MINI.replace(second, second.replace('"2"', '"1"'))
    errors = load_text(text, "units.yaml").errors
    assert [(e.path, e.message) for e in errors] == [("$.units[1]", "duplicate unit number '1'")]
    text = MINI.replace('- number: "1.2"', '- number: "1.1"')
    errors = load_text(text, "criteria.yaml").errors
    assert [(e.path, e.message) for e in errors] == [
        ("$.units[0].outcomes[0].criteria[1]", "duplicate criterion number '1.1'")
    ]
    assert all(e.line for e in errors)


def test_duplicate_evidence_requirements_grades_and_codes_are_refused() -> None:
    text = MINI.replace(
        "    evidence_requirements:\n",
        '    evidence_requirements:\n      - number: "1"\n        text: again\n',
    )
    errors = load_text(text, "req.yaml").errors
    assert [(e.path, e.message) for e in errors] == [
        ("$.units[0].evidence_requirements[1]", "duplicate evidence requirement '1'")
    ]
    membership = """\
format: assay-catalogue/1
kind: membership
id: m
version: "1"
title: M
source: {document: d}
body: B
grades:
  - {id: member, name: Member, qualifications: []}
  - {id: member, name: Member again, qualifications: []}
"""
    errors = load_text(membership, "m.yaml").errors
    assert [(e.path, e.line, e.message) for e in errors] == [
        ("$.grades[1]", 10, "duplicate grade id 'member'")
    ]
    framework = """\
format: assay-catalogue/1
kind: framework
id: f
version: "1"
title: F
source: {document: d}
areas:
  - {code: A, title: One, functions: [{code: A1, title: x}]}
  - {code: B, title: Two, functions: [{code: A1, title: y}]}
  - {code: A, title: Three, functions: []}
"""
    errors = load_text(framework, "f.yaml").errors
    assert {(e.path, e.message) for e in errors} == {
        ("$.areas[2]", "duplicate area code 'A'"),
        ("$.areas[1].functions[0]", "duplicate function code 'A1'"),
    }


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINI + "notes:\n" + "  - padding padding padding padding\n" * (MAX_BYTES // 30))
    for loaded in (load_file(big), load_standard_file(big)):
        (error,) = loaded.errors
        assert error.path == "$"
        assert error.message.endswith(f"spec files may be at most {MAX_BYTES:,} bytes")
    (error,) = load_text("x" * (MAX_BYTES + 1), "text.yaml").errors
    assert "at most" in error.message


def test_the_standard_format_refuses_the_same(tmp_path: Path) -> None:
    (error,) = load_standard_text(billion_laughs(), "laughs.yaml").errors
    assert ALIAS in error.message
    text = MINI_STANDARD.replace("version: 1\n", "version: 1\nversion: 2\n")
    (error,) = load_standard_text(text, "dup.yaml").errors
    assert (error.path, error.line) == ("$.version", 4)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
@pytest.mark.django_db
@pytest.mark.parametrize("command", ["catalogue", "audits"])
def test_import_commands_answer_one_line_and_import_nothing(command: str, tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text(billion_laughs())
    code, out, err = run(command, "import", str(laughs))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{laughs}:1: $.a: {ALIAS}; write the content out in full",
        "1 error(s); nothing was imported",
    ]
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 10_000 + "]" * 10_000)
    code, _, err = run(command, "import", str(deep))
    assert code == 1 and "levels deep" in err.splitlines()[0]
    assert "Traceback" not in err and "RecursionError" not in err
    assert SpecFile.objects.count() == 0
    assert StandardVersion.objects.count() == 0
