"""Standardisation: activities recorded by the lead IQA or administrator with attendees and
actions, refused with nothing saved on bad input, read by the right people in constant
queries, the engine's flags on the pages, and actions marked done once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.verification import quality
from assay.verification.models import StandardisationAction, StandardisationActivity
from assay.verification.standardisation import (
    ActionInput,
    ActivityInput,
    action_done,
    activity_record,
)
from tests.world import World

pytestmark = pytest.mark.django_db

MEETING = ActivityInput(
    held_on=dt.date(2013, 2, 20),
    kind="meeting",
    summary="Compared witness statements for unit 401",
    decisions="A witness statement names the criteria it covers",
    attendees=["alice", "ian"],
    actions=[ActionInput("Re-read the witness guidance", "alice", dt.date(2013, 3, 20))],
)


def meeting(world: World, **changes: object) -> StandardisationActivity:
    from dataclasses import replace

    return activity_record(
        by=world.user("linda"), centre=world.north, data=replace(MEETING, **changes)
    )


def signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_an_activity_is_recorded_with_attendees_and_actions(world: World) -> None:
    row = meeting(world)
    assert sorted(u.username for u in row.attendees.all()) == ["alice", "ian"]
    (action,) = row.actions.all()
    assert action.owner == world.user("alice") and action.due_on == dt.date(2013, 3, 20)
    assert row.created_by == world.user("linda") and row.qualification_code == ""
    also = activity_record(by=world.user("carol"), centre=world.north, data=MEETING)
    assert also.created_by == world.user("carol")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "   "}, "summary"),
        ({"summary": "\u200b\u200b"}, "summary"),  # invisible characters only
        ({"summary": "ok\x00"}, "summary"),
        ({"held_on": dt.date(1066, 10, 14)}, "held_on"),
        ({"held_on": dt.date(2213, 1, 1)}, "held_on"),
        ({"held_on": dt.date(2013, 3, 2)}, "held_on"),  # tomorrow: not held yet
        ({"kind": "party"}, "kind"),
        ({"attendees": []}, "attendees"),
        ({"attendees": ["alice", "sue"]}, "attendees"),  # Southgate's administrator
        ({"attendees": ["tom"]}, "attendees"),  # a tutor is not standardised
        ({"qualification": "9999-99"}, "qualification"),
        ({"actions": [ActionInput("\u2060", "alice", dt.date(2013, 3, 20))]}, "actions.1.text"),
        ({"actions": [ActionInput("Do it", "sue", dt.date(2013, 3, 20))]}, "actions.1.owner"),
        ({"actions": [ActionInput("Do it", "alice", dt.date(2013, 1, 1))]}, "actions.1.due_on"),
        ({"actions": [ActionInput("Do it", "alice", dt.date(3013, 1, 1))]}, "actions.1.due_on"),
    ],
)
def test_bad_input_changes_nothing(world: World, changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        meeting(world, **changes)
    assert field in caught.value.errors
    assert not StandardisationActivity.objects.exists()
    assert not StandardisationAction.objects.exists()


@pytest.mark.parametrize("who", ["ian", "alice", "tom", "eve", "sue", "dan"])
def test_only_the_lead_iqa_or_administrator_records(world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        activity_record(by=world.user(who), centre=world.north, data=MEETING)
    assert not StandardisationActivity.objects.exists()


def test_flags_come_from_the_engine(world: World) -> None:
    flags = {f.message for f in quality.flags_of(world.north)}
    assert "assessor alice: never standardised" in flags
    assert "internal verifier linda: never standardised" in flags
    meeting(world, held_on=dt.date(2012, 2, 1))  # more than 12 months before 01/03/2013
    meeting(world, attendees=["ian"])
    flags = {f.message for f in quality.flags_of(world.north)}
    assert "assessor alice: not standardised in the last 12 months (last 01/02/2012)" in flags
    assert not any(m.startswith("internal verifier ian") for m in flags)
    assert "assessor arthur: never standardised" in flags
    # A strategy may ask for standardisation more often.
    from assay.verification.services import strategy_set

    strategy_set(
        by=world.user("linda"),
        centre=world.north,
        qualification="4430-04",
        data={"standardisation_months": 1},
    )
    meeting(world, held_on=dt.date(2013, 1, 15), attendees=["iris"])
    flags = {f.message for f in quality.flags_of(world.north)}
    assert (
        "internal verifier iris: not standardised in the last 1 months (last 15/01/2013)" in flags
    )


def test_the_plan_page_shows_the_flags(world: World) -> None:
    meeting(world, held_on=dt.date(2012, 2, 1))
    body = signed_in(world, "linda").get(f"/centres/{world.north.pk}/iqa/").content.decode()
    assert "assessor alice: not standardised in the last 12 months (last 01/02/2012)" in body
    assert "assessor arthur: never standardised" in body


def test_who_sees_which_activities(world: World) -> None:
    mine = meeting(world)
    other = meeting(world, attendees=["arthur"], summary="Observation records of Arthur")
    url = f"/centres/{world.north.pk}/iqa/standardisation/"
    alice = signed_in(world, "alice").get(url).content.decode()
    assert mine.summary in alice and other.summary not in alice
    assert "never standardised" not in alice  # the flags are for readers
    for reader in ("linda", "carol", "iris"):
        body = signed_in(world, reader).get(url).content.decode()
        assert mine.summary in body and other.summary in body, reader
    for stranger in ("tom", "eve", "sue", "dan"):
        assert signed_in(world, stranger).get(url).status_code == 404, stranger
    assert "Record an activity" in signed_in(world, "linda").get(url).content.decode()
    assert "Record an activity" not in signed_in(world, "iris").get(url).content.decode()


def test_the_record_form(world: World) -> None:
    url = f"/centres/{world.north.pk}/iqa/standardisation/record"
    form = {
        "held_on": "2013-02-20",
        "kind": "evidence_comparison",
        "summary": "Compared two observations of 401",
        "decisions": "Agreed the evidence is sufficient",
        "attendees": ["alice", "arthur", "ian"],
        "action_text": "Share the notes",
        "action_owner": "ian",
        "action_due_on": "2013-03-15",
    }
    linda = signed_in(world, "linda")
    bad = linda.post(url, {**form, "summary": "\u200b", "held_on": "1213-01-01"})
    assert bad.status_code == 400 and not StandardisationActivity.objects.exists()
    half = linda.post(url, {**form, "action_owner": ""})
    assert half.status_code == 400 and "An action needs" in half.content.decode()
    stranger = linda.post(url, {**form, "action_owner": "sue"})
    assert stranger.status_code == 400 and not StandardisationActivity.objects.exists()
    assert linda.post(url, form).status_code == 302
    row = StandardisationActivity.objects.get()
    assert row.kind == "evidence_comparison" and row.attendees.count() == 3
    assert row.actions.get().owner == world.user("ian")
    assert signed_in(world, "ian").post(url, form).status_code == 403
    assert StandardisationActivity.objects.count() == 1


def test_an_action_is_marked_done_once(world: World) -> None:
    (action,) = meeting(world).actions.all()
    url = f"/centres/{world.north.pk}/iqa/standardisation/actions/{action.pk}/done"
    assert signed_in(world, "arthur").post(url).status_code == 404  # did not attend
    assert signed_in(world, "iris").post(url).status_code == 403
    assert signed_in(world, "sue").post(url).status_code == 404
    other = f"/centres/{world.south.pk}/iqa/standardisation/actions/{action.pk}/done"
    assert signed_in(world, "linda").post(other).status_code == 404
    assert signed_in(world, "alice").post(url).status_code == 302  # the owner
    action.refresh_from_db()
    assert action.done_by == world.user("alice") and action.done_at is not None
    with pytest.raises(InvalidInput):
        action_done(by=world.user("linda"), action=action)
    with pytest.raises(NotFound):
        quality.action_get(world.user("sue"), action.pk)


def test_the_list_reads_in_constant_queries(world: World) -> None:
    url = f"/centres/{world.north.pk}/iqa/standardisation/"
    linda = signed_in(world, "linda")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert linda.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        meeting(world)
    few = count()
    for _ in range(27):
        meeting(world)
    assert StandardisationActivity.objects.count() == 30
    assert count() == few
