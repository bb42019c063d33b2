"""Writes to the catalogue: importing specification files (all-or-nothing, idempotent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from assay.catalogue.models import (
    Criterion,
    CrosswalkEntry,
    EvidenceRequirement,
    NosArea,
    NosFunction,
    Outcome,
    Qualification,
    SpecFile,
    Unit,
    UnitGroup,
)
from assay.catalogue.specfile import SpecError, canonical_sha256, library_files, load_file


@dataclass(frozen=True, slots=True)
class ImportResult:
    spec_id: str
    version: str
    kind: str
    status: str  # "created" | "unchanged"


class CatalogueImportError(Exception):
    """Nothing was imported; ``errors`` says why, each with file, path and line."""

    def __init__(self, errors: Sequence[SpecError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


def catalogue_import(*, paths: Sequence[str | Path]) -> list[ImportResult]:
    """Validate every file, then import them all in one transaction, or none of them."""
    loaded = [load_file(p) for p in paths]
    errors = [e for spec in loaded for e in spec.errors]
    if errors:
        raise CatalogueImportError(errors)
    results: list[ImportResult] = []
    with transaction.atomic():
        for spec in loaded:
            assert spec.data is not None
            results.append(_import_one(spec.data, file=spec.file))
    return results


def catalogue_import_library() -> list[ImportResult]:
    """Import the specification files shipped with Assay (the demo database uses these)."""
    return catalogue_import(paths=library_files())


def _import_one(data: Mapping[str, Any], *, file: str) -> ImportResult:
    sha = canonical_sha256(data)
    spec_id, version, kind = data["id"], data["version"], data["kind"]
    existing = SpecFile.objects.filter(spec_id=spec_id, version=version).first()
    if existing is not None:
        if existing.sha256 == sha:
            return ImportResult(spec_id, version, kind, "unchanged")
        raise CatalogueImportError(
            [
                SpecError(
                    file,
                    "$.version",
                    None,
                    f"{spec_id} version {version} is already imported with different content; "
                    "give the changed file a new version",
                )
            ]
        )
    spec = SpecFile.objects.create(
        spec_id=spec_id,
        version=version,
        kind=kind,
        title=data["title"],
        sha256=sha,
        content=dict(data),
        source_name=Path(file).name,
    )
    if kind == "qualification":
        _import_qualification(spec, data)
    elif kind == "framework":
        _import_framework(spec, data)
    elif kind == "crosswalk":
        _import_crosswalk(spec, data)
    return ImportResult(spec_id, version, kind, "created")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _import_qualification(spec: SpecFile, data: Mapping[str, Any]) -> None:
    qual = Qualification.objects.create(
        spec=spec,
        code=data["code"],
        title=data["title"],
        level=data["level"],
        awarding_body=data["awarding_body"],
        accreditation_number=data.get("accreditation_number", ""),
        last_registration=_date(data.get("last_registration")),
        last_certification=_date(data.get("last_certification")),
        minimum_age=data.get("minimum_age"),
    )
    groups = {
        g["id"]: UnitGroup.objects.create(
            qualification=qual,
            slug=g["id"],
            name=g["name"],
            heading=g.get("heading", ""),
            mandatory=g["mandatory"],
            description=g.get("description", ""),
            position=i,
        )
        for i, g in enumerate(data["groups"])
    }
    outcomes: list[tuple[Outcome, list[Criterion]]] = []
    requirements: list[EvidenceRequirement] = []
    elements: list[Criterion] = []
    for i, u in enumerate(data["units"]):
        rest = {
            k: v
            for k, v in u.items()
            if k not in {"number", "code", "title", "level", "credit", "glh", "nos", "ndaq", "aim"}
        }
        unit = Unit.objects.create(
            qualification=qual,
            group=groups[u["group"]],
            number=u["number"],
            code=u.get("code", ""),
            title=u["title"],
            level=u["level"],
            credit=u["credit"],
            glh=u["glh"],
            nos=u.get("nos", ""),
            ndaq=u.get("ndaq", ""),
            aim=u.get("aim", ""),
            details=rest,
            position=i,
        )
        for j, o in enumerate(u.get("outcomes", [])):
            outcome = Outcome(unit=unit, number=o["number"], title=o["title"], position=j)
            crits = [
                Criterion(unit=unit, number=c["number"], text=c["text"], position=k)
                for k, c in enumerate(o["criteria"])
            ]
            outcomes.append((outcome, crits))
        for j, e in enumerate(u.get("elements", [])):
            elements.append(Criterion(unit=unit, number=e["number"], text=e["title"], position=j))
        for j, r in enumerate(u.get("evidence_requirements", [])):
            requirements.append(
                EvidenceRequirement(
                    unit=unit, number=r["number"], text=r["text"], range=r.get("range"), position=j
                )
            )
    Outcome.objects.bulk_create([o for o, _ in outcomes])
    criteria: list[Criterion] = []
    position = 0
    for outcome, crits in outcomes:
        for crit in crits:
            crit.outcome = outcome
            crit.position = position
            position += 1
            criteria.append(crit)
    Criterion.objects.bulk_create(criteria + elements)
    EvidenceRequirement.objects.bulk_create(requirements)


def _import_framework(spec: SpecFile, data: Mapping[str, Any]) -> None:
    for a in data["areas"]:
        area = NosArea.objects.create(spec=spec, code=a["code"], title=a["title"])
        NosFunction.objects.bulk_create(
            NosFunction(area=area, code=f["code"], title=f["title"]) for f in a["functions"]
        )


def _import_crosswalk(spec: SpecFile, data: Mapping[str, Any]) -> None:
    CrosswalkEntry.objects.bulk_create(
        CrosswalkEntry(
            spec=spec,
            qualification_spec_id=data["from"],
            unit_number=e["unit"],
            nos_2010=e["nos_2010"],
            relation=e["relation"],
            function_code=e.get("function", ""),
            note=e.get("note", ""),
        )
        for e in data["entries"]
    )
