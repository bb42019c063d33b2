"""Invitations through the services: Carol (Northgate's administrator) invites, the person
accepts with a password; strangers, assessors and candidates cannot invite; expired, used,
resent and cancelled links are refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from assay.accounts.invitations import (
    InviteInput,
    invitation_accept,
    invitation_cancel,
    invitation_resend,
    invitation_send,
)
from assay.accounts.models import AccountEvent, Invitation
from assay.centres.models import Membership, Role
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.registrations.models import Registration
from tests.accounts.conftest import token_in_last_email
from tests.world import World

PASSWORD = "a-long-Harbour-pass-42"


def invite(world: World, sending: Any, by: str = "carol", **data: Any) -> str:
    values = {"email": "zoe@example.org", "role": "assessor", "first_name": "Zoe", **data}
    with sending():
        invitation_send(by=world.user(by), centre=world.north, data=InviteInput(**values))
    return token_in_last_email()


def test_an_assessor_is_invited_accepts_and_holds_the_role(world: World, sending: Any) -> None:
    token = invite(world, sending)
    row = Invitation.objects.get()
    assert row.token_sha256 == text_sha256(token) and token not in str(vars(row))
    assert mail.outbox[-1].to == ["zoe@example.org"]
    assert "/invitation/" in mail.outbox[-1].body and "Northgate" in mail.outbox[-1].subject
    user = invitation_accept(token=token, password=PASSWORD)
    assert user.username == "zoe@example.org" and user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, centre=world.north, role=Role.ASSESSOR).exists()
    kinds = list(AccountEvent.objects.values_list("kind", flat=True))
    assert kinds == ["invited", "accepted"]


def test_a_used_link_is_refused_the_second_time(world: World, sending: Any) -> None:
    token = invite(world, sending)
    invitation_accept(token=token, password=PASSWORD)
    with pytest.raises(InvalidInput, match="already been used"):
        invitation_accept(token=token, password=PASSWORD)
    assert get_user_model().objects.filter(username="zoe@example.org").count() == 1


def test_an_expired_link_is_refused(world: World, sending: Any, settings: Any) -> None:
    token = invite(world, sending)
    settings.ASSAY_TODAY = (dt.date(2013, 3, 1) + dt.timedelta(days=8)).isoformat()
    with pytest.raises(InvalidInput, match="expired"):
        invitation_accept(token=token, password=PASSWORD)
    assert not get_user_model().objects.filter(username="zoe@example.org").exists()


def test_resending_replaces_the_link_and_cancelling_ends_it(world: World, sending: Any) -> None:
    first = invite(world, sending)
    row = Invitation.objects.get()
    with sending():
        invitation_resend(by=world.user("carol"), invitation=row)
    second = token_in_last_email()
    assert second != first
    with pytest.raises(InvalidInput, match="not valid"):
        invitation_accept(token=first, password=PASSWORD)
    invitation_cancel(by=world.user("carol"), invitation=row, reason="Wrong address")
    with pytest.raises(InvalidInput, match="used or was cancelled"):
        invitation_accept(token=second, password=PASSWORD)


def test_weak_passwords_are_refused_by_djangos_validators(world: World, sending: Any) -> None:
    token = invite(world, sending)
    with pytest.raises(InvalidInput) as refused:
        invitation_accept(token=token, password="12345678")
    assert "password" in refused.value.errors
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("who", ["sue", "alice", "dan", "ed", "tom"])
def test_only_the_centres_administrator_invites(world: World, sending: Any, who: str) -> None:
    with pytest.raises(NotAllowed):
        invite(world, sending, by=who)
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_centre_administrator_cannot_appoint_an_administrator(world: World, sending: Any) -> None:
    with pytest.raises(NotAllowed, match="awarding body"):
        invite(world, sending, role="centre_admin")
    token = invite(world, sending, by="sam", role="centre_admin")
    user = invitation_accept(token=token, password=PASSWORD)
    assert Membership.objects.filter(user=user, role=Role.CENTRE_ADMIN).exists()


def test_a_candidate_is_invited_to_their_registration(
    world: World, sending: Any, eli: Registration
) -> None:
    token = invite(
        world, sending, email="eli@example.org", role="candidate", registration_id=eli.pk
    )
    user = invitation_accept(token=token, password=PASSWORD)
    eli.candidate.refresh_from_db()
    assert eli.candidate.user_id == user.pk


def test_a_candidate_invitation_needs_a_registration_without_a_sign_in(
    world: World, sending: Any
) -> None:
    with pytest.raises(InvalidInput, match="names their registration"):
        invite(world, sending, role="candidate")
    with pytest.raises(InvalidInput, match="already has a sign-in"):
        invite(world, sending, role="candidate", registration_id=world.dan.pk)
    south = Registration.objects.filter(centre=world.south).first()
    if south is not None:
        with pytest.raises(InvalidInput):
            invite(world, sending, role="candidate", registration_id=south.pk)


def test_an_employer_contact_is_invited_for_an_employee(
    world: World, sending: Any, eli: Registration
) -> None:
    token = invite(
        world, sending, email="boss@example.org", role="employer_contact", registration_id=eli.pk
    )
    user = invitation_accept(token=token, password=PASSWORD)
    eli.candidate.refresh_from_db()
    assert eli.candidate.employer_contact_id == user.pk


def test_existing_accounts_and_duplicates_are_refused(world: World, sending: Any) -> None:
    world.user("nina").email = "nina@example.org"
    world.user("nina").save()
    with pytest.raises(InvalidInput, match="already has an account"):
        invite(world, sending, email="Nina@example.org")
    invite(world, sending)
    with pytest.raises(InvalidInput, match="already invited"):
        invite(world, sending)


def test_account_events_are_append_only(world: World, sending: Any) -> None:
    invite(world, sending)
    event = AccountEvent.objects.get()
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="history"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()
