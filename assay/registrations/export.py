"""The centre's candidate list as a file, in the bulk import columns (CSV or XLSX), streamed.

A centre of 20,000 learners must not need 20,000 model objects (nor their qualification's spec)
in memory at once: the rows come from a server-side cursor as plain values, a chunk at a time,
with the held qualifications of each chunk's candidates read in one query; CSV goes out line by
line and XLSX is written row by row (openpyxl's write-only mode) into a file (issue 12).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

from django.db.models import QuerySet

from assay.registrations.bulk import COLUMNS, EXPORT_ONLY
from assay.registrations.models import HeldQualification, Registration
from assay.registrations.tabular import csv_chunks, write_csv
from assay.spreadsheets import Cell, write_xlsx

CHUNK = 2000

# What a row of the file reads, and nothing else (never the qualification's spec).
_FIELDS = (
    "candidate_id",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__date_of_birth",
    "candidate__email",
    "candidate__phone",
    "candidate__employer",
    "candidate__job_role",
    "candidate__job_kind",
    "qualification__code",
    "registered_on",
    "pk",
    "status",
    "end_date",
)


def _chunks(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _held_of(candidate_ids: Iterable[int]) -> dict[int, str]:
    held: dict[int, list[str]] = defaultdict(list)
    for candidate_id, code in HeldQualification.objects.filter(
        candidate_id__in=set(candidate_ids)
    ).values_list("candidate_id", "qualification_code"):
        held[candidate_id].append(code)
    return {pk: ";".join(sorted(codes)) for pk, codes in held.items()}


def export_rows(registrations: QuerySet[Registration]) -> Iterator[list[Cell]]:
    """The header, then one row per registration in the import columns (plus id, status, end),
    in ``registrations``' order; dates stay dates and the id a number, so the XLSX sorts and
    filters as such and reads back through the import."""
    yield [*COLUMNS, *EXPORT_ONLY]
    values = (
        registrations.select_related(None)
        .prefetch_related(None)
        .values_list(*_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(values, CHUNK):
        held = _held_of(row[0] for row in chunk)
        for candidate_id, *cells, registered_on, pk, status, end_date in chunk:
            yield [*cells, registered_on, held.get(candidate_id, ""), pk, status, end_date]


def export_csv(registrations: QuerySet[Registration], out: IO[str]) -> int:
    """Write the candidate list as CSV; returns the number of registrations written."""
    return write_csv(export_rows(registrations), out)


def export_csv_chunks(registrations: QuerySet[Registration]) -> Iterator[str]:
    """The CSV text of the candidate list, a few hundred lines at a time (a streamed download)."""
    lines: list[str] = []
    for line in csv_chunks(export_rows(registrations)):
        lines.append(line)
        if len(lines) == 500:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def export_xlsx(registrations: QuerySet[Registration], out: IO[bytes]) -> int:
    """Write the candidate list as an XLSX workbook, row by row; returns the rows written."""
    return write_xlsx(export_rows(registrations), out, title="Candidates")


__all__ = ["export_csv", "export_csv_chunks", "export_rows", "export_xlsx"]
