"""Deactivate, reactivate and revoke: with a reason, recorded, never oneself, never a centre's
last administrator, and only by an administrator of every centre the person works at."""

from __future__ import annotations

import pytest

from assay.accounts.models import AccountEvent
from assay.accounts.services import token_authenticate, token_create
from assay.accounts.standing import account_deactivate, account_reactivate, role_revoke
from assay.centres.models import Membership, Role
from assay.centres.services import membership_grant
from assay.errors import InvalidInput, NotAllowed
from tests.world import World


def test_deactivated_people_cannot_use_their_tokens_until_reactivated(world: World) -> None:
    alice = world.user("alice")
    _, plaintext = token_create(user=alice)
    account_deactivate(by=world.user("carol"), user=alice, reason="Left the centre")
    alice.refresh_from_db()
    assert not alice.is_active and token_authenticate(plaintext) is None
    account_reactivate(by=world.user("carol"), user=alice, reason="Came back")
    assert token_authenticate(plaintext) == alice
    events = list(AccountEvent.objects.values_list("kind", "reason", "by__username"))
    assert events == [
        ("deactivated", "Left the centre", "carol"),
        ("reactivated", "Came back", "carol"),
    ]


def test_a_reason_is_required_and_nothing_changes_without_one(world: World) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        account_deactivate(by=world.user("carol"), user=world.user("alice"), reason="  ")
    world.user("alice").refresh_from_db()
    assert world.user("alice").is_active and not AccountEvent.objects.exists()


def test_nobody_deactivates_themselves(world: World) -> None:
    with pytest.raises(NotAllowed, match="your own"):
        account_deactivate(by=world.user("carol"), user=world.user("carol"), reason="x")


def test_the_last_administrator_stays(world: World) -> None:
    with pytest.raises(NotAllowed, match="last administrator"):
        account_deactivate(by=world.user("sam"), user=world.user("carol"), reason="x")
    admin = Membership.objects.get(user=world.user("carol"), role=Role.CENTRE_ADMIN)
    with pytest.raises(NotAllowed, match="last administrator"):
        role_revoke(by=world.user("sam"), membership=admin, reason="x")
    membership_grant(
        by=world.user("sam"), centre=world.north, user=world.user("tom"), role=Role.CENTRE_ADMIN
    )
    role_revoke(by=world.user("tom"), membership=admin, reason="Moved to Southgate")
    admin.refresh_from_db()
    assert not admin.active


@pytest.mark.parametrize("who", ["sue", "alice", "dan", "ed"])
def test_strangers_assessors_candidates_and_employers_cannot(world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        account_deactivate(by=world.user(who), user=world.user("arthur"), reason="x")
    with pytest.raises(NotAllowed):
        role_revoke(
            by=world.user(who),
            membership=Membership.objects.get(user=world.user("arthur")),
            reason="x",
        )
    assert not AccountEvent.objects.exists()


def test_someone_who_also_works_elsewhere_is_the_awarding_bodys_to_deactivate(
    world: World,
) -> None:
    membership_grant(
        by=world.user("sam"), centre=world.south, user=world.user("arthur"), role=Role.ASSESSOR
    )
    with pytest.raises(NotAllowed, match="every centre"):
        account_deactivate(by=world.user("carol"), user=world.user("arthur"), reason="x")
    account_deactivate(by=world.user("sam"), user=world.user("arthur"), reason="Struck off")


def test_revoking_a_role_keeps_the_row_and_records_why(world: World) -> None:
    row = Membership.objects.get(user=world.user("arthur"))
    role_revoke(by=world.user("carol"), membership=row, reason="A1 deadline missed")
    row.refresh_from_db()
    assert not row.active
    event = AccountEvent.objects.get()
    assert (event.kind, event.role, event.centre, event.reason) == (
        "role_revoked",
        "assessor",
        world.north,
        "A1 deadline missed",
    )
    with pytest.raises(InvalidInput, match="already revoked"):
        role_revoke(by=world.user("carol"), membership=row, reason="again")
