"""The database triggers of ``assay/progress/triggers.py``: whatever writes registrations, plan
units or progress rows — one at a time or many in one statement, with or without Django's
signals — every registration has its row, the row's copied columns follow the registration and
the candidate, and the kept counts equal a count of the rows. Runs on SQLite and PostgreSQL
(the CI's second pass), whose triggers differ."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.engines.progress import Rag
from assay.portfolios.models import EvidenceItem
from assay.progress import triggers
from assay.progress.caseload import assessor_caseload, centre_progress
from assay.progress.models import CaseloadTally, ProgressTally, RegistrationProgress
from assay.registrations.models import Candidate, PlanUnit, Registration, Status
from tests.caseload.conftest import assert_tallies_exact
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2013, 3, 1)
UNITS = ("401", "402", "403", "404")

act = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 1)),
    st.tuples(
        st.just("plan"),
        st.integers(0, 9),
        st.lists(st.tuples(st.sampled_from(UNITS), st.integers(0, 2)), max_size=4),
    ),
    st.tuples(st.just("unplan"), st.integers(0, 9), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("reassign"), st.integers(0, 9), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from(Status.values)),
    st.tuples(st.just("colour"), st.integers(0, 9), st.sampled_from([r.value for r in Rag])),
    st.tuples(st.just("move"), st.integers(0, 9)),
    st.tuples(st.just("rename"), st.integers(0, 9), st.sampled_from(["Ng", "Zed"])),
    st.tuples(st.just("delete"), st.integers(0, 9)),
)


def _apply(w: World, step: tuple[Any, ...], assessors: list[Any]) -> None:
    regs = list(Registration.objects.order_by("pk"))
    kind = step[0]
    if kind == "register":  # one statement, no signals, at either centre
        model = regs[0]
        Registration.objects.bulk_create(
            [
                Registration(
                    candidate=model.candidate,
                    centre=[w.north, w.south][step[1]],
                    qualification=model.qualification,
                    registered_on=model.registered_on,
                    end_date=model.end_date,
                    created_by=w.user("carol"),
                )
            ]
        )
        return
    if not regs:
        return
    reg = regs[step[1] % len(regs)]
    if kind == "plan":  # several units, several of one assessor, in one INSERT
        taken = set(PlanUnit.objects.filter(registration=reg).values_list("unit_number", flat=True))
        units = {u: a for u, a in step[2] if u not in taken}
        PlanUnit.objects.bulk_create(
            [
                PlanUnit(registration=reg, unit_number=u, assessor=assessors[a])
                for u, a in units.items()
            ]
        )
    elif kind == "unplan":  # every unit of one assessor, in one DELETE (with or without signals)
        found = PlanUnit.objects.filter(registration=reg, assessor=assessors[step[2]])
        if step[3]:
            found._raw_delete(found.db)
        else:
            found.delete()
    elif kind == "reassign":  # one UPDATE of several rows
        PlanUnit.objects.filter(registration=reg, assessor=assessors[step[2]]).update(
            assessor=assessors[step[3]]
        )
    elif kind == "status":
        Registration.objects.filter(pk=reg.pk).update(status=step[2])
    elif kind == "colour":  # as a recomputation or a recolouring writes it
        RegistrationProgress.objects.filter(pk=reg.pk).update(rag=step[2], dirty=False)
    elif kind == "move":
        Registration.objects.filter(pk=reg.pk).update(
            centre=w.south if reg.centre_id == w.north.pk else w.north
        )
    elif kind == "rename":
        Candidate.objects.filter(pk=reg.candidate_id).update(last_name=step[2])
    elif kind == "delete" and not EvidenceItem.objects.filter(registration=reg).exists():
        reg.delete()  # a cascade: its plan units and its row (records protect the others)


def _assert_consistent() -> None:
    assert_tallies_exact()
    regs = Registration.objects.select_related("candidate").order_by("pk")
    rows = RegistrationProgress.objects.in_bulk()
    assert set(rows) == {r.pk for r in regs}
    for r in regs:
        row = rows[r.pk]
        copied = (row.centre_id, row.status, row.registered_on, row.end_date, row.last_name)
        assert copied == (r.centre_id, r.status, r.registered_on, r.end_date, r.candidate.last_name)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(act, min_size=1, max_size=14))
def test_rows_and_counts_follow_every_write(world: World, steps: list[tuple[Any, ...]]) -> None:
    assessors = [world.user("alice"), world.user("arthur"), world.user("carol")]
    with transaction.atomic():
        for step in steps:
            _apply(world, step, assessors)
            _assert_consistent()
        transaction.set_rollback(True)


def test_an_assessor_counts_a_registration_once_however_many_units(world: World) -> None:
    alice = world.user("alice")
    reg = Registration.objects.filter(centre=world.north).order_by("pk").first()
    assert reg is not None
    PlanUnit.objects.filter(registration=reg).delete()
    before = _caseload_count(alice.pk, reg)
    PlanUnit.objects.bulk_create(
        [PlanUnit(registration=reg, unit_number=u, assessor=alice) for u in UNITS[:3]]
    )
    assert _caseload_count(alice.pk, reg) == before + 1
    PlanUnit.objects.filter(registration=reg, unit_number=UNITS[0]).delete()
    assert _caseload_count(alice.pk, reg) == before + 1
    PlanUnit.objects.filter(registration=reg).delete()
    assert _caseload_count(alice.pk, reg) == before


def _caseload_count(assessor: int, reg: Registration) -> int:
    row = RegistrationProgress.objects.get(pk=reg.pk)
    found = CaseloadTally.objects.filter(
        assessor_id=assessor, centre_id=row.centre_id, status=row.status, rag=row.rag
    ).first()
    return found.n if found else 0


def test_the_lists_counts_come_from_the_kept_counts(world: World) -> None:
    """Centre progress and the caseload show the kept counts: a count changed behind the
    rows' back shows (so the pages do not count rows), and equals the rows' own count."""
    _, listed = centre_progress(world.user("carol"), world.north.pk, TODAY)
    caseload = assessor_caseload(world.user("alice"), TODAY)
    assert_tallies_exact()
    assert listed.total == RegistrationProgress.objects.filter(centre=world.north).count()
    ProgressTally.objects.filter(centre=world.north).update(n=100)
    CaseloadTally.objects.filter(assessor=world.user("alice")).update(n=100)
    assert centre_progress(world.user("carol"), world.north.pk, TODAY)[1].total > listed.total
    assert assessor_caseload(world.user("alice"), TODAY).total > caseload.total
    with connection.cursor() as cursor:
        triggers.rebuild_tallies(cursor)
    assert centre_progress(world.user("carol"), world.north.pk, TODAY)[1].counts == listed.counts
    assert assessor_caseload(world.user("alice"), TODAY).counts == caseload.counts


def test_a_user_without_a_role_has_no_caseload_counts(world: World) -> None:
    stranger = get_user_model().objects.create(username="stranger")
    PlanUnit.objects.filter(assessor=world.user("alice")).update(assessor=stranger)
    assert assessor_caseload(stranger, TODAY).total == 0
    assert_tallies_exact()


@pytest.mark.django_db(transaction=True)
def test_a_flush_of_every_table_passes_the_triggers(world: World) -> None:
    """Browser tests empty every table between tests (SQLite: one DELETE per table, in any
    order, foreign keys checked at commit): the count triggers must not write rows that point
    at centres or users already deleted."""
    reg = Registration.objects.filter(centre=world.north).order_by("pk").first()
    assert reg is not None
    PlanUnit.objects.bulk_create(
        [PlanUnit(registration=reg, unit_number="499", assessor=world.user("arthur"))]
    )
    assert_tallies_exact()
    call_command("flush", interactive=False, verbosity=0)
    assert not ProgressTally.objects.exists() and not CaseloadTally.objects.exists()
