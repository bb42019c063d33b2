"""Importing standard files (all-or-nothing, idempotent, versions side by side) and reading
them back as the audit engine's ``Standard``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from assay.audits.models import StandardVersion
from assay.audits.permissions import may_import_standards
from assay.audits.specfile import library_files, load_standard_file, load_standard_text
from assay.audits.standard import standard_from_content
from assay.catalogue.specfile import LoadedSpec, SpecError, canonical_sha256
from assay.engines.audit.model import Standard, validate_standard
from assay.errors import NotAllowed
from assay.users import AnyUser


@dataclass(frozen=True, slots=True)
class StandardImportResult:
    code: str
    version: int
    status: str  # "created" | "unchanged" | "new" (a dry run: would be created)
    sha256: str = ""


class StandardImportError(Exception):
    """Nothing was imported; ``errors`` says why, each with file, JSON path and line."""

    def __init__(self, errors: Sequence[SpecError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


def standard_import(*, paths: Sequence[str | Path]) -> list[StandardImportResult]:
    """Validate every file (schema, cross-references, then the engine's own checks), then import
    them all in one transaction, or none of them."""
    loaded = [load_standard_file(p) for p in paths]
    _check(loaded)
    with transaction.atomic():
        return [_import_one(spec.data, file=spec.file) for spec in loaded if spec.data]


def standard_import_text(
    *, by: AnyUser, text: str, file: str, dry_run: bool = False
) -> StandardImportResult:
    """Import one standard given as text (the API's upload): the same checks and the same
    all-or-nothing, idempotent, versioned import as ``standard_import``.

    Allowed to the operator and to any certifying body's administrator (standards are shared by
    every body, like the catalogue). ``dry_run`` checks everything, the stored versions included,
    and writes nothing: the status is then ``new`` or ``unchanged``. Every problem raises
    ``StandardImportError`` listing them all, each with its JSON path and line."""
    if not may_import_standards(by):
        raise NotAllowed("only the operator or a certifying body's administrator imports standards")
    spec = load_standard_text(text, file)
    _check([spec])
    assert spec.data is not None
    with transaction.atomic():
        return _import_one(spec.data, file=file, dry_run=dry_run)


def _check(loaded: Sequence[LoadedSpec]) -> None:
    """Schema, cross-references, then the engine's own checks; raise with every error."""
    errors = [e for spec in loaded for e in spec.errors]
    for spec in loaded:
        if spec.data is not None:
            problems = validate_standard(standard_from_content(spec.data))
            errors.extend(SpecError(spec.file, "$", None, p) for p in problems)
    if errors:
        raise StandardImportError(errors)


def standard_import_library() -> list[StandardImportResult]:
    """Import the standards shipped with Assay (illustrative texts)."""
    return standard_import(paths=library_files())


def _import_one(
    data: dict[str, object], *, file: str, dry_run: bool = False
) -> StandardImportResult:
    sha = canonical_sha256(data)
    code, version = str(data["code"]), int(data["version"])  # type: ignore[call-overload]
    existing = StandardVersion.objects.filter(code=code, version=version).first()
    if existing is not None:
        if existing.sha256 == sha:
            return StandardImportResult(code, version, "unchanged", sha)
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
    if dry_run:
        return StandardImportResult(code, version, "new", sha)
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
    return StandardImportResult(code, version, "created", sha)


def standard_of(model: StandardVersion) -> Standard:
    """The engine's view of a stored standard version (cached per content hash)."""
    return _standard_cached(model.sha256, model.pk)


@lru_cache(maxsize=32)
def _standard_cached(sha256: str, pk: int) -> Standard:
    return standard_from_content(StandardVersion.objects.get(pk=pk).content)
