"""Reading and writing rows of a CSV (UTF-8) or XLSX (first sheet) file, header row first
(the reading lives in ``assay.spreadsheets``, shared with the audits' client import).

The content decides the format, never the name alone: an XLSX file is a zip holding a
spreadsheet workbook, anything else must decode as UTF-8 text. A name that says otherwise is
refused rather than guessed around. Files are read as a stream (``csv`` over a text wrapper,
openpyxl in read-only mode) and written the same way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from assay.spreadsheets import (
    MAX_ROWS,
    Cell,
    Row,
    cell_text,
    file_error,
    iter_table,
    read_table,
)

__all__ = [
    "MAX_ROWS",
    "Row",
    "cell_text",
    "csv_chunks",
    "file_error",
    "iter_table",
    "read_table",
    "safe_cell",
    "write_csv",
]

# Spreadsheet programs run a cell that starts with these as a formula (CSV injection);
# a leading apostrophe keeps it text. Phone numbers such as +44 20 7946 0000 are left alone.
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d\s()-]*$)")


def safe_cell(value: str) -> str:
    return "'" + value if _FORMULA.match(value) else value


def _text_row(row: Sequence[Cell]) -> list[str]:
    return [safe_cell(v if isinstance(v, str) else cell_text(v)) for v in row]


def write_csv(rows: Iterable[Sequence[Cell]], out: IO[str]) -> int:
    """Write rows (header first) as CSV, dates as YYYY-MM-DD; returns the number of data rows."""
    writer = csv.writer(out)
    count = -1
    for row in rows:
        writer.writerow(_text_row(row))
        count += 1
    return max(count, 0)


def csv_chunks(rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The CSV text of rows, one line at a time (for a streamed download)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(_text_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
