"""A database that imported an earlier transcription of a handbook takes the newer one beside it
(ADR 0003): ``make run`` on yesterday's database must not stop at "already imported with
different content", and registrations keep the version they were made on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assay.catalogue.models import SpecFile
from assay.catalogue.selectors import qualification_get
from assay.catalogue.services import catalogue_import

LIBRARY = Path(__file__).resolve().parents[2] / "assay" / "catalogue" / "library"


@pytest.mark.usefixtures("no_catalogue")  # counts or imports the library afresh
@pytest.mark.django_db
def test_the_library_imports_over_the_first_transcription(tmp_path: Path) -> None:
    data = yaml.safe_load((LIBRARY / "cg-4430-04.yaml").read_text(encoding="utf-8"))
    assert data["version"] == "2.0.1"
    first = dict(data, version="2.0")
    first.pop("predecessor_qualifications")
    old = tmp_path / "cg-4430-04-2.0.yaml"
    old.write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    assert catalogue_import(paths=[old])[0].status == "created"

    assert catalogue_import(paths=[LIBRARY / "cg-4430-04.yaml"])[0].status == "created"
    assert catalogue_import(paths=[LIBRARY / "cg-4430-04.yaml"])[0].status == "unchanged"
    versions = sorted(
        SpecFile.objects.filter(spec_id="cg-4430-04").values_list("version", flat=True)
    )
    assert versions == ["2.0", "2.0.1"]
    newest = qualification_get("4430-04")
    assert newest.spec.version == "2.0.1"
    assert newest.spec.content["predecessor_qualifications"] == ["4543-04"]
