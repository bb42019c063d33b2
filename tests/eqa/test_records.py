"""External verification's chain: every visit, action point and sanction act is a record in
the centre's chain; ``assay records verify`` names a row changed, added or gone behind the
app's back; the people each act concerns are told."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.eqa.models import ActionPoint, Sanction, Visit
from assay.eqa.records import eqa_chain
from assay.eqa.services import action_point_done
from assay.notifications.models import Notification
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from tests.eqa.helpers import apply, lift, planned, visit
from tests.world import World

pytestmark = pytest.mark.django_db


def problems(world: World) -> list[str]:
    return [p.message for p in records_verify(eqa_chain(world.north.pk)).problems]


def acted(world: World) -> tuple[Visit, Sanction]:
    done = visit(world)
    action_point_done(by=world.user("linda"), point=done.action_points.get())
    sanction = lift(world, apply(world), dt.date(2013, 2, 10))
    return done, sanction


def test_every_act_is_chained_and_verifies(world: World) -> None:
    acted(world)
    kinds = list(
        ChainRecord.objects.filter(chain=eqa_chain(world.north.pk))
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == ["visit_recorded", "action_point_done", "sanction_applied", "sanction_lifted"]
    assert problems(world) == []


def test_a_completed_planned_visit_is_chained_too(world: World) -> None:
    from assay.eqa.services import ActionPointInput, visit_complete

    row = planned(world)
    visit_complete(
        by=world.user("eve"),
        visit=row,
        findings="Fine",
        risk="low",
        risk_reasons="Sound sampling",
        action_points=(ActionPointInput("File the minutes", "linda", dt.date(2013, 4, 1)),),
    )
    assert problems(world) == []
    Visit.objects.filter(pk=row.pk).update(risk="high")
    assert problems(world) == [f"visit {row.pk}: its risk is not the one recorded"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda v, s: Sanction.objects.filter(pk=s.pk).update(lifted_on=None), "lifted_on"),
        (
            lambda v, s: Sanction.objects.filter(pk=s.pk).update(level="action_plan"),
            "level",
        ),
        (lambda v, s: Visit.objects.filter(pk=v.pk).update(risk="low"), "risk"),
        (
            lambda v, s: ActionPoint.objects.filter(visit=v).update(done_at=None, done_by=None),
            "done_at",
        ),
        (
            lambda v, s: ActionPoint.objects.filter(visit=v).update(due_on=dt.date(2014, 1, 1)),
            "due_on",
        ),
    ],
)
def test_a_row_edited_behind_the_app_is_named(world: World, change, expected: str) -> None:
    done, sanction = acted(world)
    change(done, sanction)
    found = problems(world)
    assert found and all(f"its {expected}" in p or "done_by" in p for p in found), found
    assert any(f"its {expected} is not the one recorded" in p for p in found)


def test_a_sanction_written_past_the_app_is_named(world: World) -> None:
    """A sanction inserted straight into the table (or one whose record was cut off the tail
    of the chain) has no chained record: verify says so."""
    sneaked = Sanction.objects.create(
        centre=world.north,
        level="claims_suspended",
        reason="inserted by hand",
        applied_on=dt.date(2013, 2, 1),
        applied_by=world.user("eve"),
    )
    assert problems(world) == [f"sanction {sneaked.pk} has no chained record"]


def test_the_people_concerned_are_told(world: World) -> None:
    Notification.objects.all().delete()
    planned(world)
    leads = set(
        Notification.objects.filter(kind="eqa_visit").values_list("recipient__username", flat=True)
    )
    assert leads == {"carol", "linda"}  # the administrator and the lead IQA, not the EV
    carol = Notification.objects.filter(kind="eqa_visit", recipient__username="carol").get()
    assert "planned" in carol.text and carol.link == f"/centres/{world.north.pk}/eqa/"
    visit(world)
    owner = Notification.objects.get(kind="eqa_action_point")
    assert owner.recipient.username == "linda" and "Sample 401 again" in owner.body
    apply(world)
    told = Notification.objects.filter(kind="eqa_sanction")
    assert {n.recipient.username for n in told} == leads
    assert all("Sanction applied" in n.text for n in told)
