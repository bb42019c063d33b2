"""The catalogue's lists are keyset pages (issue 12): the qualifications (newest version of
each, without reading any spec file's content) and the criteria search, in the API and on the
search page; an edited cursor answers 400 with a message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.catalogue.models import Criterion, Qualification
from assay.catalogue.selectors import qualification_list, qualifications_page
from assay.catalogue.services import catalogue_import
from tests.catalogue.mini import MINI
from tests.keyset_walk import BAD_CURSORS, api_queries, walk_api, walk_pages

pytestmark = pytest.mark.django_db


def newer_mini(tmp_path: Path) -> None:
    """MINI-1 in versions 1 and 2 (the list shows version 2 only)."""
    v1 = tmp_path / "v1.yaml"
    v1.write_text(MINI, encoding="utf-8")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(MINI.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    catalogue_import(paths=[v1, v2])


@pytest.mark.parametrize("size", [1, 2, 50])
def test_walking_the_qualifications_gives_the_newest_of_each(tmp_path: Path, size: int) -> None:
    newer_mini(tmp_path)
    listed = walk_api(Client(), "/api/v1/qualifications", size)
    codes = sorted(set(Qualification.objects.values_list("code", flat=True)))
    assert [q["code"] for q in listed] == codes
    assert next(q for q in listed if q["code"] == "MINI-1")["version"] == "2"
    assert [q.code for q in qualification_list()] == codes


def test_no_list_query_reads_a_spec_files_content(tmp_path: Path) -> None:
    newer_mini(tmp_path)
    with CaptureQueriesContext(connection) as captured:
        page = qualifications_page(None, 50)
        assert [q.spec.version for q in page if q.code == "MINI-1"] == ["2"]
        Client().get("/api/v1/qualifications")
    assert captured.captured_queries
    for query in captured.captured_queries:
        assert '"catalogue_specfile"."content"' not in query["sql"], query["sql"]


def test_the_qualifications_page_costs_the_same_queries_however_many(tmp_path: Path) -> None:
    client = Client()
    before = api_queries(client, "/api/v1/qualifications?size=200")
    newer_mini(tmp_path)
    assert api_queries(client, "/api/v1/qualifications?size=200") == before


def expected_hits(word: str) -> list[tuple[str, str, str]]:
    rows = Criterion.objects.filter(text__icontains=word).order_by(
        "unit__qualification__code", "unit__position", "position", "pk"
    )
    return [(c.unit.qualification.code, c.unit.number, c.number) for c in rows]


@pytest.mark.parametrize("size", [3, 50])
def test_walking_a_criteria_search(size: int) -> None:
    hits = walk_api(Client(), "/api/v1/criteria?q=complaints", size)
    expected = expected_hits("complaints")
    assert len(expected) > 3
    assert [(h["qualification"], h["unit"], h["number"]) for h in hits] == expected
    shown = walk_pages(
        Client(), f"/catalogue/search/?q=complaints&size={size}", r'href="[^"]*#c-([\w.]+)"'
    )
    assert shown == [number for _, _, number in expected]


def test_a_search_page_costs_the_same_queries_for_few_or_many_hits() -> None:
    client = Client()
    few = api_queries(client, "/api/v1/criteria?q=emergency+drills&size=200")
    many = api_queries(client, "/api/v1/criteria?q=customer&size=200")
    assert len(expected_hits("customer")) > 20 and few == many


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400(cursor: str) -> None:
    client = Client()
    for url in ("/api/v1/qualifications", "/api/v1/criteria?q=complaints"):
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}cursor={cursor}")
        assert response.status_code == 400
        assert "page link is not valid" in response.json()["error"]["message"]
    page = client.get(f"/catalogue/search/?q=complaints&cursor={cursor}")
    assert page.status_code == 400 and "page link is not valid" in page.content.decode()
    assert re.search("Cannot show this page", page.content.decode())
