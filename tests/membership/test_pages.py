"""The portfolio's ICS box: loaded by htmx, renders the grade and next steps, and its query
count does not grow with the units achieved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.registrations.models import Registration
from tests.membership.conftest import credit
from tests.world import World

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_portfolio_page_loads_the_box_by_htmx(completed: World) -> None:
    page = _client(completed, "dan").get(f"/registrations/{completed.dan.pk}/portfolio/")
    url = f"/registrations/{completed.dan.pk}/portfolio/membership"
    assert f'hx-get="{url}" hx-trigger="load"' in page.content.decode()


def test_box_says_the_grade_and_why(completed: World) -> None:
    url = f"/registrations/{completed.dan.pk}/portfolio/membership"
    box = _client(completed, "dan").get(url, headers=HTMX)
    text = box.content.decode()
    assert box.status_code == 200 and "<html" not in text
    assert "<strong>Eligible for Management</strong> — rests on Level 4 NVQ Diploma" in text
    assert "Next steps after 4430-04" in text
    page = _client(completed, "ed").get(url)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_box_shows_units_that_count_again(world: World, erin: Registration) -> None:
    box = _client(world, "nina").get(f"/registrations/{erin.pk}/portfolio/membership", headers=HTMX)
    text = box.content.decode()
    assert "No membership grade yet." in text
    assert "Level 4 NVQ Diploma in Customer Service</strong> (City &amp; Guilds 4430-04)" in text
    assert "would count again as unit 304 (recognition of prior learning)" in text


def test_stranger_gets_404(world: World, erin: Registration) -> None:
    url = f"/registrations/{erin.pk}/portfolio/membership"
    assert _client(world, "sue").get(url, headers=HTMX).status_code == 404
    assert _client(world, "dan").get(url, headers=HTMX).status_code == 404


def _queries(world: World, reg: Registration) -> int:
    client = _client(world, "carol")
    url = f"/registrations/{reg.pk}/portfolio/membership"
    client.get(url, headers=HTMX)  # specs read once per version, then cached
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url, headers=HTMX).status_code == 200
    return len(seen)


def test_query_count_does_not_grow_with_units(world: World, erin: Registration) -> None:
    before = _queries(world, erin)
    credit(world, erin, ("7", "8", "24", "25", "26", "39", "41", "42", "43"))
    credit(world, world.dan, ("401", "402", "403"))
    assert _queries(world, erin) == before
    assert _queries(world, world.dan) == before
