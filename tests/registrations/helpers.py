"""Bulk-registration files for tests: CSV and XLSX bodies with the standard header."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

HEADER = [
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "job_kind",
    "qualification",
    "registered_on",
    "held_qualifications",
]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
