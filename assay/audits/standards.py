"""Importing standard files (all-or-nothing, idempotent, versions side by side) and reading
them back as the audit engine's ``Standard``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from assay.audits.models import StandardVersion
from assay.audits.specfile import library_files, load_standard_file
from assay.audits.standard import standard_from_content
from assay.catalogue.specfile import SpecError, canonical_sha256
from assay.engines.audit.model import Standard, validate_standard


@dataclass(frozen=True, slots=True)
class StandardImportResult:
    code: str
    version: int
    status: str  # "created" | "unchanged"


class StandardImportError(Exception):
    """Nothing was imported; ``errors`` says why, each with file, JSON path and line."""

    def __init__(self, errors: Sequence[SpecError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


def standard_import(*, paths: Sequence[str | Path]) -> list[StandardImportResult]:
    """Validate every file (schema, cross-references, then the engine's own checks), then import
    them all in one transaction, or none of them."""
    loaded = [load_standard_file(p) for p in paths]
    errors = [e for spec in loaded for e in spec.errors]
    for spec in loaded:
        if spec.data is not None:
            problems = validate_standard(standard_from_content(spec.data))
            errors.extend(SpecError(spec.file, "$", None, p) for p in problems)
    if errors:
        raise StandardImportError(errors)
    with transaction.atomic():
        return [_import_one(spec.data, file=spec.file) for spec in loaded if spec.data]


def standard_import_library() -> list[StandardImportResult]:
    """Import the standards shipped with Assay (illustrative texts)."""
    return standard_import(paths=library_files())


def _import_one(data: dict[str, object], *, file: str) -> StandardImportResult:
    sha = canonical_sha256(data)
    code, version = str(data["code"]), int(data["version"])  # type: ignore[call-overload]
    existing = StandardVersion.objects.filter(code=code, version=version).first()
    if existing is not None:
        if existing.sha256 == sha:
            return StandardImportResult(code, version, "unchanged")
        raise StandardImportError(
            [
                SpecError(
                    file,
                    "$.version",
                    None,
                    f"{code} version {version} is already imported with different content; "
                    "give the changed file a new version",
                )
            ]
        )
    StandardVersion.objects.create(
        code=code,
        version=version,
        title=str(data["title"]),
        illustrative=bool(data["illustrative"]),
        notice=str(data.get("notice", "")),
        sha256=sha,
        content=data,
        source_name=Path(file).name,
    )
    return StandardImportResult(code, version, "created")


def standard_of(model: StandardVersion) -> Standard:
    """The engine's view of a stored standard version (cached per content hash)."""
    return _standard_cached(model.sha256, model.pk)


@lru_cache(maxsize=32)
def _standard_cached(sha256: str, pk: int) -> Standard:
    return standard_from_content(StandardVersion.objects.get(pk=pk).content)
