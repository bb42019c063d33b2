"""The answers of a bulk registration as read models: the dry run's report of every bad row,
and what an import registered. The API answers with these (they are its response schemas), so
the shape of a report is written down once, next to ``bulk.py`` that produces it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from assay.registrations.bulk import RowResult
from assay.registrations.shapes import ReadModel


class RowErrors(ReadModel):
    row: int = Field(description="Row number in the file; the header is row 1")
    errors: list[str]


class BulkReport(ReadModel):
    dry_run: bool
    rows: int
    ok: bool
    errors: list[RowErrors] = Field(description="Every row that cannot be registered")

    @classmethod
    def of(cls, results: Sequence[RowResult]) -> BulkReport:
        """The dry run of ``bulk.bulk_check``: how many rows, and each one's errors."""
        errors = [RowErrors(row=x.row_number, errors=x.errors) for x in results if x.errors]
        return cls(dry_run=True, rows=len(results), ok=not errors, errors=errors)


class BulkImported(ReadModel):
    imported: int
    registrations: list[int]

    @classmethod
    def of(cls, created: Sequence[int]) -> BulkImported:
        """What ``bulk.bulk_import_ids`` registered (the ids), in the file's order."""
        return cls(imported=len(created), registrations=list(created))
