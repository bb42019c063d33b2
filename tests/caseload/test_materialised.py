"""The materialised progress rows (ADR 0014): after every act that changes a registration's
figures the pages show exactly what a from-scratch recomputation gives (materialised ==
recomputed); paging, filters and cursors keep each person to their own candidates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.accounts.services import token_create
from assay.cli.main import main
from assay.engines.progress import Rag
from assay.errors import InvalidInput
from assay.keyset import BAD_CURSOR
from assay.portfolios.assessment import criterion_judge, mapping_decide, unit_reopen
from assay.portfolios.models import CriterionMapping
from assay.portfolios.services import evidence_add, mapping_propose
from assay.progress.caseload import assessor_caseload, centre_progress
from assay.progress.completion import registration_extend, registration_transition
from assay.progress.materialise import refresh_progress
from assay.progress.models import ProgressTally, RegistrationProgress
from assay.registrations.bulk import bulk_import_ids, read_rows
from assay.registrations.expiry import registrations_expire
from assay.registrations.models import Candidate, PlanUnit, Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.plans_bulk import plans_set_many
from assay.registrations.prior_learning import credit_transfer_record, rpl_decide
from assay.reviews.services import ActivityInput, PlanInput, activity_complete, plan_create
from tests.caseload.conftest import assert_tallies_exact, grow_caseload, sign_off
from tests.registrations.helpers import csv_bytes
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2013, 3, 1)


def shown(w: World, today: dt.date = TODAY) -> list[tuple[Any, ...]]:
    """Every figure of Northgate's progress rows as the centre administrator's page shows them."""
    _, listed = centre_progress(w.user("carol"), w.north.pk, today, size=200)
    return [
        (
            r.registration.pk,
            r.criteria_met,
            r.criteria_planned,
            r.units_signed_off,
            r.units_planned,
            r.next_target,
            r.rag,
            r.not_assessable,
        )
        for r in listed.rows
    ] + [("counts", listed.counts)]


def assert_current(w: World, today: dt.date = TODAY) -> list[tuple[Any, ...]]:
    """What the page shows now equals what it shows after every row is recomputed from
    scratch; returns it."""
    materialised = shown(w, today)
    refresh_progress(today=today)
    assert materialised == shown(w, today)
    assert_tallies_exact()
    return materialised


def dan_shown(w: World, rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return next(r for r in rows if r[0] == w.dan.pk)


def dan_row(w: World) -> RegistrationProgress:
    return RegistrationProgress.objects.get(pk=w.dan.pk)


def _judge(w: World) -> None:
    alice = w.user("alice")
    mapping_decide(by=alice, mapping=w.mapping, confirm=True)
    criterion_judge(by=alice, registration=w.dan, unit="401", criterion="1.1", met=True)


def _reject(w: World) -> None:
    mapping_decide(by=w.user("alice"), mapping=w.mapping, confirm=False, reason="Not this one")


def _sign_off(w: World) -> None:
    sign_off(w.user("alice"), w.dan, "401")


def _reopen(w: World) -> None:
    sign_off(w.user("alice"), w.dan, "401")
    assert dan_shown(w, assert_current(w))[6].status is Rag.COMPLETE
    unit_reopen(by=w.user("linda"), registration=w.dan, unit="401", reason="Sampled: redo 1.2")


def _credit(w: World) -> None:
    credit_transfer_record(
        by=w.user("carol"), registration=w.dan, unit="401", certificate_reference="CG-123"
    )


def _rpl(w: World) -> None:
    rpl_decide(by=w.user("alice"), claim=w.claim, accept=True)


def _plan_add(w: World) -> None:
    alice = w.user("alice").pk
    plan_set(
        by=w.user("carol"),
        registration=w.dan,
        units=[
            PlanUnitInput("401", alice, dt.date(2013, 6, 30)),
            PlanUnitInput("403", alice, dt.date(2013, 3, 10)),
        ],
        internal_verifier_id=w.user("ian").pk,
    )


def _plan_remove(w: World) -> None:
    _plan_add(w)
    assert_current(w)
    plan_set(by=w.user("carol"), registration=w.dan, units=[], internal_verifier_id=None)


def _plan_target(w: World) -> None:
    unit = PlanUnit.objects.get(registration=w.dan, unit_number="401")
    unit.target_date = dt.date(2013, 1, 12)
    unit.save()


def _activity(w: World) -> None:
    plan_create(
        by=w.user("alice"),
        registration=w.dan,
        data=PlanInput(
            kind="plan",
            met_on=dt.date(2013, 1, 2),
            summary="Observe the returns briefing",
            activities=(
                ActivityInput("Observation", "observation", ("401:1.1",), dt.date(2013, 1, 20)),
            ),
        ),
    )


def _activity_done(w: World) -> None:
    _activity(w)
    assert dan_shown(w, assert_current(w))[6].status is Rag.RED  # 20/01/2013: 40 days late
    activity = w.dan.assessment_plans.get().activities.get()
    activity_complete(by=w.user("alice"), activity=activity, on=dt.date(2013, 2, 1))


def _withdraw(w: World) -> None:
    registration_transition(
        by=w.user("carol"), registration=w.dan, to="withdrawn", reason="moved", confirmed=True
    )


def _extend(w: World) -> None:
    registration_extend(
        by=w.user("carol"), registration=w.dan, new_end=dt.date(2015, 3, 1), reason="Illness"
    )


def _expire(w: World) -> None:
    # registrations_expire writes with queryset.update and sends progress_inputs_changed.
    registrations_expire(by=w.user("carol"), today=dt.date(2014, 10, 1))


def _evidence(w: World) -> None:
    item = evidence_add(
        by=w.user("dan"),
        registration=w.dan,
        method="product",
        started_on=dt.date(2013, 2, 10),
        description="Complaint log",
        context="real_job",
    )
    mapping = mapping_propose(by=w.user("dan"), item=item, unit="401", target="1.2")
    mapping_decide(by=w.user("alice"), mapping=mapping, confirm=True)
    criterion_judge(by=w.user("alice"), registration=w.dan, unit="401", criterion="1.2", met=True)


def _bulk_import(w: World) -> list[int]:
    """A learner registered by a file: bulk inserts send no model signal."""
    rows = read_rows(
        csv_bytes([["Ivy", "Irwin", "1990-01-01", "", "paid", "4430-04", "2013-02-01", ""]]),
        name="rows.csv",
    )
    return bulk_import_ids(by=w.user("carol"), centre=w.north, rows=rows)


def _bulk_plans(w: World) -> None:
    """A cohort's first plans set in bulk (plans_set_many): nothing was planned before, so
    no plan unit is deleted (whose signal would mark the row) — the bulk write must say so."""
    (ivy,) = _bulk_import(w)
    assert_current(w)
    alice = w.user("alice").pk
    plans_set_many(
        by=w.user("carol"),
        centre=w.north,
        plans=[(ivy, [PlanUnitInput("401", alice, dt.date(2013, 6, 30))])],
    )


def _content(w: World) -> None:
    """The qualification's specification content changed in place (an administrator's repair):
    unit 401 loses a criterion, so every registration on it is planned one criterion fewer."""
    spec = Registration.objects.select_related("qualification__spec").get(pk=w.dan.pk)
    spec_file = spec.qualification.spec
    content = spec_file.content
    for unit in content["units"]:
        if str(unit["number"]) == "401":
            outcome = next(o for o in unit["outcomes"] if o.get("criteria"))
            outcome["criteria"] = outcome["criteria"][:-1]
    spec_file.content = content
    spec_file.sha256 = "0" * 64  # a different content hash: engine caches are keyed by it
    spec_file.save()


ACTS: dict[str, Callable[[World], None]] = {
    "judge criterion": _judge,
    "reject mapping": _reject,
    "sign off": _sign_off,
    "reopen": _reopen,
    "credit transfer": _credit,
    "rpl decision": _rpl,
    "plan unit added": _plan_add,
    "plan unit removed": _plan_remove,
    "plan target changed": _plan_target,
    "activity target": _activity,
    "activity completed": _activity_done,
    "status changed": _withdraw,
    "period extended": _extend,
    "registrations expired": _expire,
    "evidence judged": _evidence,
    "content changed": _content,
    "bulk import": _bulk_import,
    "bulk plans": _bulk_plans,
}
# Acts that leave the figures as they were (they must still be shown right); reopening and
# completing the activity undo the step before them, which changed the figures.
UNCHANGED = {"rpl decision", "reject mapping", "reopen", "activity completed"}


@pytest.mark.parametrize("act", list(ACTS))
def test_every_act_leaves_the_page_equal_to_a_recomputation(world: World, act: str) -> None:
    today = dt.date(2014, 10, 1) if act == "registrations expired" else TODAY
    before = assert_current(world, today)
    assert not RegistrationProgress.objects.filter(dirty=True).exists()
    ACTS[act](world)
    after = assert_current(world, today)
    assert (after == before) is (act in UNCHANGED), act


def test_the_page_shows_the_recomputed_figures_of_each_act(world: World) -> None:
    _plan_target(world)
    assert dan_shown(world, shown(world))[6].status is Rag.RED  # 12/01/2013: 48 days late
    _judge(world)
    row = dan_row(world)
    assert (row.criteria_met, row.dirty) == (0, True)  # marked in the act, not recomputed
    assert dan_shown(world, shown(world))[1] == 1 and not dan_row(world).dirty


def test_a_new_registration_comes_with_a_dirty_row(world: World) -> None:
    [extra] = grow_caseload(world, 1)
    row = RegistrationProgress.objects.get(pk=extra.pk)
    assert (row.dirty, row.centre_id, row.last_name) == (True, world.north.pk, "Bulk")
    assert extra.pk in [r[0] for r in assert_current(world)]
    assert not RegistrationProgress.objects.get(pk=extra.pk).dirty


def test_a_renamed_candidate_moves_in_the_name_order(world: World) -> None:
    shown(world)
    candidate = Candidate.objects.get(pk=world.dan.candidate_id)
    candidate.last_name = "Aardvark"
    candidate.save()
    assert dan_row(world).dirty
    shown(world)
    assert dan_row(world).last_name == "Aardvark"


def test_the_colour_is_recoloured_when_its_validity_ends_without_reading_coverage(
    world: World,
) -> None:
    first = assert_current(world)
    row = dan_row(world)
    assert row.rag == "amber" and row.rag_from == TODAY and row.rag_until is not None
    later = row.rag_until + dt.timedelta(days=1)
    again = shown(world, later)
    assert again != first
    recoloured = dan_row(world)
    assert (recoloured.rag_from, recoloured.computed_at) == (later, row.computed_at)
    assert recoloured.rag_rank < row.rag_rank  # worse with time
    assert_current(world, later)
    # A day before the stored colour's first day (a clock pinned earlier) recolours too.
    assert_current(world, TODAY)


def test_a_registration_written_without_signals_has_its_row_at_once(world: World) -> None:
    """bulk_create sends no post_save: the database trigger still gives the registration its
    row (dirty, the candidate's name copied), so no list or count ever misses it."""
    reg = grow_caseload(world, 1)[0]
    clone = Registration.objects.bulk_create(
        [
            Registration(
                candidate=reg.candidate,
                centre=reg.centre,
                qualification=reg.qualification,
                registered_on=reg.registered_on,
                end_date=reg.end_date,
                created_by=world.user("carol"),
            )
        ]
    )[0]
    row = RegistrationProgress.objects.get(pk=clone.pk)
    assert (row.dirty, row.last_name, row.status) == (True, "Bulk", clone.status)
    assert clone.pk in [r[0] for r in assert_current(world)]


def test_cli_refresh(world: World) -> None:
    runner = CliRunner()
    ProgressTally.objects.update(n=7)  # counts broken behind the triggers' back are rebuilt
    result = runner.invoke(main, ["progress", "refresh", "--centre", "0042"])
    assert (result.exit_code, result.stdout) == (0, "refreshed 2 registration(s)\n")
    assert not RegistrationProgress.objects.filter(dirty=True).exists()
    assert_tallies_exact()
    result = runner.invoke(main, ["progress", "refresh", "--centre", "9999"])
    assert (result.exit_code, result.stderr) == (2, "assay: error: no centre '9999'\n")
    result = runner.invoke(main, ["progress", "refresh"])
    assert result.exit_code == 0 and result.stdout.startswith("refreshed ")


# --- paging, filters, cursors and their denials ------------------------------------------------


def test_pages_walk_the_whole_list_in_order_forwards_and_back(world: World) -> None:
    alice = world.user("alice")
    grow_caseload(world, 4)
    whole = [r.registration.pk for r in assessor_caseload(alice, TODAY, size=200).rows]
    seen, cursor, pages = [], None, []
    while True:
        listed = assessor_caseload(alice, TODAY, cursor=cursor, size=2)
        pages.append(listed.rows)
        seen += [r.registration.pk for r in listed.rows]
        assert listed.total == 5
        if listed.rows.next is None:
            break
        cursor = listed.rows.next
    assert seen == whole and len(pages) == 3
    back = assessor_caseload(alice, TODAY, cursor=pages[-1].previous, size=2).rows
    assert [r.registration.pk for r in back] == [r.registration.pk for r in pages[1]]


def test_filters_narrow_and_count_per_colour(world: World) -> None:
    carol = world.user("carol")
    _, listed = centre_progress(carol, world.north.pk, TODAY)
    assert listed.counts == {"red": 0, "amber": 2, "green": 0, "complete": 0, "closed": 0}
    _withdraw(world)
    _, closed = centre_progress(carol, world.north.pk, TODAY, rag="closed")
    assert [r.registration.pk for r in closed.rows] == [world.dan.pk]
    assert closed.counts["closed"] == 1 and closed.counts["amber"] == 1
    _, registered = centre_progress(carol, world.north.pk, TODAY, status="registered")
    assert [r.registration.pk for r in registered.rows] == [world.dora.pk]
    for bad in ({"rag": "purple"}, {"status": "asleep"}, {"size": 0}, {"cursor": "x"}):
        with pytest.raises(InvalidInput):
            centre_progress(carol, world.north.pk, TODAY, **bad)  # type: ignore[arg-type]


def test_a_cursor_from_someone_elses_list_gives_no_foreign_rows(world: World) -> None:
    carol, alice, arthur = world.user("carol"), world.user("alice"), world.user("arthur")
    grow_caseload(world, 3)
    _, hers = centre_progress(carol, world.north.pk, TODAY, size=1)
    assert hers.rows.next is not None
    # Alice pages with the administrator's cursor: still only her own candidates.
    _, mine = centre_progress(alice, world.north.pk, TODAY, cursor=hers.rows.next, size=50)
    assert world.dora.pk not in [r.registration.pk for r in mine.rows]
    caseload = assessor_caseload(alice, TODAY, size=1)
    theirs = assessor_caseload(arthur, TODAY, cursor=caseload.rows.next, size=50)
    assert theirs.rows.items == [] and theirs.total == 0


def test_bad_cursor_and_filters_are_400_on_pages_in_the_api_a_cursor_400_a_filter_422(
    world: World,
) -> None:
    page = Client()
    page.force_login(world.user("carol"))
    url = f"/centres/{world.north.pk}/progress/"
    for query in ("?cursor=forged", "?size=0", "?rag=purple", "?status=asleep"):
        response = page.get(url + query)
        assert response.status_code == 400, query
    assert BAD_CURSOR in page.get(url + "?cursor=forged").content.decode().lower()
    mine = Client()
    mine.force_login(world.user("alice"))
    assert mine.get("/caseload/?cursor=forged").status_code == 400
    assert mine.get("/caseload/?mcursor=forged").status_code == 400
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.user('carol'), name='t')[1]}")
    # Every API list answers an edited or foreign page link 400 bad_request; a bad filter 422.
    answer = api.get(f"/api/v1/centres/{world.north.pk}/progress?cursor=forged")
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_request")
    for query in ("?rag=purple", "?status=asleep"):
        answer = api.get(f"/api/v1/centres/{world.north.pk}/progress{query}")
        assert answer.status_code == 422, query
    assert api.get("/api/v1/caseload?cursor=forged").status_code == 400
    assert api.get("/api/v1/caseload/queue?item_cursor=forged").status_code == 400


def test_the_api_pages_with_counts(world: World) -> None:
    grow_caseload(world, 2)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.user('carol'), name='t')[1]}")
    first = api.get(f"/api/v1/centres/{world.north.pk}/progress?size=2").json()
    assert len(first["items"]) == 2 and first["next"] and first["previous"] is None
    assert first["counts"]["amber"] + first["counts"]["red"] == 4 and first["size"] == 2
    rest = api.get(f"/api/v1/centres/{world.north.pk}/progress?size=2&cursor={first['next']}")
    ids = [r["registration_id"] for r in first["items"] + rest.json()["items"]]
    assert len(set(ids)) == 4


def test_the_queue_pages_each_list(world: World) -> None:
    alice = world.user("alice")
    grow_caseload(world, 3)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=alice, name='t')[1]}")
    first = api.get("/api/v1/caseload/queue?size=2").json()
    assert len(first["mappings"]["items"]) == 2 and first["mappings"]["next"]
    assert len(first["items"]["items"]) == 2
    more = api.get(f"/api/v1/caseload/queue?size=2&mapping_cursor={first['mappings']['next']}")
    ids = {m["mapping_id"] for m in first["mappings"]["items"] + more.json()["mappings"]["items"]}
    proposed = CriterionMapping.objects.filter(status="proposed").count()
    assert len(ids) == proposed == 4


def test_the_api_export_streams_every_row_the_caller_may_see(world: World) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    grow_caseload(world, 3)

    def client(name: str) -> Client:
        return Client(
            HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.user(name), name='t')[1]}"
        )

    url = f"/api/v1/centres/{world.north.pk}/progress/export"
    answer = client("carol").get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert len(rows) == 5 and "Dora Smith" in {r["candidate"] for r in rows}
    mine = client("alice").get(url)
    names = {
        r["candidate"]
        for r in csv.DictReader(io.StringIO(b"".join(mine.streaming_content).decode()))
    }
    assert "Dora Smith" not in names and "Dan Smith" in names
    xlsx = client("carol").get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).worksheets[
        0
    ]
    assert len(list(sheet.iter_rows(values_only=True))) == 6
    assert client("sue").get(url).status_code == 404
    assert client("carol").get(url + "?format=pdf").status_code == 422


def test_the_web_pages_link_the_next_page_and_the_colour_filters(world: World) -> None:
    import re

    grow_caseload(world, 2)
    page = Client()
    page.force_login(world.user("carol"))
    url = f"/centres/{world.north.pk}/progress/"
    first = page.get(url + "?size=2").content.decode()
    assert 'data-count="all">4<' in first and 'href="?rag=amber"' in first
    found = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', first)
    assert found is not None
    second = page.get(url + found.group(1).replace("&amp;", "&")).content.decode()
    shown_first = set(re.findall(r'data-registration="(\d+)"', first))
    shown_second = set(re.findall(r'data-registration="(\d+)"', second))
    assert len(shown_first) == len(shown_second) == 2 and not shown_first & shown_second
    alice = Client()
    alice.force_login(world.user("alice"))
    mine = alice.get("/caseload/?size=1").content.decode()
    assert 'rel="next"' in mine and len(re.findall(r'data-registration="', mine)) == 1
