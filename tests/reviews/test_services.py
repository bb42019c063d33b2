"""Plans and reviews through the services: the happy paths, and every rule refused with its
message and nothing changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.portfolios.assessment import criterion_judge, mapping_decide
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.signing import Origin
from assay.reviews.models import AssessmentPlan, PlannedActivity, ReviewSignature
from assay.reviews.selectors import open_activity_targets, registration_reviews
from assay.reviews.services import (
    ActivityInput,
    PlanInput,
    activity_complete,
    capacities_of,
    plan_create,
    plan_sign,
    plan_text,
    plan_update,
)
from tests.world import World

pytestmark = pytest.mark.django_db

MET = dt.date(2013, 2, 28)


def activity(**overrides: Any) -> ActivityInput:
    values: dict[str, Any] = {
        "description": "Observe the Monday team briefing",
        "method": "observation",
        "targets": ("401:1.1", "401:1.2"),
        "target_date": dt.date(2013, 4, 30),
    }
    return ActivityInput(**{**values, **overrides})


def plan_input(**overrides: Any) -> PlanInput:
    values: dict[str, Any] = {
        "kind": "plan",
        "met_on": MET,
        "summary": "Start with unit 401: observation and questioning.",
        "notes": "Ed will arrange cover for the briefing.",
        "next_review_on": dt.date(2013, 5, 1),
        "activities": (activity(),),
    }
    return PlanInput(**{**values, **overrides})


def new_plan(world: World, **overrides: Any) -> AssessmentPlan:
    return plan_create(by=world.user("alice"), registration=world.dan, data=plan_input(**overrides))


def counts() -> tuple[int, int, int]:
    return (
        AssessmentPlan.objects.count(),
        PlannedActivity.objects.count(),
        ReviewSignature.objects.count(),
    )


def refused(call: Any, field: str, words: str) -> None:
    """``call`` raises InvalidInput naming ``field`` with ``words`` and changes nothing."""
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        call()
    assert words in caught.value.errors[field], caught.value.errors
    assert counts() == before


def test_the_assessor_records_a_plan_with_its_activities(world: World) -> None:
    plan = new_plan(world)
    assert plan.kind == "plan" and plan.created_by == world.user("alice")
    [a] = plan.activities.all()
    assert (a.method, a.targets, a.target_date) == (
        "observation",
        ["401:1.1", "401:1.2"],
        dt.date(2013, 4, 30),
    )
    assert a.completed_on is None
    assert plan.coverage == [{"unit": "401", "met": 0, "total": 29, "signed_off": False}]
    text = plan_text(plan)
    assert text.startswith("Assessment plan for Dan Smith on 4430-04\nMet on: 28/02/2013\n")
    assert (
        "1. Observe the Monday team briefing — Observation — covers 401:1.1, 401:1.2 — "
        "by 30/04/2013" in text
    )


def test_a_range_item_is_a_target_too(world: World) -> None:
    plan_set(
        by=world.user("carol"),
        registration=world.dan,
        units=[
            PlanUnitInput("401", world.user("alice").pk),
            PlanUnitInput("411", world.user("alice").pk),
        ],
    )
    plan = new_plan(world, activities=(activity(targets=("411:5f", "401:3.20")),))
    assert plan.activities.get().targets == ["411:5f", "401:3.20"]


@pytest.mark.parametrize("who", ["dan", "ed", "ian", "linda", "carol", "eve", "tom"])
def test_only_an_assessor_of_the_candidate_records_plans(world: World, who: str) -> None:
    before = counts()
    with pytest.raises(NotAllowed, match="only an assessor of this candidate"):
        plan_create(by=world.user(who), registration=world.dan, data=plan_input())
    assert counts() == before


def test_an_assessor_of_another_candidate_may_not_either(world: World) -> None:
    with pytest.raises(NotAllowed):
        plan_create(by=world.user("arthur"), registration=world.dan, data=plan_input())
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"summary": "  "}, "summary", "summarise what was agreed"),
        (
            {"met_on": dt.date(2013, 3, 2)},
            "met_on",
            "02/03/2013 is in the future (today is 01/03/2013)",
        ),
        ({"met_on": dt.date(2012, 9, 1)}, "met_on", "before the registration on 03/09/2012"),
        ({"next_review_on": MET}, "next_review_on", "must come after this meeting 28/02/2013"),
        (
            {"next_review_on": dt.date(2014, 9, 4)},
            "next_review_on",
            "after the registration's end date 03/09/2014",
        ),
        ({"activities": ()}, "activities", "at least one planned activity"),
        ({"kind": "minutes"}, "kind", "choose one of plan, review"),
    ],
)
def test_bad_plan_fields_are_refused(
    world: World, overrides: dict[str, Any], field: str, words: str
) -> None:
    refused(lambda: new_plan(world, **overrides), field, words)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"target_date": dt.date(2014, 9, 4)},
            "target_date",
            "target date 04/09/2014 is after the registration's end date 03/09/2014",
        ),
        (
            {"target_date": dt.date(2013, 2, 1)},
            "target_date",
            "target date 01/02/2013 is before the meeting on 28/02/2013",
        ),
        ({"targets": ("403:1.1",)}, "targets", "unit 403 is not on this candidate's learning plan"),
        ({"targets": ("401:9.9",)}, "targets", "unit 401 has no criterion or range item '9.9'"),
        (
            {"targets": ("401-1.1",)},
            "targets",
            "'401-1.1' is not unit:target (for example 401:1.2 or 411:5f)",
        ),
        ({"targets": ("401:1.1", "401:1.1")}, "targets", "a target is listed twice"),
        ({"targets": ()}, "targets", "name the criteria to cover"),
        ({"description": ""}, "description", "describe the activity"),
        ({"method": "telepathy"}, "method", "choose one of observation"),
    ],
)
def test_bad_activities_are_refused(
    world: World, overrides: dict[str, Any], field: str, words: str
) -> None:
    bad = activity(**overrides)
    refused(
        lambda: new_plan(world, activities=(activity(), bad)),
        f"activities.2.{field}",
        f"activity 2: {words}",
    )


def test_the_target_date_may_be_the_end_date_itself(world: World) -> None:
    plan = new_plan(world, activities=(activity(target_date=world.dan.end_date),))
    assert plan.activities.get().target_date == dt.date(2014, 9, 3)


def test_each_signer_signs_once_in_their_own_capacity(world: World) -> None:
    plan = new_plan(world)
    digest = text_sha256(plan_text(plan))
    for who, capacity in [("dan", "candidate"), ("alice", "assessor"), ("ed", "employer")]:
        assert capacities_of(world.user(who), world.dan) == [capacity]
        sig = plan_sign(
            by=world.user(who),
            plan=plan,
            capacity=capacity,
            origin=Origin("10.0.0.7", "Firefox " + "x" * 400),
            expected_sha256=digest,
        )
        assert (sig.signer, sig.capacity, sig.text_sha256) == (world.user(who), capacity, digest)
        assert sig.ip_address == "10.0.0.7" and len(sig.user_agent) == 300
    refused(
        lambda: plan_sign(by=world.user("dan"), plan=plan, capacity="candidate"),
        "capacity",
        "already signed as candidate by Dan Test on ",
    )


@pytest.mark.parametrize(
    ("who", "capacity"),
    [
        ("dan", "assessor"),
        ("dan", "employer"),
        ("alice", "candidate"),
        ("ed", "candidate"),
        ("edna", "employer"),  # another candidate's employer
        ("arthur", "assessor"),  # an assessor, not Dan's
        ("ian", "assessor"),
        ("carol", "assessor"),
        ("dora", "candidate"),
    ],
)
def test_nobody_signs_in_a_capacity_they_do_not_hold(world: World, who: str, capacity: str) -> None:
    plan = new_plan(world)
    with pytest.raises(NotAllowed, match=f"you cannot sign as the {capacity}"):
        plan_sign(by=world.user(who), plan=plan, capacity=capacity)
    assert ReviewSignature.objects.count() == 0


def test_an_unknown_capacity_is_refused(world: World) -> None:
    plan = new_plan(world)
    refused(
        lambda: plan_sign(by=world.user("dan"), plan=plan, capacity="witness"),
        "capacity",
        "sign as candidate",
    )


def test_signing_text_that_changed_since_it_was_read_is_refused(world: World) -> None:
    plan = new_plan(world)
    read = text_sha256(plan_text(plan))
    plan_update(by=world.user("alice"), plan=plan, data=plan_input(summary="Start with 401 only."))
    refused(
        lambda: plan_sign(
            by=world.user("dan"), plan=plan, capacity="candidate", expected_sha256=read
        ),
        "text",
        "the plan changed since you read it",
    )


def test_a_plan_is_editable_until_its_first_signature_then_frozen(world: World) -> None:
    plan = new_plan(world)
    changed = plan_update(
        by=world.user("alice"),
        plan=plan,
        data=plan_input(
            summary="Revised", activities=(activity(), activity(description="Write up"))
        ),
    )
    assert changed.summary == "Revised" and changed.edited_by == world.user("alice")
    assert [a.description for a in changed.activities.all()] == [
        "Observe the Monday team briefing",
        "Write up",
    ]
    sig = plan_sign(by=world.user("dan"), plan=plan, capacity="candidate")
    frozen_text = plan_text(plan)
    assert text_sha256(frozen_text) == sig.text_sha256
    refused(
        lambda: plan_update(by=world.user("alice"), plan=plan, data=plan_input(summary="Sneaky")),
        "plan",
        "signed and its text is frozen; record a new plan instead",
    )
    plan.refresh_from_db()
    assert plan.summary == "Revised" and plan_text(plan) == frozen_text


def test_only_the_assessor_edits_and_a_plan_stays_a_plan(world: World) -> None:
    plan = new_plan(world)
    with pytest.raises(NotAllowed):
        plan_update(by=world.user("ian"), plan=plan, data=plan_input(summary="IV's view"))
    refused(
        lambda: plan_update(by=world.user("alice"), plan=plan, data=plan_input(kind="review")),
        "kind",
        "a plan cannot become a review",
    )
    plan.refresh_from_db()
    assert plan.summary.startswith("Start with unit 401")


def test_signatures_cannot_be_changed_or_deleted(world: World) -> None:
    sig = plan_sign(by=world.user("dan"), plan=new_plan(world), capacity="candidate")
    sig.capacity = "assessor"
    with pytest.raises(ValueError, match="never changed"):
        sig.save()
    with pytest.raises(ValueError, match="never deleted"):
        sig.delete()
    assert ReviewSignature.objects.get().capacity == "candidate"


def test_completing_an_activity_keeps_who_and_when_and_not_the_signed_text(world: World) -> None:
    plan = new_plan(world)
    sig = plan_sign(by=world.user("dan"), plan=plan, capacity="candidate")
    a = plan.activities.get()
    done = activity_complete(by=world.user("alice"), activity=a, on=dt.date(2013, 3, 1))
    a.refresh_from_db()
    assert (a.completed_on, a.completed_by) == (dt.date(2013, 3, 1), world.user("alice"))
    assert a.completed_at is not None and done.completed_on == a.completed_on
    assert text_sha256(plan_text(plan)) == sig.text_sha256  # still verifies
    refused(
        lambda: activity_complete(by=world.user("alice"), activity=a),
        "completed_on",
        "already marked done on 01/03/2013",
    )


@pytest.mark.parametrize(
    ("on", "words"),
    [
        (dt.date(2013, 3, 2), r"02/03/2013 is in the future \(today is 01/03/2013\)"),
        (dt.date(2013, 2, 27), "before the plan was agreed on 28/02/2013"),
    ],
)
def test_bad_completion_dates_are_refused(world: World, on: dt.date, words: str) -> None:
    a = new_plan(world).activities.get()
    with pytest.raises(InvalidInput, match=words):
        activity_complete(by=world.user("alice"), activity=a, on=on)
    a.refresh_from_db()
    assert a.completed_on is None and a.completed_by is None


@pytest.mark.parametrize("who", ["dan", "ed", "ian", "eve", "arthur"])
def test_only_an_assessor_marks_activities_done(world: World, who: str) -> None:
    a = new_plan(world).activities.get()
    with pytest.raises(NotAllowed):
        activity_complete(by=world.user(who), activity=a)
    a.refresh_from_db()
    assert a.completed_on is None


def test_a_review_snapshots_coverage_and_shows_progress_since_the_last(world: World) -> None:
    alice = world.user("alice")
    new_plan(world)
    mapping_decide(by=alice, mapping=world.mapping, confirm=True)
    criterion_judge(by=alice, registration=world.dan, unit="401", criterion="1.1", met=True)
    review = new_plan(world, kind="review", met_on=dt.date(2013, 3, 1), activities=())
    assert review.coverage == [{"unit": "401", "met": 1, "total": 29, "signed_off": False}]
    plan_view, review_view = registration_reviews(world.dan)
    assert plan_view.progress is None
    assert review_view.progress is not None
    [change] = review_view.progress
    assert (change.unit, change.before and change.before.met, change.after.met, change.gained) == (
        "401",
        0,
        1,
        1,
    )
    assert not change.newly_signed_off
    assert review_view.text.startswith("Progress review for Dan Smith")


def test_open_activity_targets_in_one_query(world: World, django_assert_num_queries: Any) -> None:
    first = new_plan(world, activities=(activity(target_date=dt.date(2013, 6, 1)), activity()))
    new_plan(world, kind="review", activities=(activity(target_date=dt.date(2013, 5, 5)),))
    activity_complete(by=world.user("alice"), activity=first.activities.get(position=2))
    with django_assert_num_queries(1):
        got = open_activity_targets([world.dan.pk, world.dora.pk])
    assert got == {world.dan.pk: [dt.date(2013, 5, 5), dt.date(2013, 6, 1)]}
    with django_assert_num_queries(1):
        assert open_activity_targets([world.dora.pk]) == {}


def test_content_is_frozen_dataclasses(world: World) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan_input().summary = "x"  # type: ignore[misc]
