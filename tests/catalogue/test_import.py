"""Importing specification files: all-or-nothing, idempotent, versions kept side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.catalogue.models import Criterion, Qualification, SpecFile, Unit
from assay.catalogue.selectors import qualification_get, qualification_list
from assay.catalogue.services import CatalogueImportError, catalogue_import
from tests.catalogue.mini import MINI

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_rows(tmp_path: Path) -> None:
    (result,) = catalogue_import(paths=[write(tmp_path, "mini.yaml", MINI)])
    assert (result.spec_id, result.version, result.status) == ("mini-qual", "1", "created")
    qual = qualification_get("MINI-1")
    assert qual.units.count() == 2
    assert [c.number for c in Criterion.objects.filter(unit__qualification=qual)] == ["1.1", "1.2"]
    assert str(qual.last_registration) == "2014-07-31"


def test_reimporting_the_same_version_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "mini.yaml", MINI)
    catalogue_import(paths=[path])
    before = (SpecFile.objects.count(), Unit.objects.count(), Criterion.objects.count())
    (again,) = catalogue_import(paths=[path])
    assert again.status == "unchanged"
    assert (SpecFile.objects.count(), Unit.objects.count(), Criterion.objects.count()) == before


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
def test_a_new_version_is_kept_beside_the_old(tmp_path: Path) -> None:
    catalogue_import(paths=[write(tmp_path, "v1.yaml", MINI)])
    v2 = MINI.replace('version: "1"', 'version: "2"').replace("First unit", "First unit, revised")
    catalogue_import(paths=[write(tmp_path, "v2.yaml", v2)])
    assert Qualification.objects.filter(code="MINI-1").count() == 2
    assert qualification_get("MINI-1").spec.version == "2"
    assert qualification_get("MINI-1", version="1").units.get(number="1").title == "First unit"
    assert [q.spec.version for q in qualification_list()] == ["2"]


def test_changed_content_under_the_same_version_is_refused(tmp_path: Path) -> None:
    catalogue_import(paths=[write(tmp_path, "v1.yaml", MINI)])
    changed = MINI.replace("First unit", "Renamed unit")
    with pytest.raises(CatalogueImportError, match="already imported with different content"):
        catalogue_import(paths=[write(tmp_path, "v1b.yaml", changed)])
    assert qualification_get("MINI-1").units.get(number="1").title == "First unit"


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
def test_one_bad_file_means_nothing_is_imported(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", MINI)
    bad = write(tmp_path, "bad.yaml", MINI.replace("id: mini-qual", "id: Bad Id"))
    with pytest.raises(CatalogueImportError) as caught:
        catalogue_import(paths=[good, bad])
    assert caught.value.errors[0].file.endswith("bad.yaml")
    assert caught.value.errors[0].path == "$.id"
    assert SpecFile.objects.count() == 0


def test_the_library_imports_and_reimports_unchanged(catalogue: None) -> None:
    from assay.catalogue.services import catalogue_import_library

    assert {r.status for r in catalogue_import_library()} == {"unchanged"}
    assert qualification_get("4430-04").units.count() == 33
    assert Criterion.objects.filter(unit__qualification__code="4430-04").count() == 364
    assert qualification_get("edexcel-l3-nvq-cs").units.count() == 20
