"""Caseload, evidence queue and centre progress: the right registrations for each person, the
right colour with its reasons, the queue's order, the exports read back, and a fixed number of
queries whatever the caseload's size."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assay.centres.models import Role
from assay.centres.people import competence_record
from assay.centres.services import membership_grant
from assay.engines.progress import Rag
from assay.errors import NotFound
from assay.portfolios.assessment import criterion_judge, mapping_decide
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping
from assay.portfolios.services import evidence_add, mapping_propose
from assay.progress.caseload import (
    COLUMNS,
    assessor_caseload,
    centre_progress,
    centre_progress_rows,
    evidence_queue,
    progress_csv,
    progress_xlsx,
)
from assay.progress.completion import registration_transition
from assay.registrations.models import PlanUnit
from assay.registrations.plans import PlanUnitInput, plan_set
from tests.caseload.conftest import attach, grow_caseload, sign_off
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2013, 3, 1)


def criteria_of_401(w: World) -> int:
    return sum("." in t for t in unit_targets(unit_spec(w.dan, "401")))


def test_alice_sees_dan_amber_with_its_reason(world: World) -> None:
    rows = assessor_caseload(world.user("alice"), TODAY).rows.items
    assert [r.registration.pk for r in rows] == [world.dan.pk]
    row = rows[0]
    # Registered 03/09/2012 for 24 months: 179 of 730 days gone; nothing judged yet.
    assert row.rag.status is Rag.AMBER
    assert row.rag.reasons == (
        "0% of criteria met at 24% of the registration period: more than 10 points behind",
    )
    assert (row.units_signed_off, row.units_planned) == (0, 1)
    assert row.criteria_planned == criteria_of_401(world) and row.criteria_met == 0
    assert row.next_target == dt.date(2013, 6, 30)
    assert row.my_units == ("401",)


def test_only_assessors_of_a_plan_unit_have_a_caseload(world: World) -> None:
    for name in ("arthur", "carol", "linda", "ian", "tom", "eve", "dan", "ed", "sue", "nina"):
        assert assessor_caseload(world.user(name), TODAY).rows.items == [], name


def test_red_first_and_progress_counts(world: World) -> None:
    alice = world.user("alice")
    late = grow_caseload(world, 1)[0]
    PlanUnit.objects.filter(registration=late).update(target_date=dt.date(2013, 1, 12))
    mapping_decide(by=alice, mapping=world.mapping, confirm=True)
    criterion_judge(by=alice, registration=world.dan, unit="401", criterion="1.1", met=True)
    rows = assessor_caseload(alice, TODAY).rows.items
    assert [r.registration.pk for r in rows] == [late.pk, world.dan.pk]
    assert rows[0].rag.status is Rag.RED
    assert rows[0].rag.reasons[0] == "unit 401 target date 12/01/2013 passed 48 days ago"
    assert rows[1].criteria_met == 1
    assert rows[1].percent_met == 100 // criteria_of_401(world)


def test_signed_off_is_complete_and_closed_registrations_leave_the_caseload(world: World) -> None:
    alice, carol = world.user("alice"), world.user("carol")
    sign_off(alice, world.dan, "401")
    row = assessor_caseload(alice, TODAY).rows.items[0]
    assert row.rag.status is Rag.COMPLETE
    assert row.criteria_met == row.criteria_planned and row.units_signed_off == 1
    registration_transition(
        by=carol, registration=world.dan, to="withdrawn", reason="moved away", confirmed=True
    )
    assert assessor_caseload(alice, TODAY).rows.items == []
    assert evidence_queue(alice, TODAY).mappings.items == []  # nothing to judge for a closed one
    rows = centre_progress(carol, world.north.pk, TODAY)[1].rows.items
    closed = next(r for r in rows if r.registration.pk == world.dan.pk)
    assert closed.rag.status is Rag.CLOSED and rows[-1] is closed  # closed sorts last


def test_centre_progress_is_narrowed_per_role(world: World) -> None:
    def seen(name: str) -> set[str]:
        rows = centre_progress(world.user(name), world.north.pk, TODAY)[1].rows
        return {r.registration.candidate.first_name for r in rows}

    for name in ("carol", "linda", "tom", "eve"):
        assert seen(name) == {"Dan", "Dora"}, name
    assert seen("alice") == {"Dan"}  # her candidates only
    assert seen("ian") == {"Dan"}  # the candidates he verifies
    assert seen("arthur") == seen("iris") == set()
    dora = next(
        r
        for r in centre_progress(world.user("carol"), world.north.pk, TODAY)[1].rows
        if r.registration.pk == world.dora.pk
    )
    assert "no units on the learning plan" in dora.rag.reasons


@pytest.mark.parametrize("name", ["dan", "dora", "ed", "edna", "sue", "evan", "nina"])
def test_centre_progress_is_not_found_outside_the_centres_staff(world: World, name: str) -> None:
    with pytest.raises(NotFound):
        centre_progress(world.user(name), world.north.pk, TODAY)


def test_queue_holds_proposals_on_my_units_oldest_proposal_first(world: World) -> None:
    alice, dan = world.user("alice"), world.user("dan")
    newer = evidence_add(
        by=dan,
        registration=world.dan,
        method="product",
        started_on=dt.date(2013, 2, 10),
        description="Complaint log",
        context="real_job",
    )
    on_newer = mapping_propose(by=dan, item=newer, unit="401", target="1.2")
    on_older = mapping_propose(by=dan, item=world.item, unit="401", target="1.3")
    at = {
        world.mapping.pk: dt.datetime(2013, 2, 1, 9, tzinfo=dt.UTC),
        on_newer.pk: dt.datetime(2013, 2, 10, 9, tzinfo=dt.UTC),
        on_older.pk: dt.datetime(2013, 2, 20, 9, tzinfo=dt.UTC),
    }
    for pk, when in at.items():
        CriterionMapping.objects.filter(pk=pk).update(proposed_at=when)
    queue = evidence_queue(alice, TODAY)
    # Oldest proposal first, however old its evidence item is.
    assert [q.mapping.pk for q in queue.mappings.items] == [
        world.mapping.pk,
        on_newer.pk,
        on_older.pk,
    ]
    assert [q.waited_days for q in queue.mappings.items] == [28, 19, 9]
    assert queue.items.items == []  # no files yet
    for name in ("arthur", "carol", "ian", "dan", "sue"):
        assert evidence_queue(world.user(name), TODAY).mappings.items == [], name


def test_queue_lists_files_until_a_mapping_is_decided(world: World) -> None:
    alice = world.user("alice")
    attach(alice, world.item)
    queue = evidence_queue(alice, TODAY)
    assert [(q.item.pk, q.proposals) for q in queue.items.items] == [(world.item.pk, 1)]
    assert (
        queue.items.items[0].waited_days == 0
    )  # uploaded "now", after the pinned day: not negative
    mapping_decide(by=alice, mapping=world.mapping, confirm=True)
    queue = evidence_queue(alice, TODAY)
    assert queue.items.items == [] and queue.mappings.items == []
    assert evidence_queue(world.user("arthur"), TODAY).items.items == []


def test_proposals_on_another_assessors_unit_are_not_mine(world: World) -> None:
    carol = world.user("carol")
    arthur = get_user_model().objects.create_user("abe")  # an assessor in time for A1
    membership_grant(by=carol, centre=world.north, user=arthur, role=Role.ASSESSOR)
    competence_record(
        by=carol,
        centre=world.north,
        user=arthur,
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2012, 10, 1),
    )
    plan_set(
        by=carol,
        registration=world.dan,
        units=[
            PlanUnitInput("401", world.user("alice").pk, dt.date(2013, 6, 30)),
            PlanUnitInput("403", arthur.pk),
        ],
        internal_verifier_id=world.user("ian").pk,
    )
    mapping_propose(by=world.user("dan"), item=world.item, unit="403", target="1.1")
    mine = evidence_queue(world.user("alice"), TODAY).mappings.items
    theirs = evidence_queue(arthur, TODAY).mappings.items
    assert [q.mapping.unit_number for q in mine] == ["401"]
    assert [q.mapping.unit_number for q in theirs] == ["403"]


def test_exports_read_back(world: World) -> None:
    rows = list(centre_progress_rows(world.user("carol"), world.north.pk, TODAY)[1])
    text = io.StringIO()
    assert progress_csv(rows, text) == 2
    read = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert tuple(read[0]) == COLUMNS
    dan = next(r for r in read if r["candidate"] == "Dan Smith")
    assert (
        dan["rag"] == "amber" and dan["units_planned"] == "1" and dan["next_target"] == "2013-06-30"
    )
    assert dan["reasons"].startswith("0% of criteria met at 24%")
    binary = io.BytesIO()
    assert progress_xlsx(rows, binary) == 2
    binary.seek(0)
    sheet = load_workbook(binary, read_only=True).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == list(COLUMNS)
    assert [row[:2] for row in table[1:]] == [[r["candidate"], r["qualification"]] for r in read]


def test_export_cells_never_become_formulas(world: World) -> None:
    world.dan.candidate.__class__.objects.filter(pk=world.dan.candidate.pk).update(
        first_name="=HYPERLINK(1)"
    )
    rows = list(centre_progress_rows(world.user("carol"), world.north.pk, TODAY)[1])
    text = io.StringIO()
    progress_csv(rows, text)
    assert "'=HYPERLINK(1) Smith" in text.getvalue()


def count(fn: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()  # type: ignore[operator]
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_caseload(world: World) -> None:
    alice, carol = world.user("alice"), world.user("carol")
    grow_caseload(world, 1)  # 2 candidates for Alice
    reads = {
        "caseload": lambda: assessor_caseload(alice, TODAY),
        "queue": lambda: evidence_queue(alice, TODAY),
        "centre": lambda: centre_progress(carol, world.north.pk, TODAY),
    }
    for read in reads.values():
        read()  # warm the engine-spec cache
    small = {name: count(read) for name, read in reads.items()}
    grow_caseload(world, 18)  # 20 candidates for Alice
    assert len(assessor_caseload(alice, TODAY).rows.items) == 20
    assert len(evidence_queue(alice, TODAY).items.items) == 19
    large = {name: count(read) for name, read in reads.items()}
    assert large == small, (small, large)


def test_an_overdue_planned_activity_colours_the_caseload(world: World) -> None:
    """Assessment-plan activities count like unit target dates: one 40 days late turns red."""
    from assay.reviews.models import AssessmentPlan, Kind, PlannedActivity

    alice = world.user("alice")
    plan = AssessmentPlan.objects.create(
        registration=world.dan,
        kind=Kind.PLAN,
        met_on=dt.date(2012, 10, 1),
        summary="Observe complaint handling",
        created_by=alice,
    )
    late = dt.date(2013, 1, 20)
    PlannedActivity.objects.create(
        plan=plan,
        position=1,
        description="Observation",
        method="observation",
        targets=["401:1.1"],
        target_date=late,
    )
    PlannedActivity.objects.create(
        plan=plan,
        position=2,
        description="Done already",
        method="observation",
        targets=["401:1.2"],
        target_date=dt.date(2012, 11, 1),
        completed_on=dt.date(2012, 11, 1),
    )
    row = assessor_caseload(alice, TODAY).rows.items[0]
    assert row.rag.status is Rag.RED
    assert row.rag.reasons[0] == "planned activity target date 20/01/2013 passed 40 days ago"
    assert row.next_target == late


def test_proposals_on_a_signed_off_unit_leave_the_queue_until_it_is_reopened(world: World) -> None:
    from assay.portfolios.assessment import unit_reopen

    alice = world.user("alice")
    assert [q.mapping.pk for q in evidence_queue(alice, TODAY).mappings.items] == [world.mapping.pk]
    sign_off(alice, world.dan, "401")
    assert evidence_queue(alice, TODAY).mappings.items == []
    unit_reopen(by=world.user("linda"), registration=world.dan, unit="401", reason="Sampled")
    assert [q.mapping.pk for q in evidence_queue(alice, TODAY).mappings.items] == [world.mapping.pk]
