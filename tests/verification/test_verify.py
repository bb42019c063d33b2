"""Verifying a pick: agree, action required (reopens a signed-off unit, tells the assessor,
the chain verifies), the separation of duties and bad input, each changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from assay.centres.services import membership_grant
from assay.errors import InvalidInput, NotAllowed
from assay.notifications.models import Notification
from assay.portfolios.assessment import criterion_judge
from assay.portfolios.models import Decision, DecisionKind
from assay.portfolios.records import (
    chains_verify,
    decision_append,
    registration_lock,
    unit_signed_off,
)
from assay.registrations.models import PlanUnit
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.verification.models import SamplePick, Verification
from assay.verification.services import unit_verify
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.world import World

pytestmark = pytest.mark.django_db
DUE = dt.date(2013, 3, 15)


def allocated(world: World) -> tuple[SamplePick, object]:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    assert pick.verifier_id is not None
    return pick, type(world.user("ian")).objects.get(pk=pick.verifier_id)


def test_agree_is_a_chained_decision(world: World) -> None:
    pick, iv = allocated(world)
    decision = unit_verify(by=iv, pick=pick, outcome="agree", feedback="Sound judgements")
    assert decision.kind == DecisionKind.UNIT_VERIFIED
    assert decision.payload == {
        "unit": "403",
        "pick": pick.pk,
        "outcome": "agree",
        "feedback": "Sound judgements",
        "due_on": None,
    }
    assert unit_signed_off(world.dan, "403")
    assert Verification.objects.get().decision == decision
    assert all(v.ok for _, v in chains_verify(world.dan.pk))
    with pytest.raises(InvalidInput):  # agreed once is done
        unit_verify(by=iv, pick=pick, outcome="agree", feedback="Again")


def test_action_required_reopens_and_notifies(world: World) -> None:
    pick, iv = allocated(world)
    Notification.objects.all().delete()
    unit_verify(
        by=iv, pick=pick, outcome="action_required", feedback="Criterion 2.3 thin", due_on=DUE
    )
    kinds = list(
        Decision.objects.filter(registration=world.dan)
        .order_by("-seq")[:2]
        .values_list("kind", "payload__reason")
    )
    assert kinds == [(DecisionKind.UNIT_REOPENED, "Criterion 2.3 thin"), ("unit_verified", None)]
    assert not unit_signed_off(world.dan, "403")
    told = Notification.objects.filter(recipient=world.user("alice"), kind="iqa_action_required")
    assert told.count() == 1 and "due 15/03/2013" in told.get().body
    assert all(v.ok for _, v in chains_verify(world.dan.pk))


def test_signing_off_a_sampled_unit_tells_its_verifier(world: World) -> None:
    pick, iv = allocated(world)
    unit_verify(by=iv, pick=pick, outcome="action_required", feedback="Redo 2.3", due_on=DUE)
    from assay.portfolios.assessment import unit_sign_off

    unit_sign_off(by=world.user("alice"), registration=world.dan, unit="403")
    told = Notification.objects.get(recipient=iv, kind="iqa_sample_signed_off")
    assert told.link == f"/iqa/picks/{pick.pk}/"
    unit_verify(by=iv, pick=pick, outcome="agree", feedback="Fixed")
    assert all(v.ok for _, v in chains_verify(world.dan.pk))


def nothing_changed(before: int) -> None:
    assert Decision.objects.count() == before
    assert not Verification.objects.exists()


def test_the_assessor_may_not_verify(world: World) -> None:
    """Alice (the unit's assessor) holding an IV role and allocated the pick is refused."""
    pick, _ = allocated(world)
    alice = world.user("alice")
    membership_grant(by=world.user("sam"), centre=world.north, user=alice, role="internal_verifier")
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("alice"))
    pick.refresh_from_db()
    before = Decision.objects.count()
    with pytest.raises(NotAllowed) as refused:
        unit_verify(by=world.user("alice"), pick=pick, outcome="agree", feedback="Fine")
    assert "nobody verifies their own assessments" in str(refused.value)
    nothing_changed(before)


def test_someone_who_judged_in_the_unit_may_not_verify(world: World) -> None:
    """Ian judged a criterion of 401 (as its assessor for a day): he may not verify 401."""
    sign_off_403(world)
    membership_grant(
        by=world.user("sam"), centre=world.north, user=world.user("ian"), role="assessor"
    )
    plan_set(
        by=world.user("carol"),
        registration=world.dan,
        units=[
            PlanUnitInput("401", world.user("ian").pk, dt.date(2013, 6, 30)),
            PlanUnitInput("403", world.user("alice").pk, dt.date(2013, 6, 30)),
        ],
        internal_verifier_id=world.user("iris").pk,
    )
    criterion_judge(
        by=world.user("ian"), registration=world.dan, unit="401", criterion="1.1", met=True
    )
    row = drawn(world)
    pick = row.picks.get(unit_number="401")
    assert pick.verifier_id != world.user("ian").pk  # the engine never allocates it to him
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("ian"))
    pick.refresh_from_db()
    before = Decision.objects.count()
    with pytest.raises(NotAllowed) as refused:
        unit_verify(by=world.user("ian"), pick=pick, outcome="agree", feedback="Fine")
    assert "judged, confirmed or signed off" in str(refused.value)
    nothing_changed(before)


@pytest.mark.parametrize("who", ["the other IV", "carol", "alice", "tom", "dan", "sue"])
def test_only_the_allocated_iv_or_lead_verifies(world: World, who: str) -> None:
    pick, _ = allocated(world)
    if who == "the other IV":  # Ian or Iris, whichever the pick was not allocated to
        who = next(n for n in ("ian", "iris") if world.user(n).pk != pick.verifier_id)
    before = Decision.objects.count()
    with pytest.raises(NotAllowed):
        unit_verify(by=world.user(who), pick=pick, outcome="agree", feedback="Fine")
    nothing_changed(before)


def test_an_allocated_verifier_who_lost_the_role_may_not_verify(world: World) -> None:
    """Arthur (an assessor, no IV role) allocated the pick by hand is refused."""
    pick, _ = allocated(world)
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("arthur"))
    pick.refresh_from_db()
    who = "arthur"
    before = Decision.objects.count()
    with pytest.raises(NotAllowed):
        unit_verify(by=world.user(who), pick=pick, outcome="agree", feedback="Fine")
    nothing_changed(before)


def test_the_lead_iqa_may_verify(world: World) -> None:
    pick, _ = allocated(world)
    unit_verify(by=world.user("linda"), pick=pick, outcome="agree", feedback="Seen")
    assert Verification.objects.get().by == world.user("linda")


@pytest.mark.parametrize(
    ("outcome", "feedback", "due", "field"),
    [
        ("agree", "\u200b\u200b", None, "feedback"),
        ("agree", "   ", None, "feedback"),
        ("maybe", "Fine", None, "outcome"),
        ("action_required", "Redo", None, "due_on"),
        ("action_required", "Redo", dt.date(2013, 2, 1), "due_on"),
    ],
)
def test_bad_input_changes_nothing(
    world: World, outcome: str, feedback: str, due: dt.date | None, field: str
) -> None:
    pick, iv = allocated(world)
    before = Decision.objects.count()
    with pytest.raises(InvalidInput) as refused:
        unit_verify(by=iv, pick=pick, outcome=outcome, feedback=feedback, due_on=due)
    assert field in refused.value.errors
    nothing_changed(before)
    assert unit_signed_off(world.dan, "403")


def test_a_stale_sequence_changes_nothing(world: World) -> None:
    pick, iv = allocated(world)
    before = Decision.objects.count()
    with pytest.raises(InvalidInput):
        unit_verify(by=iv, pick=pick, outcome="agree", feedback="Fine", expected_seq=1)
    nothing_changed(before)


def test_a_verifier_past_the_deadline_still_verifies_an_allocated_pick(world: World) -> None:
    from assay.centres.people import competence_record

    pick, iv = allocated(world)
    competence_record(
        by=world.user("carol"),
        centre=world.north,
        user=iv,
        role="internal_verifier",
        av_unit="V1",
        started_on=dt.date(2010, 1, 1),
    )
    unit_verify(by=iv, pick=pick, outcome="agree", feedback="Sound")
    assert Verification.objects.get().by == iv


def test_the_database_refuses_a_verification_by_whoever_assessed_the_unit(world: World) -> None:
    """Past the service (a script calling the chain directly): the trigger still refuses
    Alice (the plan's assessor for 403, who signed it off) and leaves the chain as it was; an
    IV who never acted in the unit is let through."""
    sign_off_403(world)
    alice, iris = world.user("alice"), world.user("iris")
    before = Decision.objects.count()
    for who in (alice,):
        with transaction.atomic(), pytest.raises(NotAllowed) as refused:
            last = registration_lock(world.dan, None)
            decision_append(
                registration=world.dan,
                last=last,
                by=who,
                kind=DecisionKind.UNIT_VERIFIED,
                unit="403",
                payload={"outcome": "agree"},
            )
        assert "separation of duties" in str(refused.value)
    assert Decision.objects.count() == before
    PlanUnit.objects.filter(registration=world.dan, unit_number="401").update(assessor=iris)
    with transaction.atomic(), pytest.raises(NotAllowed):  # the plan names her the assessor
        decision_append(
            registration=world.dan,
            last=registration_lock(world.dan, None),
            by=iris,
            kind=DecisionKind.UNIT_VERIFIED,
            unit="401",
            payload={"outcome": "agree"},
        )
    with transaction.atomic():
        decision_append(
            registration=world.dan,
            last=registration_lock(world.dan, None),
            by=iris,
            kind=DecisionKind.UNIT_VERIFIED,
            unit="403",
            payload={"outcome": "agree"},
        )
    assert Decision.objects.count() == before + 1
    assert all(v.ok for _, v in chains_verify(world.dan.pk))
