"""Bulk registration: dry run lists every row's errors, import is all-or-nothing, CSV and
XLSX both, the content decides the format, and the candidate list exports."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from assay.errors import InvalidInput, NotAllowed
from assay.registrations.bulk import (
    bulk_check,
    bulk_import,
    read_rows,
)
from assay.registrations.candidate_list import centre_candidates
from assay.registrations.export import export_csv, export_xlsx
from assay.registrations.models import Candidate, HeldQualification, Refusal, Registration
from tests.factories import register
from tests.fixtures_centre import World, world  # noqa: F401
from tests.registrations.helpers import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = [
    ["Dan", "Dixon", "1975-02-03", "dan@example.org", "paid", "4430-04", "", ""],
    ["Erin", "Ellis", "14/09/1988", "", "voluntary", "cg-4430-04", "2013-02-01", ""],
    ["Finn", "Ford", "1990-01-01", "", "paid", "EDEXCEL-L3-NVQ-CS", "", "4430-04; X-9"],
]


def counts() -> tuple[int, int, int, int]:
    return (
        Candidate.objects.count(),
        Registration.objects.count(),
        HeldQualification.objects.count(),
        Refusal.objects.count(),
    )


def test_dry_run_lists_every_rows_errors_and_changes_nothing(world: World) -> None:
    rows = read_rows(
        csv_bytes(
            [
                GOOD[0],
                ["Eve", "Evans", "31/02/1990", "", "paid", "4430-04", "", ""],
                ["Fay", "Fox", "1980-01-01", "", "paid", "NOPE", "", ""],
                ["Gus", "Gray", "2000-06-01", "", "paid", "4430-04", "", ""],
                ["dan", "DIXON", "1975-02-03", "", "paid", "4430-04", "", ""],
                ["Hal", "Hill", "", "not-an-email", "salaried", "", "", ""],
            ]
        ),
        name="rows.csv",
    )
    before = counts()
    results = bulk_check(by=world["centre_admin"], centre=world.north, rows=rows)
    assert counts() == before
    by_row = {r.row_number: r.errors for r in results}
    assert by_row[2] == []
    assert by_row[3] == ["date_of_birth: '31/02/1990' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"]
    assert by_row[4] == ["qualification: unknown qualification 'NOPE'"]
    assert len(by_row[5]) == 1 and by_row[5][0].startswith("under-minimum-age: The candidate is 12")
    assert by_row[6] == ["duplicate of row 2 (same candidate, date of birth and qualification)"]
    assert by_row[7] == [
        "qualification: required",
        "email: 'not-an-email' is not an email address",
        "job_kind: 'salaried' — use paid, voluntary, none",
        "date_of_birth: required",
    ]


def test_a_file_with_one_bad_row_imports_nothing(world: World) -> None:
    rows = read_rows(
        csv_bytes([*GOOD, ["Ivy", "Irwin", "2001-01-01", "", "paid", "4430-04", "", ""]]),
        name="rows.csv",
    )
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        bulk_import(by=world["centre_admin"], centre=world.north, rows=rows)
    assert list(refused.value.errors) == ["row 5"]
    assert "under-minimum-age" in refused.value.errors["row 5"]
    assert counts() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_imports_every_row(world: World, fmt: str) -> None:
    stream = csv_bytes(GOOD) if fmt == "csv" else xlsx_bytes(GOOD)
    rows = read_rows(stream, name=f"rows.{fmt}")
    seen: list[int] = []
    created = bulk_import(
        by=world["centre_admin"], centre=world.north, rows=rows, progress=seen.append
    )
    assert seen == [1, 2, 3]
    assert [(r.candidate.first_name, r.qualification.code) for r in created] == [
        ("Dan", "4430-04"),
        ("Erin", "4430-04"),
        ("Finn", "EDEXCEL-L3-NVQ-CS"),
    ]
    assert created[1].registered_on == dt.date(2013, 2, 1)
    assert created[0].registered_on == dt.date(2013, 3, 1)  # the pinned clock
    assert created[1].candidate.date_of_birth == dt.date(1988, 9, 14)
    assert sorted(created[2].candidate.held.values_list("qualification_code", flat=True)) == [
        "4430-04",
        "X-9",
    ]
    assert all(r.created_by == world["centre_admin"] for r in created)
    again = bulk_check(by=world["centre_admin"], centre=world.north, rows=rows)
    assert all("already registered" in r.errors[0] for r in again)


def test_xlsx_cells_may_be_real_dates_and_numbers(world: World) -> None:
    rows = read_rows(
        xlsx_bytes([["Jo", "Jay", dt.datetime(1970, 1, 2), None, "paid", "4430-04", None, None]]),
        name="people.xlsx",
    )
    assert rows[0].values["date_of_birth"] == "1970-01-02" and rows[0].values["email"] == ""
    assert bulk_check(by=world["centre_admin"], centre=world.north, rows=rows)[0].errors == []


def test_only_a_centre_administrator_may_check_or_import(world: World) -> None:
    rows = read_rows(csv_bytes(GOOD), name="rows.csv")
    with pytest.raises(NotAllowed):
        bulk_check(by=world["tutor"], centre=world.north, rows=rows)
    with pytest.raises(NotAllowed):
        bulk_import(by=world["admin_other_centre"], centre=world.north, rows=rows)


def file_error(stream: io.BytesIO, name: str) -> str:
    with pytest.raises(InvalidInput) as bad:
        read_rows(stream, name=name)
    return bad.value.errors["file"]


def test_the_content_decides_the_format_not_the_name() -> None:
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "rows.csv is not UTF-8 text (line 1)" in file_error(png, "rows.csv")
    latin1 = io.BytesIO(",".join(HEADER).encode() + "\nRené,Dupré,1970-01-01".encode("latin-1"))
    assert "not UTF-8 text (line 2)" in file_error(latin1, "rows.csv")
    assert "is named .xlsx but is not an Excel workbook" in file_error(csv_bytes(GOOD), "a.xlsx")
    assert "is named .csv but is a zip archive" in file_error(xlsx_bytes(GOOD), "rows.csv")
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "a zip archive but not an Excel workbook" in file_error(other_zip, "rows.xlsx")
    assert "upload a CSV (.csv) or Excel workbook (.xlsx)" in file_error(csv_bytes(GOOD), "a.pdf")
    assert "is empty" in file_error(io.BytesIO(b""), "rows.csv")


def test_an_xlsx_without_a_name_is_read_by_content(world: World) -> None:
    assert len(read_rows(xlsx_bytes(GOOD))) == 3
    assert len(read_rows(csv_bytes(GOOD))) == 3


def test_missing_and_unknown_columns_are_named() -> None:
    message = file_error(csv_bytes([], header=["First Name", "surname", "dob"]), "rows.csv")
    assert "unknown column(s): surname, dob" in message
    assert "missing column(s): last_name, date_of_birth, job_kind, qualification" in message
    assert "(required: first_name, last_name, date_of_birth, job_kind, qualification)" in message


def test_blank_rows_are_skipped_and_extra_cells_reported(world: World) -> None:
    stream = csv_bytes([GOOD[0], [""] * 8, [*GOOD[1], "surplus"]])
    rows = read_rows(stream, name="rows.csv")
    assert [r.number for r in rows] == [2, 4]
    results = bulk_check(by=world["centre_admin"], centre=world.north, rows=rows)
    assert results[1].errors == ["1 cell(s) beyond the last column"]


def test_export_csv_and_xlsx_round_trip(world: World) -> None:
    register(world["centre_admin"], world.north, phone="+44 20 7946 0000", employer="=HYPERLINK()")
    regs = centre_candidates(world["centre_admin"], world.north)
    text = io.StringIO()
    assert export_csv(regs, text) == 3
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert [r["first_name"] for r in rows] == ["Alice", "Alice", "Bob"]
    formula = next(r for r in rows if r["employer"].startswith("'"))
    assert formula["employer"] == "'=HYPERLINK()" and formula["phone"] == "+44 20 7946 0000"
    assert rows[0]["status"] == "registered" and rows[0]["registration_id"]
    binary = io.BytesIO()
    assert export_xlsx(regs, binary) == 3
    binary.seek(0)
    sheet = load_workbook(binary).worksheets[0]
    assert sheet["A1"].value == "first_name"
    header = [cell.value for cell in sheet[1]]
    born, ident = header.index("date_of_birth") + 1, header.index("registration_id") + 1
    assert isinstance(sheet.cell(2, born).value, dt.datetime)  # a real date, not text
    assert isinstance(sheet.cell(2, ident).value, int)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:N{sheet.max_row}"
    assert any(cell.value == "=HYPERLINK()" and cell.data_type == "s" for cell in sheet["F"])
    binary.seek(0)
    reread = read_rows(binary, name="export.xlsx")
    assert len(reread) == 3 and reread[2].values["qualification"] == "EDEXCEL-L3-NVQ-CS"
