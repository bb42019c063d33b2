"""The centre dashboard's candidate list at scale (issue 12): one keyset page at a time with
a pager, filters by name, status and qualification, a clear 400 for a bad page link or
filter, the refusals log paged, and nothing on the page that grows with the learners."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.catalogue.models import SpecFile
from assay.registrations.models import Refusal, Registration
from tests.registrations.helpers import crowd
from tests.web.helpers import signed_in
from tests.world import World

pytestmark = pytest.mark.django_db

Text = Callable[..., str]
SPEC_CONTENT = f'"{SpecFile._meta.db_table}"."content"'


def listed(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-registration="(\d+)"', body)]


def next_link(body: str) -> str | None:
    found = re.search(r'<a class="button button-secondary" href="([^"]+)" rel="next"', body)
    return html.unescape(found.group(1)) if found else None


def walk(client: Client, url: str) -> list[int]:
    """Every candidate row of every page, following the pager's Next link."""
    seen: list[int] = []
    link: str | None = url
    while link is not None:
        response = client.get(link if link.startswith("/") else url.split("?")[0] + link)
        assert response.status_code == 200
        body = response.content.decode()
        seen += listed(body)
        link = next_link(body)
    return seen


def test_the_pager_walks_every_visible_candidate_once(world: World) -> None:
    crowd(world.north, world.dan.qualification, 30)
    url = f"/centres/{world.north.pk}/"
    carol = signed_in(world, "carol")
    everyone = walk(carol, url + "?size=7")
    assert len(everyone) == len(set(everyone)) == 32
    assert set(everyone) == set(
        Registration.objects.filter(centre=world.north).values_list("pk", flat=True)
    )
    first = carol.get(url).content.decode()
    assert len(listed(first)) == 32  # one page of 50 holds them all
    assert next_link(first) is None
    assert walk(signed_in(world, "alice"), url + "?size=1") == [world.dan.pk]


def test_filters_by_status_qualification_and_name(world: World, page_text: Text) -> None:
    crowd(world.north, world.dan.qualification, 20)
    url = f"/centres/{world.north.pk}/"
    carol = signed_in(world, "carol")
    withdrawn = walk(carol, url + "?status=withdrawn&size=2")
    assert withdrawn and set(
        Registration.objects.filter(pk__in=withdrawn).values_list("status", flat=True)
    ) == {"withdrawn"}
    assert walk(carol, url + "?qualification=EDEXCEL-L3-NVQ-CS") == []
    assert len(walk(carol, url + "?qualification=4430-04&size=9")) == 22
    assert walk(carol, url + "?q=dora") == [world.dora.pk]
    body = page_text(carol.get(url + "?q=nobody-at-all"))
    assert "No candidate you can see matches these filters." in body
    assert "Show every candidate" in body
    counts = page_text(carol.get(url))
    assert 'href="?status=registered#candidates"' in counts


@pytest.mark.parametrize(
    "query",
    ["?cursor=garbage", "?size=0", "?size=9999", "?status=lost", "?refusals=garbage"],
)
def test_a_bad_page_link_or_filter_is_a_clear_400(
    world: World, page_text: Text, query: str
) -> None:
    url = f"/centres/{world.north.pk}/"
    response = signed_in(world, "carol").get(url + query)
    assert response.status_code == 400
    body = page_text(response)
    assert "data-list-error" in body and "Back to the first page" in body
    assert re.search(r"not valid any more|page size|unknown status", body, re.I)
    assert listed(body)  # the first page is shown under the error


def test_a_bad_link_still_answers_like_missing_for_strangers(world: World) -> None:
    url = f"/centres/{world.north.pk}/"
    for name in ("sue", "dan", "ed"):
        client = signed_in(world, name)
        assert client.get(url + "?cursor=garbage").status_code == 404
        assert client.get(url + "?status=withdrawn").status_code == 404


def test_a_cursor_of_one_filter_is_refused_by_another_list(world: World) -> None:
    crowd(world.north, world.dan.qualification, 6)
    url = f"/centres/{world.north.pk}/"
    carol = signed_in(world, "carol")
    link = next_link(carol.get(url + "?size=2").content.decode())
    assert link is not None
    cursor = re.search(r"cursor=([^&]+)", link)
    assert cursor is not None
    # The refusals log's cursor names another ordering: its signature does not match.
    assert carol.get(f"{url}?refusals={cursor.group(1)}").status_code == 400


def test_the_refusals_log_is_paged(world: World, page_text: Text) -> None:
    Refusal.objects.bulk_create(
        Refusal(
            centre=world.north,
            candidate_name=f"Refused {n:02d}",
            qualification_code="4430-04",
            attempted_on=dt.date(2013, 2, 1),
            reasons=[{"code": "under-minimum-age", "message": "too young"}],
        )
        for n in range(25)
    )
    carol = signed_in(world, "carol")
    url = f"/centres/{world.north.pk}/"
    first = page_text(carol.get(url))
    assert first.count('<li class="refusal">') == 20 and "25 refusals logged" in first
    more = re.search(r'href="(\?refusals=[^"]+)" rel="next"', first)
    assert more
    second = page_text(carol.get(url + html.unescape(more.group(1))))
    assert second.count('<li class="refusal">') == 5
    assert "Refused registrations" not in page_text(signed_in(world, "alice").get(url))


def queries(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("username", ["carol", "alice", "eve", "linda"])
def test_the_dashboard_reads_the_same_queries_and_rows_at_two_sizes(
    world: World, username: str, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world, username)
    url = f"/centres/{world.north.pk}/"
    small, sql = queries(client, url)
    assert not any(SPEC_CONTENT in q for q in sql)
    crowd(world.north, world.dan.qualification, 150)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    body = response.content.decode()
    assert len(listed(body)) <= 50  # one page, however many learners
    large, sql = queries(client, url + "?status=registered&q=surname")
    assert large == small and not any(SPEC_CONTENT in q for q in sql)
    link = next_link(body)
    if link:
        assert queries(client, url + link)[0] == small


def test_the_dashboard_links_the_streamed_export(world: World) -> None:
    crowd(world.north, world.dan.qualification, 3)
    client = signed_in(world, "alice")  # an assessor: their own candidates only
    body = client.get(f"/centres/{world.north.pk}/").content.decode()
    export = f"/api/v1/centres/{world.north.pk}/registrations/export"
    assert f'href="{export}"' in body and f'href="{export}?format=xlsx"' in body
    response = client.get(export)
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Dan,Smith,")
    assert signed_in(world, "sue").get(export).status_code == 404
