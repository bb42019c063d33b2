"""The people and roles page is a keyset page of the centre's staff (issue 12): walking it shows
each person once, by name; a page costs the same queries however many staff there are; another
centre's administrator reads none of them, whatever the cursor; a form posted from a later page
comes back to that page with its errors; an edited link answers 400 with a message."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assay.centres.models import CpdEntry, Membership, Role
from assay.centres.services import membership_grant
from tests.keyset_walk import BAD_CURSORS, page_queries, walk_pages
from tests.world import World

pytestmark = pytest.mark.django_db
PERSON = r'<section class="person card"[^>]*data-user="([^"]+)"'


def signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def url(world: World) -> str:
    return f"/centres/{world.north.pk}/people/"


def more_staff(world: World, n: int) -> None:
    for i in range(n):
        person = get_user_model().objects.create_user(
            f"staff{i:02d}", first_name="Staff", last_name=f"Member{i // 2}"
        )
        membership_grant(by=world.user("carol"), centre=world.north, user=person, role=Role.TUTOR)


def staff_by_name(world: World) -> list[str]:
    held = Membership.objects.filter(centre=world.north, active=True).exclude(role=Role.CANDIDATE)
    users = get_user_model().objects.filter(pk__in=held.values("user_id"))
    return list(
        users.order_by("last_name", "first_name", "username", "pk").values_list(
            "username", flat=True
        )
    )


@pytest.mark.parametrize("size", [1, 3, 50])
def test_walking_the_people_page_shows_each_person_once(world: World, size: int) -> None:
    more_staff(world, 5)
    shown = walk_pages(signed_in(world, "carol"), f"{url(world)}?size={size}", PERSON)
    assert shown == staff_by_name(world)
    assert "dan" not in shown  # candidates are not staff


def test_a_people_page_costs_the_same_queries_for_few_or_many(world: World) -> None:
    client = signed_in(world, "carol")
    few = page_queries(client, f"{url(world)}?size=200")
    more_staff(world, 20)
    assert page_queries(client, f"{url(world)}?size=200") == few


def test_another_centres_administrator_reads_none_whatever_the_cursor(world: World) -> None:
    more_staff(world, 3)
    cursor = signed_in(world, "carol").get(f"{url(world)}?size=1").context["page"].pages.next
    assert signed_in(world, "sue").get(f"{url(world)}?cursor={cursor}").status_code == 404
    south = signed_in(world, "sue").get(f"/centres/{world.south.pk}/people/?cursor={cursor}")
    assert south.status_code == 200
    assert set(re.findall(PERSON, south.content.decode())) <= {"sue", "evan"}


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_link_answers_400(world: World, cursor: str) -> None:
    response = signed_in(world, "carol").get(f"{url(world)}?cursor={cursor}")
    assert response.status_code == 400 and "page link is not valid" in response.content.decode()


def test_a_form_posted_from_a_later_page_comes_back_to_it(world: World) -> None:
    more_staff(world, 6)
    client = signed_in(world, "carol")
    first = client.get(f"{url(world)}?size=3")
    cursor = first.context["page"].pages.next
    second = client.get(f"{url(world)}?size=3&cursor={cursor}")
    target = re.findall(PERSON, second.content.decode())[0]
    pk = get_user_model().objects.get(username=target).pk
    action = f"/centres/{world.north.pk}/people/{pk}/cpd?size=3&amp;cursor={quote(cursor)}"
    assert action in second.content.decode()
    form = {f"cpd-{pk}-on": "2013-03-02", f"cpd-{pk}-hours": "1", f"cpd-{pk}-activity": "x"}
    refused = client.post(f"/centres/{world.north.pk}/people/{pk}/cpd?size=3&cursor={cursor}", form)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "is after today" in body
    assert re.findall(PERSON, body) == re.findall(PERSON, second.content.decode())
    # The person stays reachable if the page moved on: a form for someone not on the page.
    elsewhere = re.findall(PERSON, first.content.decode())[0]
    other = get_user_model().objects.get(username=elsewhere).pk
    good = {
        f"cpd-{other}-on": "2013-02-25",
        f"cpd-{other}-hours": "1",
        f"cpd-{other}-activity": "x",
    }
    posted = client.post(
        f"/centres/{world.north.pk}/people/{other}/cpd?size=3&cursor={cursor}", good
    )
    assert posted.status_code == 302
    assert CpdEntry.objects.filter(user_id=other, activity="x").count() == 1


def test_a_long_cpd_log_shows_its_newest_entries_and_the_whole_total(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from assay.centres.people import cpd_record

    client = signed_in(world, "carol")
    few = page_queries(client, f"{url(world)}?size=200")
    alice = world.user("alice")
    before = sum((e.hours for e in CpdEntry.objects.filter(user=alice)), Decimal(0))
    for day in range(1, 14):
        cpd_record(
            by=alice, user=alice, on=dt.date(2013, 1, day), hours=Decimal("1.5"), activity=f"d{day}"
        )
    assert page_queries(client, f"{url(world)}?size=200") == few
    body = client.get(url(world)).content.decode()
    alice_part = re.search(r'data-user="alice">.*?</section>', body, re.S)
    assert alice_part
    text = alice_part.group(0)
    count = CpdEntry.objects.filter(user=alice).count()
    assert text.count("<li><time") == 10
    assert f'data-cpd-earlier="{count - 10}"' in text
    assert f"{before + Decimal('19.5')} hours" in text
    assert "d13" in text and "d1<" not in text  # the newest shown, the oldest not
