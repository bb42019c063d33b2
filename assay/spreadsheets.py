"""XLSX tables as a spreadsheet user expects them: numbers as numbers, dates as real dates
(shown dd/mm/yyyy), a bold header row that stays frozen and carries filters.

Shared by every XLSX export (candidates, progress, audit reports). Text is always stored as
text, never as a formula, whatever it starts with: names and reasons come from users.
openpyxl loads only when a workbook is written, so the server does not pay for it at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

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
