"""The evidence queue reads the maintained waiting mark (``EvidenceItem.waiting_since``, issue
12): after any sequence of acts the mark equals its definition derived from the files and
mappings, and the queue equals the query that derived everything from scratch (the one the
queue ran before the mark); the page query reads only marked items; the migration's backfill
derives the same marks."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.centres.models import Role
from assay.centres.people import competence_record
from assay.centres.services import membership_grant
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.assessment import mapping_decide, unit_reopen
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceFile,
    EvidenceItem,
    MappingStatus,
)
from assay.portfolios.services import evidence_add, mapping_propose
from assay.portfolios.waiting import waiting_refresh_all
from assay.progress.caseload import _assessed_by, evidence_queue
from assay.progress.completion import registration_transition
from assay.progress.materialise import OPEN
from assay.registrations.models import PlanUnit, Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from tests.caseload.conftest import attach, sign_off
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2013, 3, 1)
UNITS = ("401", "403")
TARGETS = ("1.1", "1.2", "1.3")
REASON = "The observation does not show this criterion being met"


def expected_marks() -> dict[int, dt.datetime | None]:
    """Every item's mark from scratch, in Python: the first upload unless a mapping is decided."""
    uploads: dict[int, list[dt.datetime]] = {}
    for item_id, at in EvidenceFile.objects.values_list("item_id", "uploaded_at"):
        uploads.setdefault(item_id, []).append(at)
    decided = set(
        CriterionMapping.objects.exclude(status=MappingStatus.PROPOSED).values_list(
            "item_id", flat=True
        )
    )
    return {
        pk: None if pk in decided or pk not in uploads else min(uploads[pk])
        for pk in EvidenceItem.objects.values_list("pk", flat=True)
    }


def scratch_queue(user: Any) -> tuple[list[tuple[int, dt.datetime]], list[tuple[int, Any]]]:
    """The queue's two lists, whole, as the queue derived them before the mark (every item's
    files and mappings examined): proposals by (proposed_at, pk), items by (first upload, pk)."""
    mine = Registration.objects.filter(_assessed_by(user), status__in=OPEN).values("pk")
    my_unit = PlanUnit.objects.filter(
        registration_id=OuterRef("item__registration_id"),
        unit_number=OuterRef("unit_number"),
        assessor_id=user.pk,
    )
    unit_state = (
        Decision.objects.filter(
            registration_id=OuterRef("item__registration_id"),
            unit_number=OuterRef("unit_number"),
            kind__in=[DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED],
        )
        .order_by("-seq")
        .values("kind")[:1]
    )
    proposals = (
        CriterionMapping.objects.filter(status=MappingStatus.PROPOSED, item__registration__in=mine)
        .filter(Exists(my_unit))
        .annotate(unit_state=Subquery(unit_state))
        .filter(Q(unit_state__isnull=True) | Q(unit_state=DecisionKind.UNIT_REOPENED))
        .order_by("proposed_at", "pk")
    )
    decided = CriterionMapping.objects.filter(item_id=OuterRef("pk")).exclude(
        status=MappingStatus.PROPOSED
    )
    first_upload = (
        EvidenceFile.objects.filter(item_id=OuterRef("pk"))
        .order_by("uploaded_at", "pk")
        .values("uploaded_at")[:1]
    )
    items: QuerySet[EvidenceItem, tuple[int, Any]] = (
        EvidenceItem.objects.filter(registration__in=mine)
        .filter(Exists(EvidenceFile.objects.filter(item_id=OuterRef("pk"))))
        .exclude(Exists(decided))
        .annotate(first_upload=Subquery(first_upload))
        .order_by("first_upload", "pk")
        .values_list("pk", "first_upload")
    )
    return list(proposals.values_list("pk", "proposed_at")), list(items)


def walked(user: Any, size: int) -> tuple[list[tuple[int, dt.datetime]], list[tuple[int, Any]]]:
    """Both lists of ``evidence_queue`` read page after page by their own cursors."""
    mappings: list[tuple[int, dt.datetime]] = []
    cursor: str | None = None
    while True:
        page = evidence_queue(user, TODAY, size=size, mapping_cursor=cursor).mappings
        mappings += [(q.mapping.pk, q.since) for q in page.items]
        if not (cursor := page.next):
            break
    items: list[tuple[int, Any]] = []
    while True:
        page = evidence_queue(user, TODAY, size=size, item_cursor=cursor).items
        items += [(q.item.pk, q.since) for q in page.items]
        if not (cursor := page.next):
            return mappings, items


def abe(w: World) -> Any:
    """A second assessor at Northgate, in time for A1 (Arthur is past his deadline)."""
    carol = w.user("carol")
    user = get_user_model().objects.create_user("abe")
    membership_grant(by=carol, centre=w.north, user=user, role=Role.ASSESSOR)
    competence_record(
        by=carol,
        centre=w.north,
        user=user,
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2012, 10, 1),
    )
    return user


@dataclass
class Cast:
    """Dan (401 Alice, 403 Abe) and Dora (401 Abe) with their candidate accounts."""

    w: World
    regs: list[Registration]
    abe: Any

    @classmethod
    def of(cls, w: World) -> Cast:
        carol, alice, arthur = w.user("carol"), w.user("alice"), abe(w)
        plan_set(
            by=carol,
            registration=w.dan,
            units=[
                PlanUnitInput("401", alice.pk, dt.date(2013, 6, 30)),
                PlanUnitInput("403", arthur.pk, dt.date(2013, 6, 30)),
            ],
        )
        plan_set(
            by=carol,
            registration=w.dora,
            units=[PlanUnitInput("401", arthur.pk, dt.date(2013, 6, 30))],
        )
        return cls(w, [w.dan, w.dora], arthur)

    def candidate(self, reg: Registration) -> Any:
        return self.w.user("dan" if reg.pk == self.w.dan.pk else "dora")

    def assessor(self, reg: Registration, unit: str) -> Any:
        unit_row = PlanUnit.objects.filter(registration=reg, unit_number=unit).first()
        if unit_row is None:
            raise InvalidInput({"unit": f"unit {unit} is not on the plan"})
        return unit_row.assessor


acts = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1)),
        st.tuples(st.just("upload"), st.integers(0, 20)),
        st.tuples(
            st.just("propose"),
            st.integers(0, 20),
            st.sampled_from(UNITS),
            st.sampled_from(TARGETS),
        ),
        st.tuples(st.just("decide"), st.integers(0, 20), st.booleans()),
        st.tuples(st.just("sign_off"), st.integers(0, 1), st.sampled_from(UNITS)),
        st.tuples(st.just("reopen"), st.integers(0, 1), st.sampled_from(UNITS)),
        st.tuples(st.just("close"), st.integers(0, 1)),
    ),
    max_size=14,
)


def perform(cast: Cast, act: tuple[Any, ...]) -> None:
    kind = act[0]
    items = list(EvidenceItem.objects.order_by("pk"))
    mappings = list(CriterionMapping.objects.order_by("pk"))
    if kind == "add":
        reg = cast.regs[act[1]]
        evidence_add(
            by=cast.candidate(reg),
            registration=reg,
            method="product",
            started_on=dt.date(2013, 2, 1),
            description="Complaint log",
            context="real_job",
        )
    elif kind == "upload":
        item = items[act[1] % len(items)]
        attach(cast.candidate(item.registration), item)
    elif kind == "propose":
        item = items[act[1] % len(items)]
        mapping_propose(by=cast.candidate(item.registration), item=item, unit=act[2], target=act[3])
    elif kind == "decide" and mappings:
        mapping = mappings[act[1] % len(mappings)]
        by = cast.assessor(mapping.item.registration, mapping.unit_number)
        mapping_decide(by=by, mapping=mapping, confirm=act[2], reason="" if act[2] else REASON)
    elif kind == "sign_off":
        reg, unit = cast.regs[act[1]], act[2]
        sign_off(cast.assessor(reg, unit), reg, unit)
    elif kind == "reopen":
        unit_reopen(
            by=cast.w.user("linda"), registration=cast.regs[act[1]], unit=act[2], reason=REASON
        )
    elif kind == "close":
        registration_transition(
            by=cast.w.user("carol"),
            registration=Registration.objects.get(pk=cast.regs[act[1]].pk),
            to="withdrawn",
            reason="moved",
            confirmed=True,
        )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acts=acts)
def test_the_mark_and_the_queue_follow_any_sequence_of_acts(world: World, acts: list[Any]) -> None:
    with transaction.atomic():
        cast = Cast.of(world)
        people = [cast.abe] + [world.user(n) for n in ("alice", "arthur", "carol", "dan")]
        for act in acts:
            try:
                with transaction.atomic():
                    perform(cast, act)
            except (InvalidInput, NotAllowed):
                pass  # a refused act changes nothing
            marks = dict(EvidenceItem.objects.values_list("pk", "waiting_since"))
            assert marks == expected_marks(), act
        for user in people:
            proposals, items = scratch_queue(user)
            whole = evidence_queue(user, TODAY, size=200)
            assert [(q.mapping.pk, q.since) for q in whole.mappings.items] == proposals
            assert [(q.item.pk, q.since) for q in whole.items.items] == items
            assert [q.proposals for q in whole.items.items] == [
                CriterionMapping.objects.filter(item=q.item, status=MappingStatus.PROPOSED).count()
                for q in whole.items.items
            ]
            assert walked(user, 1) == (proposals, items)
        transaction.set_rollback(True)


def test_an_item_without_the_mark_is_not_read(world: World) -> None:
    """The page query selects on the mark (by its partial index), not on the item's files and
    mappings: an unmarked item with a file and nothing decided is not listed. (Before the mark
    the queue examined every item of the assessor's registrations and listed this one.)"""
    alice = world.user("alice")
    attach(alice, world.item)
    assert [q.item.pk for q in evidence_queue(alice, TODAY).items.items] == [world.item.pk]
    EvidenceItem.objects.filter(pk=world.item.pk).update(waiting_since=None)
    with CaptureQueriesContext(connection) as captured:
        assert evidence_queue(alice, TODAY).items.items == []
    (sql,) = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "portfolios_evidenceitem"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert '"portfolios_evidenceitem"."waiting_since" IS NOT NULL' in sql
    assert "portfolios_evidencefile" not in sql  # no file is looked at
    assert "portfolios_criterionmapping" not in sql  # nor any mapping


def test_the_queue_keeps_its_denials(world: World) -> None:
    """Marked items of someone else's registration, or of a closed one, are not mine."""
    alice, arthur = world.user("alice"), abe(world)
    attach(alice, world.item)
    assert world.item.pk in [q.item.pk for q in evidence_queue(alice, TODAY).items.items]
    for user in [arthur] + [world.user(n) for n in ("arthur", "carol", "ian", "dan", "sue")]:
        queue = evidence_queue(user, TODAY)
        assert queue.items.items == [] and queue.mappings.items == [], user
    plan_set(
        by=world.user("carol"),
        registration=world.dan,
        units=[PlanUnitInput("401", arthur.pk, dt.date(2013, 6, 30))],
    )
    assert evidence_queue(alice, TODAY).items.items == []
    assert [q.item.pk for q in evidence_queue(arthur, TODAY).items.items] == [world.item.pk]


def test_the_backfill_derives_every_mark(world: World) -> None:
    """The migration's backfill (on the current models here) gives every item its definition."""
    alice = world.user("alice")
    decided = evidence_add(
        by=world.user("dan"),
        registration=world.dan,
        method="product",
        started_on=dt.date(2013, 2, 1),
        description="Complaint log",
        context="real_job",
    )
    attach(alice, world.item)
    attach(alice, world.item, "second.txt")
    attach(alice, decided)
    mapping_decide(
        by=alice,
        mapping=mapping_propose(by=world.user("dan"), item=decided, unit="401", target="1.2"),
        confirm=True,
    )
    want = expected_marks()
    assert want[world.item.pk] is not None and want[decided.pk] is None
    EvidenceItem.objects.update(waiting_since=None)  # the new column, before the backfill
    EvidenceItem.objects.filter(pk=decided.pk).update(
        waiting_since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    migration = importlib.import_module("assay.portfolios.migrations.0006_evidence_queue_waiting")
    migration.backfill(django_apps, None)
    assert dict(EvidenceItem.objects.values_list("pk", "waiting_since")) == want
    EvidenceItem.objects.update(waiting_since=None)
    assert waiting_refresh_all() == len(want)
    assert dict(EvidenceItem.objects.values_list("pk", "waiting_since")) == want
