"""The accounts endpoints under /api/v1: list, invite, resend, cancel, deactivate, reactivate,
revoke; in the OpenAPI document; strangers 404, non-administrators 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from assay.accounts.invitations import invitation_accept
from assay.accounts.models import AccountEvent, Invitation
from assay.centres.models import Membership
from tests.world import World

PASSWORD = "a-long-Harbour-pass-42"


def api(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def base(world: World) -> str:
    return f"/api/v1/centres/{world.north.pk}"


def test_the_whole_round_through_the_api(world: World, sending: Any) -> None:
    carol = api(world, "carol")
    with sending():
        sent = carol.post(
            f"{base(world)}/invitations",
            {"email": "zoe@example.org", "role": "assessor", "first_name": "Zoe"},
            content_type="application/json",
        )
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["state"] == "pending" and body["link"] in mail.outbox[-1].body
    listed = carol.get(f"{base(world)}/accounts").json()
    invitations, people = listed["invitations"]["items"], listed["people"]["items"]
    assert [i["email"] for i in invitations] == ["zoe@example.org"]
    assert "link" not in invitations[0] or invitations[0]["link"] is None
    assert {p["username"] for p in people} >= {"alice", "carol"}
    assert listed["people"]["next"] is None and listed["invitations"]["next"] is None
    with sending():
        again = carol.post(f"{base(world)}/invitations/{body['id']}/resend")
    assert again.status_code == 200 and again.json()["link"] != body["link"]
    gone = carol.post(
        f"{base(world)}/invitations/{body['id']}/cancel",
        {"reason": "Wrong person"},
        content_type="application/json",
    )
    assert gone.json()["state"] == "cancelled"

    alice = world.user("alice")
    off = carol.post(
        f"{base(world)}/accounts/{alice.pk}/deactivate",
        {"reason": "Left"},
        content_type="application/json",
    )
    assert off.status_code == 200 and off.json()["active"] is False
    on = carol.post(
        f"{base(world)}/accounts/{alice.pk}/reactivate",
        {"reason": "Back"},
        content_type="application/json",
    )
    assert on.json()["active"] is True
    row = Membership.objects.get(user=world.user("arthur"))
    revoked = carol.post(
        f"{base(world)}/roles/{row.pk}/revoke", {"reason": "x"}, content_type="application/json"
    )
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    kinds = list(AccountEvent.objects.values_list("kind", flat=True))
    assert kinds == [
        "invited",
        "invitation_resent",
        "invitation_cancelled",
        "deactivated",
        "reactivated",
        "role_revoked",
    ]


@pytest.mark.parametrize(("who", "status"), [("sue", 404), ("alice", 403), ("dan", 404)])
def test_denials(world: World, who: str, status: int) -> None:
    client = api(world, who)
    assert client.get(f"{base(world)}/accounts").status_code == status
    sent = client.post(
        f"{base(world)}/invitations",
        {"email": "zoe@example.org", "role": "assessor"},
        content_type="application/json",
    )
    assert sent.status_code == status
    deactivate = client.post(
        f"{base(world)}/accounts/{world.user('arthur').pk}/deactivate",
        {"reason": "x"},
        content_type="application/json",
    )
    assert deactivate.status_code == status
    assert not Invitation.objects.exists() and not AccountEvent.objects.exists()


def test_refusals_are_422_with_the_field(world: World, sending: Any) -> None:
    carol = api(world, "carol")
    refused = carol.post(
        f"{base(world)}/invitations",
        {"email": "eli@example.org", "role": "candidate"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "registration"
    admin = carol.post(
        f"{base(world)}/invitations",
        {"email": "boss@example.org", "role": "centre_admin"},
        content_type="application/json",
    )
    assert admin.status_code == 403
    own = carol.post(
        f"{base(world)}/accounts/{world.user('carol').pk}/deactivate",
        {"reason": "x"},
        content_type="application/json",
    )
    assert own.status_code == 403


def test_a_used_token_cannot_be_reused_after_an_api_invitation(world: World, sending: Any) -> None:
    with sending():
        sent = api(world, "carol").post(
            f"{base(world)}/invitations",
            {"email": "zoe@example.org", "role": "tutor"},
            content_type="application/json",
        )
    token = sent.json()["link"].rstrip("/").rsplit("/", 1)[1]
    invitation_accept(token=token, password=PASSWORD)
    assert Client().get(f"/invitation/{token}/").status_code == 410


def test_the_endpoints_are_in_the_openapi_document(world: World) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/centres/{centre_id}/accounts",
        "/api/v1/centres/{centre_id}/invitations",
        "/api/v1/centres/{centre_id}/invitations/{invitation_id}/resend",
        "/api/v1/centres/{centre_id}/invitations/{invitation_id}/cancel",
        "/api/v1/centres/{centre_id}/accounts/{user_id}/deactivate",
        "/api/v1/centres/{centre_id}/accounts/{user_id}/reactivate",
        "/api/v1/centres/{centre_id}/roles/{membership_id}/revoke",
    ]:
        assert path in paths, path
