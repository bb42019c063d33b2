"""A certifying body's accounts: Ada (the Customer Service Institute's administrator) invites
auditors, decision makers and administrators, who accept with a password and hold the body
role; she revokes roles with a reason. An auditor, a centre administrator and another body's
administrator cannot; nobody revokes their own role or the body's last administrator. The same
through the pages, the API and the CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from assay.accounts.bodies import body_role_revoke
from assay.accounts.invitations import (
    InviteInput,
    body_invitation_send,
    invitation_accept,
    invitation_cancel,
    invitation_resend,
)
from assay.accounts.models import AccountEvent, Invitation
from assay.accounts.services import token_create
from assay.audits import services as svc
from assay.audits.models import BodyMembership, CertifyingBody
from assay.centres.models import Centre, Membership
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from tests.accounts.conftest import token_in_last_email
from tests.cli.helpers import assert_fails, run
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Harbour-pass-42"


@dataclass
class Bodies:
    csi: CertifyingBody
    other: CertifyingBody
    people: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.people[name]

    def role(self, name: str, role: str = "auditor") -> BodyMembership:
        return BodyMembership.objects.get(user=self[name], body=self.csi, role=role)


@pytest.fixture
def bw(settings: Any) -> Bodies:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    names = ["ada", "aud", "dm", "oth", "carol", "nobody"]
    people = {n: make_user(n, email=f"{n}@example.org") for n in names}
    people["operator"] = make_user("operator", is_superuser=True, is_staff=True)
    op = people["operator"]
    csi = svc.body_create(by=op, name="Customer Service Institute", reference="CSI")
    other = svc.body_create(by=op, name="Other Certification", reference="OTH")
    svc.body_role_grant(by=op, body=csi, user=people["ada"], role="administrator")
    svc.body_role_grant(by=op, body=other, user=people["oth"], role="administrator")
    svc.body_role_grant(by=op, body=csi, user=people["aud"], role="auditor")
    svc.body_role_grant(by=op, body=csi, user=people["dm"], role="decision_maker")
    centre = Centre.objects.create(number="0042", name="Northgate")
    Membership.objects.create(user=people["carol"], centre=centre, role="centre_admin")
    return Bodies(csi, other, people)


def invite(bw: Bodies, sending: Any, by: str = "ada", **data: Any) -> str:
    values = {"email": "zoe@example.org", "role": "auditor", "first_name": "Zoe", **data}
    with sending():
        body_invitation_send(by=bw[by], body=bw.csi, data=InviteInput(**values))
    return token_in_last_email()


# --- services ---------------------------------------------------------------------------------


def test_an_auditor_is_invited_accepts_and_holds_the_body_role(bw: Bodies, sending: Any) -> None:
    token = invite(bw, sending)
    row = Invitation.objects.get()
    assert row.body == bw.csi and row.centre is None and row.token_sha256 == text_sha256(token)
    assert "Customer Service Institute" in mail.outbox[-1].subject
    assert "as auditor" in mail.outbox[-1].body
    user = invitation_accept(token=token, password=PASSWORD)
    held = BodyMembership.objects.get(user=user)
    assert (held.body, held.role, held.active, held.granted_by) == (
        bw.csi,
        "auditor",
        True,
        bw["ada"],
    )
    events = list(AccountEvent.objects.values_list("kind", "body_id"))
    assert events == [("invited", bw.csi.pk), ("accepted", bw.csi.pk)]
    with pytest.raises(InvalidInput, match="already been used"):
        invitation_accept(token=token, password=PASSWORD)


@pytest.mark.parametrize("role", ["administrator", "decision_maker"])
def test_the_operator_invites_every_body_role(bw: Bodies, sending: Any, role: str) -> None:
    user = invitation_accept(token=invite(bw, sending, by="operator", role=role), password=PASSWORD)
    assert BodyMembership.objects.filter(user=user, body=bw.csi, role=role).exists()


@pytest.mark.parametrize("who", ["aud", "dm", "carol", "oth", "nobody"])
def test_only_the_bodys_administrators_invite(bw: Bodies, who: str) -> None:
    data = InviteInput("zoe@example.org", "auditor")
    with pytest.raises(NotAllowed, match="certifying body's administrators"):
        body_invitation_send(by=bw[who], body=bw.csi, data=data)
    assert not Invitation.objects.exists() and not AccountEvent.objects.exists()


def test_a_centre_role_is_not_a_body_role(bw: Bodies) -> None:
    with pytest.raises(InvalidInput, match="no role 'assessor' at a certifying body"):
        body_invitation_send(
            by=bw["ada"], body=bw.csi, data=InviteInput("z@example.org", "assessor")
        )


def test_an_invitation_is_to_a_centre_or_a_body_never_both_nor_neither(bw: Bodies) -> None:
    centre = Centre.objects.get()
    for where in [{}, {"centre": centre, "body": bw.csi}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Invitation.objects.create(
                email="x@example.org",
                role="auditor",
                token_sha256=f"{len(where)}" * 64,
                invited_by=bw["ada"],
                expires_at="2030-01-01T00:00Z",
                **where,
            )


def test_resend_and_cancel_by_the_bodys_administrator_only(bw: Bodies, sending: Any) -> None:
    first = invite(bw, sending)
    row = Invitation.objects.get()
    for who in ["aud", "carol", "oth"]:
        with pytest.raises(NotAllowed):
            invitation_resend(by=bw[who], invitation=row)
        with pytest.raises(NotAllowed):
            invitation_cancel(by=bw[who], invitation=row)
    with sending():
        invitation_resend(by=bw["ada"], invitation=row)
    second = token_in_last_email()
    with pytest.raises(InvalidInput):
        invitation_accept(token=first, password=PASSWORD)
    invitation_cancel(by=bw["ada"], invitation=row, reason="wrong person")
    with pytest.raises(InvalidInput, match="cancelled"):
        invitation_accept(token=second, password=PASSWORD)


def test_a_revoked_role_is_recorded_with_its_reason(bw: Bodies) -> None:
    row = body_role_revoke(by=bw["ada"], membership=bw.role("aud"), reason="Left the body")
    assert not row.active
    event = AccountEvent.objects.get()
    assert (event.kind, event.user, event.body, event.role, event.by, event.reason) == (
        "role_revoked",
        bw["aud"],
        bw.csi,
        "auditor",
        bw["ada"],
        "Left the body",
    )


@pytest.mark.parametrize("who", ["aud", "dm", "carol", "oth", "nobody"])
def test_only_the_bodys_administrators_revoke(bw: Bodies, who: str) -> None:
    with pytest.raises(NotAllowed):
        body_role_revoke(by=bw[who], membership=bw.role("dm", "decision_maker"), reason="x")
    assert bw.role("dm", "decision_maker").active and not AccountEvent.objects.exists()


def test_never_the_last_administrator_never_oneself_always_a_reason(bw: Bodies) -> None:
    ada = bw.role("ada", "administrator")
    with pytest.raises(NotAllowed, match="your own role"):
        body_role_revoke(by=bw["ada"], membership=ada, reason="stepping down")
    with pytest.raises(NotAllowed, match="certifying body's last administrator"):
        body_role_revoke(by=bw["operator"], membership=ada, reason="stepping down")
    with pytest.raises(InvalidInput, match="reason"):
        body_role_revoke(by=bw["ada"], membership=bw.role("aud"), reason="  ")
    svc.body_role_grant(by=bw["ada"], body=bw.csi, user=bw["dm"], role="administrator")
    body_role_revoke(by=bw["dm"], membership=ada, reason="stepping down")
    assert not bw.role("ada", "administrator").active


# --- pages ------------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_people_and_invitations_in_bounded_queries(
    bw: Bodies, sending: Any, django_assert_max_num_queries: Any
) -> None:
    invite(bw, sending)
    client = client_for(bw["ada"])
    url = f"/audits/bodies/{bw.csi.pk}/accounts/"
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    for label in ["Email address", "First name", "Last name", "Role", "Send the invitation"]:
        assert label in page
    assert 'data-invitation="zoe@example.org"' in page and 'data-user="aud"' in page
    for n in range(30):
        person = make_user(f"auditor{n:02d}")
        svc.body_role_grant(by=bw["ada"], body=bw.csi, user=person, role="auditor")
    with django_assert_max_num_queries(11):
        page = client.get(url + "?size=25").content.decode()
    assert 'rel="next"' in page and page.count("data-user=") == 25


def test_invite_through_the_page_and_errors_change_nothing(bw: Bodies, sending: Any) -> None:
    client = client_for(bw["ada"])
    url = f"/audits/bodies/{bw.csi.pk}/accounts/invite"
    bad = client.post(url, {"email": "ada@example.org", "role": "auditor"})
    assert bad.status_code == 400 and "already has an account" in bad.content.decode()
    assert not Invitation.objects.exists()
    with sending():
        response = client.post(url, {"email": "zoe@example.org", "role": "decision_maker"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == "decision_maker"


def test_revoke_through_its_confirmation_page(bw: Bodies) -> None:
    client = client_for(bw["ada"])
    url = f"/audits/bodies/{bw.csi.pk}/accounts/roles/{bw.role('aud').pk}/revoke"
    page = client.get(url).content.decode()
    assert "Revoke the role auditor" in page and "Reason" in page
    assert client.post(url, {"reason": ""}).status_code == 400
    assert bw.role("aud").active
    assert client.post(url, {"reason": "Left"}).status_code == 302
    assert not bw.role("aud").active


def test_the_audits_page_links_to_the_accounts_for_administrators_only(bw: Bodies) -> None:
    link = f"/audits/bodies/{bw.csi.pk}/accounts/"
    assert link in client_for(bw["ada"]).get("/audits/").content.decode()
    assert link in client_for(bw["operator"]).get("/audits/").content.decode()
    for who in ["aud", "dm", "oth"]:
        assert link not in client_for(bw[who]).get("/audits/").content.decode()


def test_another_bodys_administrator_gets_404(bw: Bodies) -> None:
    client = client_for(bw["oth"])
    assert client.get(f"/audits/bodies/{bw.csi.pk}/accounts/").status_code == 404
    assert client_for(bw["aud"]).get(f"/audits/bodies/{bw.csi.pk}/accounts/").status_code == 403
    assert client_for(bw["ada"]).get("/audits/bodies/999999/accounts/").status_code == 404


# --- API --------------------------------------------------------------------------------------


def api(bw: Bodies, who: str, method: str, path: str, body: Any = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": "Bearer " + token_create(user=bw[who])[1]}
    if method == "get":
        return Client().get("/api/v1/" + path, **headers)
    return Client().post(
        "/api/v1/" + path, json.dumps(body or {}), content_type="application/json", **headers
    )


def test_the_api_invites_lists_and_revokes(bw: Bodies, sending: Any) -> None:
    with sending():
        sent = api(
            bw,
            "ada",
            "post",
            f"bodies/{bw.csi.pk}/invitations",
            {"email": "zoe@example.org", "role": "auditor", "first_name": "Zoe"},
        )
    assert sent.status_code == 201, sent.content
    data = sent.json()
    assert (
        data["body_id"] == bw.csi.pk
        and data["centre_id"] is None
        and "/invitation/" in data["link"]
    )
    listed = api(bw, "ada", "get", f"bodies/{bw.csi.pk}/accounts").json()
    assert [i["email"] for i in listed["invitations"]["items"]] == ["zoe@example.org"]
    roles = {p["username"]: [r["role"] for r in p["roles"]] for p in listed["people"]["items"]}
    assert roles == {"ada": ["administrator"], "aud": ["auditor"], "dm": ["decision_maker"]}
    mid = bw.role("ada", "administrator").pk
    last = api(bw, "operator", "post", f"bodies/{bw.csi.pk}/roles/{mid}/revoke", {"reason": "x"})
    assert last.status_code == 403 and "last administrator" in last.json()["error"]["message"]
    bad = api(
        bw,
        "ada",
        "post",
        f"bodies/{bw.csi.pk}/invitations",
        {"email": "x@example.org", "role": "assessor"},
    )
    assert bad.status_code == 422
    gone = api(bw, "oth", "get", f"bodies/{bw.csi.pk}/accounts")
    assert gone.status_code == 404


def test_the_endpoints_are_in_the_openapi_document() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/bodies/{body_id}/accounts",
        "/api/v1/bodies/{body_id}/invitations",
        "/api/v1/bodies/{body_id}/roles/{membership_id}/revoke",
    ]:
        assert path in paths, path


# --- CLI --------------------------------------------------------------------------------------


def test_the_cli_invites_and_lists_at_a_body(bw: Bodies) -> None:
    code, out, err = run(
        "user", "invite", "--body", "CSI", "zoe@example.org", "--role", "auditor", "--as", "ada"
    )
    assert code == 0, err
    assert "/invitation/" in out and "sent to zoe@example.org as auditor" in err
    assert Invitation.objects.get().body == bw.csi
    code, listed, _ = run("user", "list", "--body", str(bw.csi.pk), "--json", "--as", "ada")
    data = json.loads(listed)
    assert [i["email"] for i in data["invitations"]] == ["zoe@example.org"]
    assert {p["username"] for p in data["people"]} == {"ada", "aud", "dm"}


def test_the_cli_refuses_in_one_line(bw: Bodies) -> None:
    assert_fails(
        ["user", "invite", "--body", "CSI", "z@example.org", "--role", "auditor", "--as", "aud"],
        "not allowed: only the certifying body's administrators can manage its accounts",
    )
    assert_fails(
        ["user", "invite", "--body", "OTH", "z@example.org", "--role", "auditor", "--as", "ada"],
        "no certifying body " + str(bw.other.pk),
    )
    assert_fails(
        ["user", "invite", "--body", "NOPE", "z@example.org", "--role", "auditor", "--as", "ada"],
        "unknown certifying body 'NOPE'",
    )
    assert not Invitation.objects.exists()


def test_a_link_from_an_administrator_who_lost_the_role_is_void(bw: Bodies, sending: Any) -> None:
    svc.body_role_grant(by=bw["operator"], body=bw.csi, user=bw["dm"], role="administrator")
    token = invite(bw, sending)
    body_role_revoke(
        by=bw["dm"], membership=bw.role("ada", "administrator"), reason="Left the body"
    )
    with pytest.raises(InvalidInput, match="no longer valid"):
        invitation_accept(token=token, password=PASSWORD)
    assert not get_user_model().objects.filter(username="zoe@example.org").exists()
    assert Invitation.objects.get().accepted_at is None
