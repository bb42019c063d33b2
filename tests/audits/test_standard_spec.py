"""Standard files: validation with lines, fidelity to the seed, import all-or-nothing,
idempotent and versioned; the engine's Standard built from the stored content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assay.audits.models import StandardVersion
from assay.audits.selectors import standard_get
from assay.audits.specfile import LIBRARY_DIR, load_standard_file, load_standard_text
from assay.audits.standards import StandardImportError, standard_import, standard_of
from assay.catalogue.specfile import load_text
from tests.audits.mini import MINI

SEED = Path("/work/shared/seeds/002_ba5b1b3600fce32c.txt")
ICSS = LIBRARY_DIR / "icss-illustrative.yaml"
FLAT = LIBRARY_DIR / "icss-flat-illustrative.yaml"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def test_library_files_validate() -> None:
    for path in (ICSS, FLAT):
        loaded = load_standard_file(path)
        assert loaded.ok, [str(e) for e in loaded.errors]


def test_three_i_band_texts_are_the_seeds_words() -> None:
    seed = _normal(SEED.read_text(encoding="utf-8"))
    for path in (ICSS, FLAT):
        data = load_standard_file(path).data
        assert data is not None
        bands = data["scale"]["bands"]
        assert [(b["label"], b["low"], b["high"]) for b in bands] == [
            ("Intention", 0, 2),
            ("Implementation", 3, 5),
            ("Integration", 6, 10),
        ]
        for band in bands:
            assert f"{band['label']} – {band['description']}" in seed, band["label"]


def test_icss_shape_is_four_perspectives_by_three_elements() -> None:
    data = load_standard_file(ICSS).data
    assert data is not None
    assert [n["title"] for n in data["nodes"]] == [
        "Service perspective",
        "Financial perspective",
        "Operational perspective",
        "Learning and Growth perspective",
    ]
    seed = _normal(SEED.read_text(encoding="utf-8"))
    for node in data["nodes"]:
        assert node["description"] in seed  # "A Service perspective in relation to customers"
        assert len(node["nodes"]) == 3
        for element in node["nodes"]:
            assert 2 <= len(element["attributes"]) <= 4
            kinds = {a["category"] for a in element["attributes"]}
            assert "mandatory" in kinds
    assert data["illustrative"] is True and "NOT the official" in data["notice"]


def test_flat_edition_has_24_attributes_under_four_perspectives() -> None:
    data = load_standard_file(FLAT).data
    assert data is not None
    assert len(data["nodes"]) == 4
    assert sum(len(n["attributes"]) for n in data["nodes"]) == 24
    assert all("nodes" not in n for n in data["nodes"])


def test_errors_carry_line_and_json_path() -> None:
    text = MINI.replace("category: desirable", "category: optional")
    errors = load_standard_text(text, "mini.yaml").errors
    assert len(errors) == 1
    error = errors[0]
    assert (error.file, error.line, error.path) == (
        "mini.yaml",
        18,
        "$.nodes[0].attributes[1].category",
    )
    assert str(error).startswith("mini.yaml:18: $.nodes[0].attributes[1].category: ")


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("low: 5", "low: 6", "$.scale.bands[1].low", "must start at 5"),
        (
            "failing_bands: [low]",
            "failing_bands: [none]",
            "$.scale.failing_bands[0]",
            "unknown band",
        ),
        ("code: A2", "code: A1", "$.nodes[0].attributes[1].code", "duplicate code 'A1'"),
        ("notice: written for a test\n", "", "$", "'notice' is a required property"),
    ],
)
def test_semantic_and_schema_errors(old: str, new: str, path: str, message: str) -> None:
    errors = load_standard_text(MINI.replace(old, new), "mini.yaml").errors
    assert [(e.path, message in e.message) for e in errors] == [(path, True)], errors


def test_catalogue_loader_still_defaults_to_the_catalogue_schema() -> None:
    errors = load_text(MINI, "mini.yaml").errors
    assert errors and any("format" in e.path or "assay-catalogue/1" in e.message for e in errors)


@pytest.mark.django_db
def test_import_idempotent_versioned_all_or_nothing(tmp_path: Path) -> None:
    mini = tmp_path / "mini.yaml"
    mini.write_text(MINI, encoding="utf-8")
    assert [r.status for r in standard_import(paths=[mini, ICSS])] == ["created", "created"]
    assert [r.status for r in standard_import(paths=[mini, ICSS])] == ["unchanged", "unchanged"]
    # Same version, other content: refused, and nothing else of the batch is imported.
    changed = tmp_path / "changed.yaml"
    changed.write_text(MINI.replace("title: One", "title: Uno"), encoding="utf-8")
    with pytest.raises(StandardImportError, match="already imported with different content"):
        standard_import(paths=[FLAT, changed])
    assert not StandardVersion.objects.filter(code="icss-flat-illustrative").exists()
    # A broken file: nothing of the batch is imported.
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.replace("version: 1", "version: 3").replace("low: 5", "low: 7"))
    with pytest.raises(StandardImportError) as info:
        standard_import(paths=[FLAT, broken])
    assert info.value.errors[0].line is not None
    assert StandardVersion.objects.count() == 2
    # A new version is kept beside the old; reads default to the newest.
    v2 = tmp_path / "v2.yaml"
    v2.write_text(MINI.replace("version: 1", "version: 2").replace("title: One", "title: Uno"))
    standard_import(paths=[v2])
    assert standard_get("mini").version == 2 and standard_get("mini", 1).version == 1
    assert standard_of(standard_get("mini", 1)).attributes[0].title == "One"
    assert standard_of(standard_get("mini")).attributes[0].title == "Uno"


@pytest.mark.django_db
def test_standard_of_builds_the_engine_tree() -> None:
    standard_import(paths=[ICSS, FLAT])
    icss = standard_of(standard_get("icss-illustrative"))
    assert [n.code for n in icss.top_nodes()] == ["S", "F", "O", "L"]
    assert [n.code for n in icss.path_of("S1.2")] == ["S", "S1"]
    assert icss.scale.band_of(2).key == "intention" and icss.failing_bands == {"intention"}
    flat = standard_of(standard_get("icss-flat-illustrative"))
    assert len(flat.attributes) == 24 and [n.code for n in flat.path_of("S01")] == ["S"]
