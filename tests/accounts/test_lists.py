"""The people and invitations of a centre and of a certifying body are keyset pages in the API,
on the pages and in ``assay user list`` (issue 12): walking returns each person and invitation
once, a page costs the same queries however many there are, another centre's or body's
administrator sees none of them (the centre or body is narrowed before the cursor applies), and
an edited cursor answers 400 with a message."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assay.accounts.invitations import InviteInput, invitation_send
from assay.accounts.models import Invitation
from assay.audits import services as svc
from assay.centres.models import Membership, Role
from assay.centres.services import membership_grant
from tests.accounts.test_bodies import Bodies, bw  # noqa: F401  (the fixture)
from tests.cli.helpers import run
from tests.factories import make_user
from tests.keyset_walk import BAD_CURSORS, api_queries, page_queries, walk_pages
from tests.world import World

pytestmark = pytest.mark.django_db
USER_ROW = r'<tr data-user="([^"]+)"'
INVITATION_ROW = r'<tr data-invitation="([^"]+)"'


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(world: World, n: int, *, start: int = 0) -> None:
    """``n`` more assessors at Northgate, some sharing a name (the username breaks the tie)."""
    for i in range(start, start + n):
        person = get_user_model().objects.create_user(
            f"extra{i:02d}", first_name="Extra", last_name=f"Name{i // 3}"
        )
        membership_grant(
            by=world.user("carol"), centre=world.north, user=person, role=Role.ASSESSOR
        )


def invitations(world: World, n: int, *, start: int = 0) -> None:
    for i in range(start, start + n):
        invitation_send(
            by=world.user("carol"),
            centre=world.north,
            data=InviteInput(email=f"new{i:02d}@example.org", role="assessor"),
        )


def north_people(world: World) -> list[str]:
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(centre=world.north).values("user_id")
    )
    return list(
        users.order_by("last_name", "first_name", "username", "pk").values_list(
            "username", flat=True
        )
    )


def north_invitations(world: World) -> list[str]:
    rows = Invitation.objects.filter(centre=world.north, accepted_at__isnull=True)
    return list(rows.order_by("-sent_at", "-pk").values_list("email", flat=True))


@pytest.mark.parametrize("size", [1, 4, 50])
def test_walking_the_centres_people_and_invitations(
    world: World, settings_mail: Any, size: int
) -> None:
    staff(world, 7)
    invitations(world, 5)
    client = signed_in(world.user("carol"))
    url = f"/api/v1/centres/{world.north.pk}/accounts"

    def people_page(query: str) -> Any:
        return client.get(f"{url}?{query}").json()["people"]

    people, cursor = [], ""
    while True:
        page = people_page(f"size={size}" + (f"&cursor={cursor}" if cursor else ""))
        people += [p["username"] for p in page["items"]]
        if not page["next"]:
            break
        cursor = page["next"]
    assert people == north_people(world)
    emails, cursor = [], ""
    while True:
        query = f"size={size}" + (f"&invitations_cursor={cursor}" if cursor else "")
        page = client.get(f"{url}?{query}").json()["invitations"]
        emails += [i["email"] for i in page["items"]]
        if not page["next"]:
            break
        cursor = page["next"]
    assert emails == north_invitations(world)
    web = f"/centres/{world.north.pk}/accounts/?size={size}"
    assert walk_pages(client, web, USER_ROW) == north_people(world)
    assert walk_pages(client, web, INVITATION_ROW, "invitations") == north_invitations(world)


def test_another_centres_administrator_sees_none_whatever_the_cursor(
    world: World, settings_mail: Any
) -> None:
    staff(world, 4)
    carol, sue = signed_in(world.user("carol")), signed_in(world.user("sue"))
    north = f"/api/v1/centres/{world.north.pk}/accounts"
    south = f"/api/v1/centres/{world.south.pk}/accounts"
    cursor = carol.get(f"{north}?size=1").json()["people"]["next"]
    assert sue.get(f"{north}?cursor={cursor}").status_code == 404
    assert sue.get(f"/centres/{world.north.pk}/accounts/?cursor={cursor}").status_code == 404
    # Northgate's cursor at Southgate lists Southgate's people only.
    page = sue.get(f"{south}?size=50&cursor={cursor}")
    assert page.status_code == 200
    assert {p["username"] for p in page.json()["people"]["items"]} <= {"sue", "evan"}
    assert signed_in(world.user("alice")).get(north).status_code == 403


def test_a_centre_accounts_page_costs_the_same_queries_for_few_or_many(
    world: World, settings_mail: Any
) -> None:
    client = signed_in(world.user("carol"))
    url = f"/api/v1/centres/{world.north.pk}/accounts?size=200"
    web = f"/centres/{world.north.pk}/accounts/?size=200"
    small = (api_queries(client, url), page_queries(client, web))
    staff(world, 30)
    invitations(world, 12)
    assert (api_queries(client, url), page_queries(client, web)) == small


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400(world: World, cursor: str) -> None:
    carol = signed_in(world.user("carol"))
    for param in ("cursor", "invitations_cursor"):
        response = carol.get(f"/api/v1/centres/{world.north.pk}/accounts?{param}={cursor}")
        assert response.status_code == 400
        assert "page link is not valid" in response.json()["error"]["message"]
    for param in ("cursor", "invitations"):
        page = carol.get(f"/centres/{world.north.pk}/accounts/?{param}={cursor}")
        assert page.status_code == 400 and "page link is not valid" in page.content.decode()


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_at_a_body_answers_400(bw: Bodies, cursor: str) -> None:  # noqa: F811
    ada = signed_in(bw["ada"])
    for param in ("cursor", "invitations"):
        page = ada.get(f"/audits/bodies/{bw.csi.pk}/accounts/?{param}={cursor}")
        assert page.status_code == 400 and "page link is not valid" in page.content.decode()
    for param in ("cursor", "invitations_cursor"):
        api = ada.get(f"/api/v1/bodies/{bw.csi.pk}/accounts?{param}={cursor}")
        assert api.status_code == 400


# --- a certifying body ---------------------------------------------------------------------------


def auditors(bw: Bodies, n: int) -> list[str]:  # noqa: F811
    names = []
    for i in range(n):
        person = make_user(f"auditor{i:02d}", last_name=f"Auditor{i // 2}")
        svc.body_role_grant(by=bw["ada"], body=bw.csi, user=person, role="auditor")
        names.append(person.username)
    return names


def test_walking_the_bodys_people(bw: Bodies) -> None:  # noqa: F811
    auditors(bw, 7)
    client = signed_in(bw["ada"])
    users = get_user_model().objects.filter(body_memberships__body=bw.csi).distinct()
    expected = list(
        users.order_by("last_name", "first_name", "username", "pk").values_list(
            "username", flat=True
        )
    )
    url = f"/api/v1/bodies/{bw.csi.pk}/accounts"
    for size in (1, 3):
        people, cursor = [], ""
        while True:
            query = f"size={size}" + (f"&cursor={cursor}" if cursor else "")
            page = client.get(f"{url}?{query}").json()["people"]
            people += [p["username"] for p in page["items"]]
            if not page["next"]:
                break
            cursor = page["next"]
        assert people == expected
        web = f"/audits/bodies/{bw.csi.pk}/accounts/?size={size}"
        assert walk_pages(client, web, USER_ROW) == expected
    # The other body's administrator: 404, whatever the cursor.
    cursor = client.get(f"{url}?size=1").json()["people"]["next"]
    assert signed_in(bw["oth"]).get(f"{url}?cursor={cursor}").status_code == 404
    other = signed_in(bw["oth"]).get(f"/api/v1/bodies/{bw.other.pk}/accounts?cursor={cursor}")
    assert other.status_code == 200
    assert {p["username"] for p in other.json()["people"]["items"]} <= {"oth"}


def test_a_body_accounts_page_costs_the_same_queries_for_few_or_many(bw: Bodies) -> None:  # noqa: F811
    client = signed_in(bw["ada"])
    url = f"/api/v1/bodies/{bw.csi.pk}/accounts?size=200"
    web = f"/audits/bodies/{bw.csi.pk}/accounts/?size=200"
    small = (api_queries(client, url), page_queries(client, web))
    auditors(bw, 25)
    assert (api_queries(client, url), page_queries(client, web)) == small


# --- the CLI -------------------------------------------------------------------------------------


def test_the_cli_reads_on_with_the_printed_cursor(world: World, settings_mail: Any) -> None:
    staff(world, 5)
    seen: list[str] = []
    args = ["user", "list", "0042", "--size", "4", "--as", "carol"]
    cursor = None
    while True:
        code, out, err = run(*args, *(["--cursor", cursor] if cursor else []), "--json")
        assert code == 0, err
        data = json.loads(out)
        seen += [p["username"] for p in data["people"]]
        if not data["next"]:
            break
        cursor = data["next"]
    assert seen == north_people(world)
    code, _, err = run(*args)
    found = re.search(r"more people: --cursor (\S+)", err)
    assert code == 0 and found
    code, _, err = run(*args, "--cursor", "junk")
    assert code == 2 and "page link is not valid" in err
