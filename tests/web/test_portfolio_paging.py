"""Portfolio pages a page at a time (issue 12): the candidate and the assessor see only their
own portfolio's evidence across pages and in the on-demand proposal form, a bad page link is
a 400 (in the API: 400 for a cursor, 422 for a size) and never a 500, and queries do not
grow with the number of items."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from assay.portfolios.models import CriterionMapping, EvidenceItem
from assay.portfolios.services import evidence_add
from assay.registrations.models import Registration
from tests.world import World

pytestmark = pytest.mark.django_db


def client_for(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def url(reg: Registration, path: str) -> str:
    return f"/registrations/{reg.pk}/{path}"


def many(world: World, reg: Registration, n: int, unit: str | None = "401") -> list[int]:
    """``n`` more items on ``reg`` (bulk), each proposed for ``unit`` 1.2 when given."""
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=reg,
            method="observation",
            started_on=dt.date(2013, 1, 1) + dt.timedelta(days=i % 30),
            ended_on=dt.date(2013, 1, 1) + dt.timedelta(days=i % 30),
            description=f"Bulk item {i}",
            context="real_job",
            created_by=world.user("dan"),
        )
        for i in range(n)
    )
    if unit:
        CriterionMapping.objects.bulk_create(
            CriterionMapping(item=i, unit_number=unit, target="1.2", proposed_by=world.user("dan"))
            for i in items
        )
    return [i.pk for i in items]


def shown(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="(?:evidence|item)-(\d+)"', body)}


def follow_pages(client: Client, first: str) -> list[set[int]]:
    pages, link = [], first
    while link:
        response = client.get(link)
        assert response.status_code == 200
        body = response.content.decode()
        pages.append(shown(body))
        found = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', body)
        link = first.split("?")[0] + found.group(1).replace("&amp;", "&") if found else ""
    return pages


def test_candidate_pages_through_only_their_own_evidence(world: World) -> None:
    mine = set(many(world, world.dan, 60)) | {world.item.pk}
    theirs = set(many(world, world.dora, 5, unit=None))
    pages = follow_pages(client_for(world, "dan"), url(world.dan, "portfolio/"))
    assert [len(p) for p in pages] == [50, 11]
    assert set().union(*pages) == mine and not mine & theirs


def test_unit_page_pages_only_the_units_evidence(world: World) -> None:
    mapped = set(many(world, world.dan, 55)) | {world.item.pk}
    unmapped = set(many(world, world.dan, 3, unit=None))
    pages = follow_pages(client_for(world, "alice"), url(world.dan, "units/401/"))
    assert [len(p) for p in pages] == [50, 6]
    assert set().union(*pages) == mapped and not mapped & unmapped


def test_proposal_form_on_demand_for_the_candidates_own_item_only(world: World) -> None:
    dan = client_for(world, "dan")
    own = url(world.dan, f"portfolio/evidence/{world.item.pk}/propose")
    partial = dan.get(own, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "Propose mappings to unit 401" in body and "<html" not in body
    page = dan.get(own)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert "Propose mappings to unit 401" in page.content.decode()
    dora_item = evidence_add(
        by=world.user("dora"),
        registration=world.dora,
        method="observation",
        started_on=dt.date(2013, 1, 3),
        description="Dora's",
        context="real_job",
    )
    # Another candidate's item, under Dana's registration or under its own: 404 both.
    assert dan.get(url(world.dan, f"portfolio/evidence/{dora_item.pk}/propose")).status_code == 404
    assert dan.get(url(world.dora, f"portfolio/evidence/{dora_item.pk}/propose")).status_code == 404
    assert (
        client_for(world, "dora")
        .get(url(world.dan, f"portfolio/evidence/{world.item.pk}/propose"))
        .status_code
        == 404
    )
    # The assessor may see the item but does not propose: 403; a stranger assessor: 404.
    assert client_for(world, "alice").get(own).status_code == 403
    assert client_for(world, "arthur").get(own).status_code == 404


def test_a_refused_proposal_answers_the_items_form_with_the_error(world: World) -> None:
    response = client_for(world, "dan").post(
        url(world.dan, f"portfolio/evidence/{world.item.pk}/map"),
        {"unit": "401", "targets": ["1.1", "1.2"]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "already mapped to 401 1.1" in body and 'value="1.2" checked' in body
    assert CriterionMapping.objects.filter(item=world.item).count() == 1


@pytest.mark.parametrize("path", ["portfolio/", "units/401/"])
@pytest.mark.parametrize("query", ["cursor=not-a-cursor", "size=0", "size=x", "cursor="])
def test_a_bad_page_link_is_a_400_never_a_500(world: World, path: str, query: str) -> None:
    response = client_for(world, "alice").get(url(world.dan, path) + "?" + query)
    if query == "cursor=":
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "page" in response.content.decode()


def test_a_cursor_from_another_list_is_refused(world: World) -> None:
    many(world, world.dan, 60)
    alice = client_for(world, "alice")
    body = alice.get(url(world.dan, "portfolio/")).content.decode()
    cursor = re.search(r"cursor=([^\"&]+)", body)
    assert cursor is not None
    answer = alice.get(url(world.dan, "units/401/") + "?cursor=" + cursor.group(1))
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["portfolio/", "units/401/"])
def test_queries_do_not_grow_with_the_items(
    world: World, path: str, django_assert_max_num_queries: Any
) -> None:
    alice, dan = client_for(world, "alice"), client_for(world, "dan")
    many(world, world.dan, 10)
    counts = []
    for client in (alice, dan):
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url(world.dan, path)).status_code == 200
        counts.append(len(captured.captured_queries))
    many(world, world.dan, 120)
    for client, small in zip((alice, dan), counts, strict=True):
        with django_assert_max_num_queries(small):
            assert client.get(url(world.dan, path)).status_code == 200
        body = client.get(url(world.dan, path)).content.decode()
        cursor = re.search(r'href="\?[^"]*cursor=([^"&]+)', body)
        assert cursor is not None
        with django_assert_max_num_queries(small):
            page2 = client.get(url(world.dan, path) + "?cursor=" + cursor.group(1))
            assert page2.status_code == 200


def test_api_pages_evidence_ids_and_decisions(world: World) -> None:
    mine = set(many(world, world.dan, 60)) | {world.item.pk}
    api = client_for(world, "alice")
    base = f"/api/v1/registrations/{world.dan.pk}"
    first = api.get(f"{base}/portfolio?size=40").json()
    assert first["evidence_count"] == 61 and len(first["evidence"]["items"]) == 40
    second = api.get(f"{base}/portfolio?size=40&cursor={first['evidence']['next']}").json()
    assert set(first["evidence"]["items"]) | set(second["evidence"]["items"]) == mine
    assert second["evidence"]["next"] is None
    unit = next(u for u in first["units"] if u["unit"] == "401")
    c12 = next(c for c in unit["criteria"] if c["number"] == "1.2")
    assert c12["proposed_count"] == 60 and len(c12["proposed_by"]) == 5
    # An edited page link is a bad request (400, as on every API list); a bad size is invalid.
    for bad, status in (("cursor=nope", 400), ("size=0", 422)):
        assert api.get(f"{base}/portfolio?{bad}").status_code == status
        assert api.get(f"{base}/decisions?{bad}").status_code == status
    decisions = api.get(f"{base}/decisions?size=1").json()
    assert decisions["items"] == [] and decisions["next"] is None
    assert client_for(world, "dora").get(f"{base}/portfolio").status_code == 404
    assert client_for(world, "dora").get(f"{base}/decisions").status_code == 404


@pytest.mark.parametrize("who", ["dora", "arthur", "sue"])
@pytest.mark.parametrize("path", ["portfolio/", "units/401/"])
def test_a_page_link_gives_strangers_nothing(world: World, who: str, path: str) -> None:
    many(world, world.dan, 60)
    body = client_for(world, "alice").get(url(world.dan, path)).content.decode()
    cursor = re.search(r'href="\?[^"]*cursor=([^"&]+)', body)
    assert cursor is not None
    stranger = client_for(world, who)
    assert stranger.get(url(world.dan, path) + "?cursor=" + cursor.group(1)).status_code == 404
    assert stranger.get(url(world.dan, path) + "?cursor=bad").status_code == 404
