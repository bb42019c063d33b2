"""Linking a candidate's sign-in and employer contact, and expiring registrations past their
end date: who may, what each refusal says, and that a refusal changes nothing."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt

import pytest

from assay.errors import InvalidInput, NotAllowed
from assay.progress.completion import registration_transition
from assay.registrations.expiry import registrations_due_to_expire, registrations_expire
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.models import Candidate, Registration, StatusChange
from assay.registrations.selectors import registrations_visible_to
from tests.factories import make_user, register
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date


def links() -> list[tuple[int, int | None, int | None]]:
    return list(Candidate.objects.values_list("pk", "user", "employer_contact").order_by("pk"))


# --- The candidate's sign-in ------------------------------------------------------------------


def test_a_linked_account_sees_only_its_own_record(world: World) -> None:
    spare = world.extra["spare"]
    assert not registrations_visible_to(spare).exists()
    candidate = candidate_account_link(
        by=world["centre_admin"], candidate=world.other_registration.candidate, user=spare
    )
    assert Candidate.objects.get(pk=candidate.pk).user == spare
    assert list(registrations_visible_to(spare)) == [world.other_registration]
    # The earlier sign-in is replaced: it no longer sees the record.
    assert not registrations_visible_to(world["candidate_other"]).exists()


def test_linking_the_same_account_again_changes_nothing(world: World) -> None:
    before = links()
    candidate_account_link(
        by=world["awarding_body"],
        candidate=world.registration.candidate,
        user=world["candidate_self"],
    )
    assert links() == before


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("candidate_other", "candidate_other is already the sign-in of another candidate"),
        ("tutor", "tutor holds a staff role at North Training; a candidate needs a sign-in"),
        ("ev_assigned", "ev_assigned holds a staff role at North Training"),
        ("centre_admin", "centre_admin holds a staff role"),
    ],
)
def test_an_account_of_another_candidate_or_of_staff_is_refused(
    world: World, who: str, message: str
) -> None:
    before = links()
    with pytest.raises(InvalidInput) as refused:
        candidate_account_link(
            by=world["centre_admin"], candidate=world.registration.candidate, user=world[who]
        )
    assert message in refused.value.errors["user"]
    assert links() == before


def test_a_disabled_account_is_refused(world: World) -> None:
    idle = make_user("idle", is_active=False)
    with pytest.raises(InvalidInput, match="the account idle is disabled"):
        candidate_account_link(
            by=world["centre_admin"], candidate=world.registration.candidate, user=idle
        )


@pytest.mark.parametrize(
    "who", ["lead_iqa", "tutor", "assessor_assigned", "candidate_self", "admin_other_centre"]
)
def test_only_a_centre_administrator_links_accounts(world: World, who: str) -> None:
    before = links()
    candidate = world.registration.candidate
    with pytest.raises(NotAllowed, match="only a centre administrator can link"):
        candidate_account_link(by=world[who], candidate=candidate, user=world.extra["spare"])
    with pytest.raises(NotAllowed, match="only a centre administrator can set"):
        candidate_employer_contact_set(by=world[who], candidate=candidate, user=None)
    assert links() == before


# --- The employer contact ---------------------------------------------------------------------


def test_the_employer_contact_follows_the_candidate(world: World) -> None:
    contact = world["employer_contact"]
    bob = world.other_registration
    assert not registrations_visible_to(contact).filter(pk=bob.pk).exists()
    candidate_employer_contact_set(by=world["centre_admin"], candidate=bob.candidate, user=contact)
    assert registrations_visible_to(contact).filter(pk=bob.pk).exists()
    candidate_employer_contact_set(by=world["centre_admin"], candidate=bob.candidate, user=None)
    assert Candidate.objects.get(pk=bob.candidate.pk).employer_contact is None
    assert not registrations_visible_to(contact).filter(pk=bob.pk).exists()


@pytest.mark.parametrize("who", ["tutor", "candidate_self", "spare"])
def test_an_employer_contact_must_hold_that_role_at_the_centre(world: World, who: str) -> None:
    user = world.extra["spare"] if who == "spare" else world[who]
    before = links()
    with pytest.raises(InvalidInput) as refused:
        candidate_employer_contact_set(
            by=world["centre_admin"], candidate=world.registration.candidate, user=user
        )
    assert refused.value.errors == {"user": f"{who} is not an employer contact at North Training"}
    assert links() == before


# --- Expiry ------------------------------------------------------------------------------------


@pytest.fixture
def ended(world: World) -> World:
    """Alice's registration ended 28/02/2013 (due), Bob's ends today (not yet), and South's
    ended 31/01/2013 after going in progress; a completed one at North ended long ago."""
    Registration.objects.filter(pk=world.registration.pk).update(end_date=D(2013, 2, 28))
    Registration.objects.filter(pk=world.other_registration.pk).update(end_date=D(2013, 3, 1))
    south = world.south_registration
    registration_transition(
        by=world["admin_other_centre"],
        registration=south,
        to="in_progress",
        reason="assessment starts",
        confirmed=True,
    )
    Registration.objects.filter(pk=south.pk).update(end_date=D(2013, 1, 31))
    done = register(world["centre_admin"], world.north, first_name="Dora")
    # Completed without units here: the expiry rule, not completion, is under test.
    Registration.objects.filter(pk=done.pk).update(status="completed")
    Registration.objects.filter(pk=done.pk).update(end_date=D(2012, 1, 1))
    return world


def statuses() -> dict[str, str]:
    rows = Registration.objects.values_list("candidate__first_name", "status")
    return dict(rows)


def test_an_administrator_expires_their_centres_registrations_past_the_end(ended: World) -> None:
    admin = ended["centre_admin"]
    assert [r.pk for r in registrations_due_to_expire(by=admin)] == [ended.registration.pk]
    before = statuses()
    expired = registrations_expire(by=admin)
    assert [(r.pk, r.status) for r in expired] == [(ended.registration.pk, "expired")]
    assert statuses() == {**before, "Alice": "expired"}  # Bob's period ends today: not yet
    change = StatusChange.objects.filter(registration=ended.registration).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.by) == ("registered", "expired", admin)
    assert change.reason == "registration period ended on 28/02/2013"
    assert registrations_expire(by=admin) == []  # nothing left to do
    assert StatusChange.objects.filter(to_status="expired").count() == 1


def test_the_awarding_body_expires_every_centres_and_in_progress_ones(ended: World) -> None:
    expired = registrations_expire(by=ended["awarding_body"])
    assert {r.pk for r in expired} == {ended.registration.pk, ended.south_registration.pk}
    south = StatusChange.objects.filter(registration=ended.south_registration).last()
    assert south is not None and south.from_status == "in_progress"
    assert south.reason == "registration period ended on 31/01/2013"
    assert statuses()["Dora"] == "completed"


def test_tomorrow_bobs_period_has_ended_too(ended: World) -> None:
    expired = registrations_expire(by=ended["centre_admin"], today=D(2013, 3, 2))
    assert {r.pk for r in expired} == {ended.registration.pk, ended.other_registration.pk}


def test_the_dry_run_changes_nothing(ended: World) -> None:
    before = (statuses(), StatusChange.objects.count())
    due = registrations_due_to_expire(by=ended["awarding_body"])
    assert {r.pk for r in due} == {ended.registration.pk, ended.south_registration.pk}
    assert (statuses(), StatusChange.objects.count()) == before


@pytest.mark.parametrize(
    "who", ["lead_iqa", "tutor", "assessor_assigned", "ev_assigned", "candidate_self"]
)
def test_only_administrators_expire_registrations(ended: World, who: str) -> None:
    before = (statuses(), StatusChange.objects.count())
    for run in (registrations_expire, registrations_due_to_expire):
        with pytest.raises(NotAllowed, match="only a centre administrator or the awarding body"):
            run(by=ended[who])
    assert (statuses(), StatusChange.objects.count()) == before


def test_another_centres_administrator_expires_only_their_own(ended: World) -> None:
    expired = registrations_expire(by=ended["admin_other_centre"])
    assert [r.pk for r in expired] == [ended.south_registration.pk]
    assert statuses()["Alice"] == "registered"
