"""Who may record visits, mark action points done and apply or lift sanctions; bad input
changes nothing; risk and direct claims status; an overdue external verifier is not
allocated a centre."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.centres.models import Membership, Role
from assay.centres.people import competence_record
from assay.centres.services import membership_grant
from assay.eqa.access import eqa_access
from assay.eqa.models import ActionPoint, Sanction, Visit
from assay.eqa.selectors import direct_claims_of, risk_of
from assay.eqa.services import (
    ActionPointInput,
    action_point_done,
    sanction_apply,
    sanction_lift,
)
from assay.errors import InvalidInput, NotAllowed, NotFound
from tests.eqa.helpers import FEB, REASON, apply, lift, visit
from tests.world import World

pytestmark = pytest.mark.django_db

NOT_EV = ["carol", "linda", "evan", "sue", "dan", "alice", "ian", "tom", "sam"]


def state() -> tuple[int, int, list[tuple[object, ...]]]:
    rows = list(Sanction.objects.values_list("pk", "lifted_on", "lift_reason"))
    return Visit.objects.count(), ActionPoint.objects.count(), rows


@pytest.mark.parametrize("name", NOT_EV)
def test_only_the_allocated_ev_acts(world: World, name: str) -> None:
    sanction = apply(world)
    before = state()
    with pytest.raises(NotAllowed, match="only an external verifier allocated"):
        apply(world, by=name)
    with pytest.raises(NotAllowed):
        lift(world, sanction, dt.date(2013, 2, 20), by=name)
    with pytest.raises(NotAllowed):
        visit(world, by=name)
    assert state() == before


def test_readers_and_the_rest(world: World) -> None:
    for name in ("eve", "carol", "linda", "sam"):
        assert eqa_access(world.user(name), world.north.pk).centre == world.north
    assert eqa_access(world.user("eve"), world.north.pk).can_act
    assert eqa_access(world.user("carol"), world.north.pk).can_mark_done
    assert not eqa_access(world.user("sam"), world.north.pk).can_act
    for name in ("evan", "sue", "dan", "alice", "ian", "iris", "tom", "ed", "nina"):
        with pytest.raises(NotFound):
            eqa_access(world.user(name), world.north.pk)


def test_action_point_done_by_the_centre_once(world: World) -> None:
    (point,) = visit(world).action_points.all()
    for name in ("eve", "alice", "sue", "dan"):
        with pytest.raises(NotAllowed):
            action_point_done(by=world.user(name), point=point)
    done = action_point_done(by=world.user("linda"), point=point)
    assert done.done_by == world.user("linda") and done.done_at is not None
    with pytest.raises(InvalidInput, match="already marked done"):
        action_point_done(by=world.user("carol"), point=point)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": "\u200b\u200b"}, "reason"),
        ({"reason": "bad \x07 bell"}, "reason"),
        ({"applied_on": dt.date(2613, 2, 1)}, "applied_on"),
        ({"applied_on": dt.date(1613, 2, 1)}, "applied_on"),
        ({"level": "shouting"}, "level"),
        ({"qualification_code": "NOPE-1"}, "qualification_code"),
        ({"confirmed": False}, "confirm"),
    ],
)
def test_bad_sanction_input_changes_nothing(world: World, changes: dict, field: str) -> None:
    data = {
        "level": "registrations_suspended",
        "reason": REASON,
        "applied_on": FEB,
        "qualification_code": "",
        "confirmed": True,
        **changes,
    }
    before = state()
    with pytest.raises(InvalidInput) as bad:
        sanction_apply(by=world.user("eve"), centre=world.north, **data)
    assert field in bad.value.errors
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": " \u2060 "}, "reason"),
        ({"lifted_on": dt.date(2913, 1, 1)}, "lifted_on"),
        ({"lifted_on": dt.date(2013, 1, 31)}, "lifted_on"),
        ({"confirmed": False}, "confirm"),
    ],
)
def test_bad_lift_changes_nothing(world: World, changes: dict, field: str) -> None:
    sanction = apply(world)
    data = {"lifted_on": dt.date(2013, 2, 20), "reason": "Records found", "confirmed": True}
    before = state()
    with pytest.raises(InvalidInput) as bad:
        sanction_lift(by=world.user("eve"), sanction=sanction, **{**data, **changes})
    assert field in bad.value.errors
    assert state() == before


def test_a_lift_is_recorded_once_with_who_when_why(world: World) -> None:
    sanction = lift(world, apply(world), dt.date(2013, 2, 20))
    assert (sanction.lifted_on, sanction.lifted_by, sanction.lift_reason) == (
        dt.date(2013, 2, 20),
        world.user("eve"),
        "Records found",
    )
    assert sanction.lifted_at is not None and sanction.reason == REASON
    with pytest.raises(InvalidInput, match="already"):
        lift(world, sanction, dt.date(2013, 2, 25))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on": dt.date(2713, 2, 20)}, "on"),
        ({"on": dt.date(2013, 3, 2)}, "on"),  # done, but after today
        ({"mode": "carrier pigeon"}, "mode"),
        ({"findings": "  "}, "findings"),
        ({"risk": ""}, "risk"),
        ({"risk_reasons": "\u200b"}, "risk_reasons"),
        ({"status": "planned"}, "status"),  # findings on a planned visit
        (
            {"action_points": (ActionPointInput("Do it", "sue", dt.date(2013, 4, 1)),)},
            "action_points.1.owner",
        ),
        (
            {"action_points": (ActionPointInput(" ", "linda", dt.date(2013, 4, 1)),)},
            "action_points.1.text",
        ),
        (
            {"action_points": (ActionPointInput("Do it", "linda", dt.date(2013, 1, 1)),)},
            "action_points.1.due_on",
        ),
        (
            {"action_points": (ActionPointInput("Do it", "linda", dt.date(3013, 1, 1)),)},
            "action_points.1.due_on",
        ),
    ],
)
def test_bad_visit_input_changes_nothing(world: World, changes: dict, field: str) -> None:
    before = state()
    with pytest.raises(InvalidInput) as bad:
        visit(world, **changes)
    assert field in bad.value.errors
    assert state() == before


def test_a_planned_visit_shows_its_sample_request(world: World) -> None:
    planned = visit(
        world,
        on=dt.date(2013, 4, 10),
        status="planned",
        findings="",
        risk="",
        risk_reasons="",
        action_points=(),
    )
    assert planned.sample_request.startswith("Portfolios of Dan")


def test_risk_and_direct_claims_follow_the_records(world: World) -> None:
    today = dt.date(2013, 3, 1)
    assert risk_of(world.north, today).level == "low"
    assert direct_claims_of(world.north, today).granted
    visit(world, risk="low", risk_reasons="Sound decisions")
    assert direct_claims_of(world.north, today).granted  # the point is not yet due
    late = dt.date(2013, 4, 2)
    assert risk_of(world.north, late).reasons == ("1 action point overdue",)
    assert not direct_claims_of(world.north, late).granted
    apply(world, "action_plan", on=today)
    assert not direct_claims_of(world.north, today).granted
    assert risk_of(world.north, today).level == "medium"
    apply(world, "claims_suspended", on=today)
    assert risk_of(world.north, today).level == "high"


def _ev_unit(world: World, started: dt.date, achieved: dt.date | None = None) -> None:
    competence_record(
        by=world.user("sam"),
        centre=world.south,
        user=world.user("evan"),
        role="external_verifier",
        av_unit="V1",
        started_on=started,
        achieved_on=achieved,
    )


def _allocate(world: World) -> Membership:
    return membership_grant(
        by=world.user("sam"),
        centre=world.north,
        user=world.user("evan"),
        role=Role.EXTERNAL_VERIFIER,
    )


def test_an_ev_past_the_v_unit_deadline_cannot_be_allocated(world: World) -> None:
    _ev_unit(world, dt.date(2012, 2, 1))  # due 01/02/2013; today 01/03/2013
    with pytest.raises(InvalidInput, match=r"evan cannot be allocated a centre: .*overdue"):
        _allocate(world)
    assert not Membership.objects.filter(user=world.user("evan"), centre=world.north).exists()


def test_an_ev_in_time_or_qualified_can_be_allocated(world: World) -> None:
    _ev_unit(world, dt.date(2012, 6, 1))  # due 01/06/2013
    assert _allocate(world).active


def test_an_ev_with_the_unit_can_be_allocated(world: World) -> None:
    _ev_unit(world, dt.date(2010, 1, 1), dt.date(2010, 9, 1))
    assert _allocate(world).active


def test_a_planned_visit_is_completed_once_by_the_ev(world: World) -> None:
    from assay.eqa.services import visit_complete
    from tests.eqa.helpers import planned

    v = planned(world)
    point = ActionPointInput("Sample 401 again", "carol", dt.date(2013, 4, 1))
    data = {
        "findings": "Sound",
        "risk": "low",
        "risk_reasons": "Consistent",
        "action_points": (point,),
    }
    with pytest.raises(NotAllowed):
        visit_complete(by=world.user("carol"), visit=v, **data)
    before = state()
    with pytest.raises(InvalidInput) as bad:
        visit_complete(by=world.user("eve"), visit=v, **{**data, "risk_reasons": "\u200b"})
    assert "risk_reasons" in bad.value.errors and state() == before
    done = visit_complete(by=world.user("eve"), visit=v, **data)
    assert (done.status, done.risk, done.sample_request) == ("done", "low", v.sample_request)
    assert done.action_points.get().owner == world.user("carol")
    with pytest.raises(InvalidInput, match="already recorded as done"):
        visit_complete(by=world.user("eve"), visit=done, **data)


def test_a_visit_planned_for_later_cannot_be_completed_yet(world: World) -> None:
    from assay.eqa.services import visit_complete
    from tests.eqa.helpers import planned

    v = planned(world, on=dt.date(2013, 4, 10))
    with pytest.raises(InvalidInput, match="after today"):
        visit_complete(by=world.user("eve"), visit=v, findings="x", risk="low", risk_reasons="y")


def test_an_ev_allocated_for_one_qualification_sanctions_only_that_one(world: World) -> None:
    evan = world.user("evan")
    membership_grant(
        by=world.user("sam"),
        centre=world.north,
        user=evan,
        role=Role.EXTERNAL_VERIFIER,
        qualification_code="4430-04",
    )
    with pytest.raises(NotAllowed, match="for 4430-04 only"):
        apply(world, by="evan")
    with pytest.raises(NotAllowed, match="for 4430-04 only"):
        apply(world, code="EDEXCEL-L3-NVQ-CS", by="evan")
    whole = apply(world)  # Eve's allocation covers the whole centre
    with pytest.raises(NotAllowed):
        lift(world, whole, dt.date(2013, 2, 20), by="evan")
    own = apply(world, code="4430-04", by="evan")
    assert lift(world, own, dt.date(2013, 2, 20), by="evan").lifted_on
