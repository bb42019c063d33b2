"""Bulk-registration files for tests: CSV and XLSX bodies with the standard header; and a
crowd of registrations written in bulk for the list tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from assay.registrations.models import Candidate, HeldQualification, Registration, Status

if TYPE_CHECKING:
    from assay.catalogue.models import Qualification
    from assay.centres.models import Centre

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


def crowd(centre: Centre, qualification: Qualification, how_many: int) -> list[Registration]:
    """``how_many`` more registrations at ``centre`` on ``qualification``, written in bulk (a
    test's throwaway rows, not the service): shared surnames (so the order's later keys
    decide), every status, every third candidate holding two qualifications."""
    statuses = list(Status.values)
    candidates = Candidate.objects.bulk_create(
        Candidate(
            centre=centre,
            first_name=f"First{n:03d}",
            last_name=f"Surname{n % 7}",
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=n),
            email=f"c{n}@example.com",
        )
        for n in range(how_many)
    )
    HeldQualification.objects.bulk_create(
        HeldQualification(candidate=c, qualification_code=code)
        for c in candidates[::3]
        for code in ("Z-2", "A-1")
    )
    return Registration.objects.bulk_create(
        Registration(
            candidate=c,
            centre=centre,
            qualification=qualification,
            registered_on=dt.date(2012, 1, 1) + dt.timedelta(days=n % 40),
            end_date=dt.date(2015, 1, 1),
            status=statuses[n % len(statuses)],
        )
        for n, c in enumerate(candidates)
    )
