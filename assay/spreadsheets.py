"""XLSX tables as a spreadsheet user expects them: numbers as numbers, dates as real dates
(shown dd/mm/yyyy), a bold header row that stays frozen and carries filters.

Shared by every XLSX export (candidates, progress, audit reports), and the reading of an
uploaded CSV or XLSX table (``iter_table``: bulk registration, the audits' client import).
Text is always stored as text, never as a formula, whatever it starts with: names and reasons
come from users.
openpyxl loads only when a workbook is written, so the server does not pay for it at start-up.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from assay.errors import InvalidInput

# A table cell: text, a whole or decimal number, a date, or empty.
Cell = str | int | float | dt.date | None

DATE_FORMAT = "dd/mm/yyyy"  # how a UK centre reads a date; the cell holds a real date
MIN_WIDTH = 12


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def add_sheet(book: Any, title: str, rows: Iterable[Sequence[Cell]]) -> int:
    """Append a sheet of ``rows`` (header first) to a write-only workbook; returns the number
    of data rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font

    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    count, width = -1, 0
    for row in rows:
        cells: list[Any] = []
        for value in row:
            plain = (
                isinstance(value, str) and not value.startswith("=") and value not in ERROR_CODES
            )
            if count >= 0 and (plain or isinstance(value, int | float) or value is None):
                cells.append(value)  # written as it is: a cell object only where needed (fast)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula or an error code
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if count < 0:
                cell.font = bold
            cells.append(cell)
        if count < 0:  # the header: size the columns to their names
            width = len(cells)
            for index, name in enumerate(row, start=1):
                sheet.column_dimensions[_letter(index)].width = max(MIN_WIDTH, len(str(name)) + 4)
        sheet.append(cells)
        count += 1
    if width:
        sheet.auto_filter.ref = f"A1:{_letter(width)}{count + 1}"
    return max(count, 0)


def write_xlsx(rows: Iterable[Sequence[Cell]], out: IO[bytes], *, title: str) -> int:
    """Write rows (header first) as the one sheet of a new workbook; returns the data rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = add_sheet(book, title, rows)
    book.save(out)
    return count


# --- reading an uploaded table ----------------------------------------------------------------

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAX_ROWS = 50_000
MAX_LINE = 64 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # a workbook of 50,000 candidates is smaller; refuse bombs
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its row number in the file (the header is row 1) and its cells by column.
    ``problems`` are defects of the row itself (for example more cells than columns)."""

    number: int
    values: dict[str, str]
    problems: tuple[str, ...] = field(default_factory=tuple)


def file_error(message: str) -> InvalidInput:
    return InvalidInput({"file": message})


def read_table(
    stream: IO[bytes],
    *,
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
    noun: str = "candidates",
) -> list[Row]:
    """The data rows of a CSV or XLSX file whose header names ``columns`` (``required`` ones
    must be there). Raises InvalidInput naming the file's problem."""
    return list(iter_table(stream, name=name, columns=columns, required=required, noun=noun))


def iter_table(
    stream: IO[bytes],
    *,
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
    noun: str = "candidates",
) -> Iterator[Row]:
    """``read_table`` one row at a time, for files too large to hold as rows (a bulk import
    of 20,000 candidates): the file's format and header are checked before the first row is
    yielded, and a problem further on is raised when the reader reaches it."""
    label = name or "the file"
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise file_error(f"{label}: upload a CSV (.csv) or Excel workbook (.xlsx)")
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".csv":
            raise file_error(f"{label} is named .csv but is a zip archive, not CSV text")
        lines = _xlsx_lines(stream, label)
    else:
        if suffix == ".xlsx":
            raise file_error(f"{label} is named .xlsx but is not an Excel workbook")
        lines = _csv_lines(stream, label)
    first = next(lines, None)
    if first is None:
        raise file_error(f"{label} is empty: its first row must name the columns")
    header = _header(first[1], label, columns, required)
    return _rows(lines, header, label, noun)


def _rows(
    lines: Iterator[tuple[int, list[str]]], header: list[str], label: str, noun: str
) -> Iterator[Row]:
    width = len(header)
    count = 0
    for number, cells in lines:
        if not any(cells):
            continue
        if count == MAX_ROWS:
            raise file_error(f"{label} has more than {MAX_ROWS} {noun}; split it")
        count += 1
        extra = [c for c in cells[width:] if c]
        problems = (f"{len(extra)} cell(s) beyond the last column",) if extra else ()
        padded = cells[:width] + [""] * (width - len(cells))
        values = {col: cell for col, cell in zip(header, padded, strict=True) if col}
        yield Row(number, values, problems)


def _header(
    cells: list[str], label: str, columns: Sequence[str], required: Sequence[str]
) -> list[str]:
    names = [re.sub(r"[\s-]+", "_", c.strip().lower()) for c in cells]
    while names and not names[-1]:
        names.pop()
    problems = []
    unknown = [n for n in names if n and n not in columns]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        problems.append(f"column(s) named twice: {', '.join(twice)}")
    missing = [c for c in required if c not in names]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if problems:
        raise file_error(
            f"{label}: {'; '.join(problems)}. The header row names the columns: "
            f"{', '.join(columns)} (required: {', '.join(required)})"
        )
    return names


def _csv_lines(stream: IO[bytes], label: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(_utf8_lines(stream, label))
    try:
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise file_error(f"{label} line {reader.line_num}: {exc}") from exc


def _utf8_lines(stream: IO[bytes], label: str) -> Iterator[str]:
    """The stream's lines decoded one by one, so an error names its line (a UTF-8 character
    never contains the newline byte, so splitting before decoding is safe)."""
    number = 0
    while raw := stream.readline(MAX_LINE + 1):
        number += 1
        if len(raw) > MAX_LINE:
            raise file_error(f"{label} line {number} is longer than {MAX_LINE} bytes")
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise file_error(
                f"{label} is not UTF-8 text (line {number}): save it as 'CSV UTF-8' "
                "or upload the .xlsx workbook"
            ) from exc
        if "\x00" in line:
            raise file_error(f"{label} is not a text file (NUL bytes on line {number})")
        yield line


def _xlsx_lines(stream: IO[bytes], label: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_workbook(stream, label)
    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise file_error(f"{label} is not a readable Excel workbook ({exc})") from exc
    try:
        if not book.worksheets:
            raise file_error(f"{label} has no worksheet")
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    finally:
        book.close()


def _check_workbook(stream: IO[bytes], label: str) -> None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise file_error(f"{label} is a zip archive but not an Excel workbook")
            if sum(i.file_size for i in infos) > MAX_UNZIPPED:
                raise file_error(f"{label} unpacks to more than {MAX_UNZIPPED} bytes")
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except zipfile.BadZipFile as exc:
        raise file_error(f"{label} is a damaged zip archive, not an Excel workbook") from exc
    if XLSX_MAIN not in types:
        raise file_error(f"{label} is not an .xlsx workbook (macro workbooks are refused)")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
