"""A centre's candidate list at scale (issue 12): keyset pages that hold every visible
registration exactly once, filters, the export streamed with today's content, and no list read
that loads a qualification's spec content."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assay.catalogue.models import SpecFile
from assay.errors import InvalidInput
from assay.registrations import export
from assay.registrations.bulk import COLUMNS, EXPORT_ONLY
from assay.registrations.candidate_list import (
    CANDIDATE_ORDER,
    CandidateFilter,
    centre_candidates,
    centre_candidates_page,
)
from assay.registrations.models import HeldQualification, Registration
from assay.registrations.selectors import (
    registration_get,
    registrations_at,
    registrations_visible_to,
)
from assay.registrations.tabular import write_csv
from assay.spreadsheets import Cell, write_xlsx
from tests.fixtures_centre import World, world  # noqa: F401
from tests.registrations.helpers import crowd

pytestmark = pytest.mark.django_db

SPEC_CONTENT = f'"{SpecFile._meta.db_table}"."content"'


def walk(user: Any, world: World, size: int, narrow: CandidateFilter | None = None) -> list[int]:
    """Every page forwards, checking each page against the walk backwards from the end."""
    pages, cursor = [], None
    while True:
        page = centre_candidates_page(user, world.north, narrow, cursor, size)
        pages.append([r.pk for r in page])
        if page.next is None:
            break
        cursor = page.next
    back, cursor = [], page.previous
    while cursor is not None:
        page = centre_candidates_page(user, world.north, narrow, cursor, size)
        back.insert(0, [r.pk for r in page])
        cursor = page.previous
    assert back == pages[:-1]
    return [pk for rows in pages for pk in rows]


def test_walking_every_page_lists_every_visible_registration_once(world: World) -> None:
    crowd(world.north, world.registration.qualification, 40)
    admin = world["centre_admin"]
    everyone = list(centre_candidates(admin, world.north).values_list("pk", flat=True))
    assert len(everyone) == 42
    for size in (1, 7, 42, 50):
        assert walk(admin, world, size) == everyone
    mine = walk(world["assessor_assigned"], world, 1)
    assert mine == [world.registration.pk]  # an assessor: only their own candidates
    assert walk(world["iv_other"], world, 5) == [world.other_registration.pk]


def test_filters_narrow_the_pages(world: World) -> None:
    crowd(world.north, world.registration.qualification, 30)
    admin = world["centre_admin"]
    withdrawn = CandidateFilter(status="withdrawn")
    listed = walk(admin, world, 4, withdrawn)
    assert listed and all(Registration.objects.get(pk=pk).status == "withdrawn" for pk in listed)
    edexcel = walk(admin, world, 4, CandidateFilter(qualification="EDEXCEL-L3-NVQ-CS"))
    assert edexcel == [world.other_registration.pk]
    found = walk(admin, world, 3, CandidateFilter(search="surname3"))
    assert len(found) == 4 and all(
        Registration.objects.get(pk=pk).candidate.last_name == "Surname3" for pk in found
    )
    assert walk(admin, world, 3, CandidateFilter(search="bob")) == [world.other_registration.pk]
    with pytest.raises(InvalidInput, match="unknown status"):
        CandidateFilter(status="lost")


def test_a_bad_cursor_is_refused_with_a_message(world: World) -> None:
    admin = world["centre_admin"]
    crowd(world.north, world.registration.qualification, 5)
    page = centre_candidates_page(admin, world.north, size=2)
    assert page.next
    with pytest.raises(InvalidInput) as refused:
        centre_candidates_page(admin, world.north, cursor=page.next[:-3] + "xyz", size=2)
    assert "not valid" in refused.value.errors["cursor"]
    other = centre_candidates_page(admin, world.north, CandidateFilter(status="withdrawn"))
    assert other is not None
    with pytest.raises(InvalidInput):
        centre_candidates_page(admin, world.north, cursor="garbage", size=2)
    with pytest.raises(InvalidInput, match="page size"):
        centre_candidates_page(admin, world.north, size=0)


def test_a_page_reads_the_same_number_of_queries_at_any_size(world: World) -> None:
    admin = world["centre_admin"]

    def count(held: bool = False, **kwargs: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = centre_candidates_page(admin, world.north, held=held, **kwargs)
            for r in page:
                assert r.candidate.first_name and r.qualification.code and r.qualification.version
                if held:
                    list(r.candidate.held.all())
        assert not any(SPEC_CONTENT in q["sql"] for q in captured.captured_queries)
        return len(captured)

    small = count(held=True), count()
    assert small[0] == small[1] + 1  # the held qualifications: one query for the page
    crowd(world.north, world.registration.qualification, 60)
    large = count(held=True), count()
    assert small == large
    second = centre_candidates_page(admin, world.north, size=50).next
    assert count(cursor=second, held=True) == small[0]


def test_list_reads_leave_the_spec_content_and_the_detail_reads_it_once(world: World) -> None:
    admin = world["centre_admin"]
    visible = registrations_visible_to(admin)
    with CaptureQueriesContext(connection) as captured:
        rows = list(visible)
        assert {r.qualification.version for r in rows}  # the spec's version: no query more
    assert len(captured) == 1 and SPEC_CONTENT not in captured.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as captured:
        detail = registration_get(admin, world.registration.pk)
        assert detail.qualification.spec.content["units"]
    reading = [q["sql"] for q in captured.captured_queries if SPEC_CONTENT in q["sql"]]
    assert len(reading) == 1 and '"registrations_registration"."id" =' in reading[0]


# --- The export ------------------------------------------------------------------------------


def legacy_rows(registrations: Any) -> Iterator[list[Cell]]:
    """The export as it was written before issue 12 (model objects, held prefetched): the
    streamed export must give exactly this."""
    yield [*COLUMNS, *EXPORT_ONLY]
    for r in registrations.prefetch_related("candidate__held"):
        c = r.candidate
        yield [
            c.first_name,
            c.last_name,
            c.date_of_birth,
            c.email,
            c.phone,
            c.employer,
            c.job_role,
            c.job_kind,
            r.qualification.code,
            r.registered_on,
            ";".join(sorted(h.qualification_code for h in c.held.all())),
            r.pk,
            r.status,
            r.end_date,
        ]


def sheet_values(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    formats = [[c.number_format for c in row] for row in sheet.iter_rows()]
    return [*sheet.iter_rows(values_only=True), tuple(map(tuple, formats))]  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk", [3, 2000])
def test_the_export_is_todays_content_streamed(
    world: World, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "CHUNK", chunk)
    crowd(world.north, world.registration.qualification, 12)
    HeldQualification.objects.create(candidate=world.registration.candidate, qualification_code="X")
    for who in ("centre_admin", "assessor_other"):
        registrations = centre_candidates(world[who], world.north)
        expected = io.StringIO()
        write_csv(legacy_rows(registrations), expected)
        streamed = "".join(export.export_csv_chunks(registrations))
        assert streamed == expected.getvalue()
        written = io.StringIO()
        assert export.export_csv(registrations, written) == registrations.count()
        assert written.getvalue() == expected.getvalue()
        old, new = io.BytesIO(), io.BytesIO()
        write_xlsx(legacy_rows(registrations), old, title="Candidates")
        export.export_xlsx(registrations, new)
        assert sheet_values(new.getvalue()) == sheet_values(old.getvalue())
    rows = list(csv.DictReader(io.StringIO(streamed)))
    assert [r["first_name"] for r in rows] == ["Bob"]  # assessor_other: Bob only


def test_the_export_never_reads_the_spec(world: World) -> None:
    crowd(world.north, world.registration.qualification, 10)
    registrations = centre_candidates(world["centre_admin"], world.north)
    with CaptureQueriesContext(connection) as captured:
        text = "".join(export.export_csv_chunks(registrations))
        export.export_xlsx(registrations, io.BytesIO())
    assert text.count("\n") == 13
    sql = [q["sql"] for q in captured.captured_queries]
    assert sql and not any(SPEC_CONTENT in q or "catalogue_specfile" in q for q in sql)
    assert len(sql) == 4  # per format: the rows, and the held qualifications of their chunk


def test_export_order_is_the_list_order(world: World) -> None:
    crowd(world.north, world.registration.qualification, 9)
    registrations = centre_candidates(world["centre_admin"], world.north)
    ids = [row[11] for row in list(export.export_rows(registrations))[1:]]
    assert ids == list(registrations.order_by(*CANDIDATE_ORDER).values_list("pk", flat=True))


def test_a_centre_list_sees_exactly_what_the_visibility_rule_sees(world: World) -> None:
    """``registrations_at`` skips the visibility subquery only for those who see the whole
    centre: for every person, it lists exactly ``registrations_visible_to`` at the centre."""
    crowd(world.north, world.registration.qualification, 5)
    for name, user in world.people.items():
        for centre in (world.north, world.south):
            fast = set(registrations_at(user, centre).values_list("pk", flat=True))
            rule = registrations_visible_to(user).filter(centre=centre)
            assert fast == set(rule.values_list("pk", flat=True)), (name, centre.number)
