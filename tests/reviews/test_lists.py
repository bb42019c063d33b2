"""A registration's assessment plans and reviews are keyset pages in the API and on the page
(issue 12): walking returns each record once, oldest first; a review at the top of a page
still shows its progress since the record before it; a page costs the same queries however
many records there are; nobody who may not see the registration reads a page of it, whatever
the cursor; an edited cursor answers 400 with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from assay.accounts.services import token_create
from assay.portfolios.assessment import criterion_judge, mapping_decide
from assay.reviews.models import AssessmentPlan
from assay.reviews.selectors import registration_reviews
from tests.keyset_walk import BAD_CURSORS, api_queries, page_queries, walk_api, walk_pages
from tests.reviews.helpers import seed_plan
from tests.world import World

pytestmark = pytest.mark.django_db
CARD = r'<article class="review-card" id="plan-(\d+)"'


def bearer(world: World, name: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=world.user(name), name='t')[1]}"}


def url(world: World) -> str:
    return f"/api/v1/registrations/{world.dan.pk}/reviews"


def records(world: World) -> None:
    """A plan, then progress (one criterion met), then four reviews, two on one day."""
    alice = world.user("alice")
    seed_plan(world, met_on=dt.date(2013, 2, 1))
    mapping_decide(by=alice, mapping=world.mapping, confirm=True)
    criterion_judge(by=alice, registration=world.dan, unit="401", criterion="1.1", met=True)
    for day in (3, 3, 10, 20):
        seed_plan(world, kind="review", met_on=dt.date(2013, 2, day))


@pytest.mark.parametrize("size", [1, 2, 50])
def test_walking_returns_each_record_once_with_its_progress(world: World, size: int) -> None:
    records(world)
    listed = walk_api(Client(), url(world), size, **bearer(world, "dan"))
    everything = registration_reviews(world.dan)
    assert [p["id"] for p in listed] == [v.plan.pk for v in everything]
    # The first review (alone on its page at size 1) compares with the plan before it.
    assert listed[1]["progress"] == [
        {"unit": "401", "met_before": 0, "met_after": 1, "total": 29, "gained": 1,
         "newly_signed_off": False}
    ]  # fmt: skip
    assert listed[0]["progress"] is None
    client = Client()
    client.force_login(world.user("alice"))
    shown = walk_pages(client, f"/registrations/{world.dan.pk}/reviews/?size={size}", CARD)
    assert [int(pk) for pk in shown] == [v.plan.pk for v in everything]


def test_progress_at_the_top_of_a_page_is_shown_on_the_page(world: World) -> None:
    records(world)
    client = Client()
    client.force_login(world.user("dan"))
    first = client.get(f"/registrations/{world.dan.pk}/reviews/?size=1")
    second = client.get(
        f"/registrations/{world.dan.pk}/reviews/?size=1&cursor={first.context['views'].next}"
    )
    assert "Progress since the previous record" in second.content.decode()


@pytest.mark.parametrize("who", ["dora", "arthur", "sue"])
def test_nobody_else_reads_a_page_whatever_the_cursor(world: World, who: str) -> None:
    records(world)
    cursor = Client().get(f"{url(world)}?size=1", **bearer(world, "dan")).json()["next"]
    response = Client().get(f"{url(world)}?cursor={cursor}", **bearer(world, who))
    assert response.status_code == 404
    client = Client()
    client.force_login(world.user(who))
    page = client.get(f"/registrations/{world.dan.pk}/reviews/?cursor={cursor}")
    assert page.status_code == 404
    # Dan's cursor on Dora's registration lists Dora's records only (none).
    dora = f"/api/v1/registrations/{world.dora.pk}/reviews?cursor={cursor}"
    assert Client().get(dora, **bearer(world, "dora")).json()["items"] == []


def test_a_page_costs_the_same_queries_for_few_or_many(world: World) -> None:
    seed_plan(world)
    seed_plan(world, kind="review", met_on=dt.date(2013, 2, 1))
    headers = bearer(world, "alice")
    client = Client()
    client.force_login(world.user("alice"))
    cursor = Client().get(f"{url(world)}?size=1", **headers).json()["next"]
    web = f"/registrations/{world.dan.pk}/reviews/?size=100"
    small = (
        api_queries(Client(), f"{url(world)}?size=100", **headers),
        api_queries(Client(), f"{url(world)}?size=100&cursor={cursor}", **headers),
        page_queries(client, web),
    )
    for day in range(2, 22):
        seed_plan(world, kind="review", met_on=dt.date(2013, 2, day))
    assert AssessmentPlan.objects.count() == 22
    cursor = Client().get(f"{url(world)}?size=1", **headers).json()["next"]
    large = (
        api_queries(Client(), f"{url(world)}?size=100", **headers),
        api_queries(Client(), f"{url(world)}?size=100&cursor={cursor}", **headers),
        page_queries(client, web),
    )
    assert small == large


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400(world: World, cursor: str) -> None:
    response = Client().get(f"{url(world)}?cursor={cursor}", **bearer(world, "dan"))
    assert response.status_code == 400
    assert "page link is not valid" in response.json()["error"]["message"]
    client = Client()
    client.force_login(world.user("dan"))
    page = client.get(f"/registrations/{world.dan.pk}/reviews/?cursor={cursor}")
    assert page.status_code == 400 and "page link is not valid" in page.content.decode()
