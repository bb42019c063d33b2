"""Bulk registration: dry run lists every row's errors, import is all-or-nothing, CSV and
XLSX both, the content decides the format, and the candidate list exports. The import writes
what ``registration_create`` writes (chains that verify), checks the entry rules once per row
and its queries do not grow with the rows."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assay.centres.services import ApprovalInput, approval_record
from assay.errors import InvalidInput, NotAllowed
from assay.records.models import ChainRecord
from assay.records.services import anchor_log_read, records_verify
from assay.registrations import bulk as bulk_module
from assay.registrations.bulk import (
    bulk_check,
    bulk_import,
    bulk_import_ids,
    iter_rows,
    read_rows,
)
from assay.registrations.candidate_list import centre_candidates
from assay.registrations.enrolment import chain_name, registration_fields, status_change_fields
from assay.registrations.export import export_csv, export_xlsx
from assay.registrations.facts import approvals_in_force, current_approval
from assay.registrations.models import (
    Candidate,
    HeldQualification,
    Refusal,
    Registration,
    StatusChange,
)
from assay.registrations.services import CandidateInput, registration_create
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


def many(n: int, start: int = 0) -> list[list[str]]:
    """N distinct good rows (adults on 4430-04 at the world's approved centre)."""
    return [
        [f"Kim{i}", "Kay", f"19{60 + i % 30}-01-02", "", "paid", "4430-04", "2013-02-01", ""]
        for i in range(start, start + n)
    ]


def test_an_import_writes_what_registration_create_writes_and_the_records_verify(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    rows = read_rows(csv_bytes(GOOD), name="rows.csv")
    with django_capture_on_commit_callbacks(execute=True):
        created = bulk_import(by=world["centre_admin"], centre=world.north, rows=rows)
    for registration in created:
        stored = Registration.objects.get(pk=registration.pk)
        records = list(ChainRecord.objects.filter(chain=chain_name(stored.pk)).order_by("seq"))
        assert [(r.seq, r.kind, r.actor_id) for r in records] == [
            (1, "registered", world["centre_admin"].pk)
        ]
        first = StatusChange.objects.get(registration=stored)
        assert (first.from_status, first.to_status) == ("", "registered")
        assert records[0].payload == {
            "registration": stored.pk,
            "set": registration_fields(stored),
            "rows": {"status_change": [status_change_fields(first)]},
        }
    heads, unreadable = anchor_log_read()
    assert not unreadable
    assert {(h.chain, h.length) for h in heads} >= {(chain_name(r.pk), 1) for r in created}
    assert records_verify().ok
    Registration.objects.filter(pk=created[1].pk).update(end_date=dt.date(2030, 1, 1))
    problems = records_verify().problems
    assert [p.chain for p in problems] == [chain_name(created[1].pk)]


def test_the_import_checks_the_entry_rules_once_per_row_and_its_queries_do_not_grow(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    decisions: list[object] = []
    real = bulk_module.entry_decision

    def counted(**kwargs: Any) -> Any:
        decisions.append(kwargs["candidate"])
        return real(**kwargs)

    monkeypatch.setattr(bulk_module, "entry_decision", counted)
    admin = world["centre_admin"]
    with CaptureQueriesContext(connection) as few:
        bulk_import_ids(by=admin, centre=world.north, rows=read_rows(csv_bytes(many(3))))
    assert len(decisions) == 3
    with CaptureQueriesContext(connection) as more:
        ids = bulk_import_ids(by=admin, centre=world.north, rows=read_rows(csv_bytes(many(40, 3))))
    assert len(decisions) == 3 + 40 and len(ids) == 40
    # The qualification, the approvals and the centre's registrations are read once per file
    # and each table is written once per chunk, whatever the number of rows (the progress rows
    # of the new registrations too: four queries a chunk).
    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 19, [q["sql"][:80] for q in few.captured_queries]


def test_a_file_is_read_as_a_stream_and_errors_name_their_rows(world: World) -> None:
    rows = iter_rows(csv_bytes([*many(2), ["Kim0", "Kay", "1960-01-02", "", "paid", "4430-04"]]))
    assert not isinstance(rows, list)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        bulk_import_ids(by=world["centre_admin"], centre=world.north, rows=rows)
    assert refused.value.errors == {
        "row 4": "duplicate of row 2 (same candidate, date of birth and qualification)"
    }
    assert counts() == before
    with pytest.raises(InvalidInput) as empty:
        bulk_import_ids(by=world["centre_admin"], centre=world.north, rows=iter([]))
    assert empty.value.errors == {"file": "there are no candidates in the file"}


def test_the_approval_in_force_on_each_rows_date_decides(world: World) -> None:
    approval_record(
        by=world["awarding_body"],
        centre=world.north,
        approval=ApprovalInput("4430-04", "suspended", dt.date(2013, 2, 15), reason="Staffing"),
    )
    before, after = many(2)
    after[6] = "2013-02-20"
    results = bulk_check(
        by=world["centre_admin"], centre=world.north, rows=read_rows(csv_bytes([before, after]))
    )
    assert results[0].errors == []
    assert len(results[1].errors) == 1
    assert results[1].errors[0].startswith("centre-not-approved: ")


def test_an_imported_row_writes_the_same_rows_as_registration_create(world: World) -> None:
    """Every table gains what one ``registration_create`` adds, so a write added there later
    (a progress row, a notification) fails here until the bulk insert writes it too."""

    def sizes() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    admin = world["centre_admin"]
    start = sizes()
    registration_create(
        by=admin,
        centre=world.north,
        qualification_key="4430-04",
        candidate_input=CandidateInput(
            first_name="Lou",
            last_name="Lee",
            date_of_birth=dt.date(1970, 1, 2),
            held=("X-9",),
        ),
    )
    single = sizes()
    bulk_import_ids(
        by=admin,
        centre=world.north,
        rows=read_rows(csv_bytes([["Mo", "May", "1971-01-02", "", "paid", "4430-04", "", "X-9"]])),
    )
    imported = sizes()
    added_once = {k: single[k] - start[k] for k in start if single[k] != start[k]}
    added_bulk = {k: imported[k] - single[k] for k in single if imported[k] != single[k]}
    assert added_bulk == added_once
    assert added_once["registrations.Registration"] == 1


def test_the_approval_history_read_once_answers_as_current_approval_on_every_day(
    world: World,
) -> None:
    ab = world["awarding_body"]
    for status, since, reason in [
        ("suspended", dt.date(2012, 5, 1), "Staffing"),
        ("approved", dt.date(2012, 5, 1), ""),  # same day, recorded later: it wins
        ("withdrawn", dt.date(2013, 1, 10), "Closed"),
        ("approved", dt.date(2013, 2, 1), ""),
    ]:
        approval_record(
            by=ab,
            centre=world.north,
            approval=ApprovalInput("4430-04", status, since, None, reason),
        )
    in_force = approvals_in_force(world.north, "4430-04")
    day = dt.date(2010, 1, 1)
    while day < dt.date(2013, 6, 1):
        assert in_force(day) == current_approval(world.north, "4430-04", day), day
        day += dt.timedelta(days=9)
    assert approvals_in_force(world.north, "NOPE")(day) is None
