"""Catalogue pages: public, verbatim, 404 for what the catalogue lacks, constant query counts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client

from assay.catalogue.models import Qualification

pytestmark = pytest.mark.django_db

Text = Callable[..., str]

# Measured: 6 queries each (the qualification, the units, then one per prefetched relation:
# outcomes, their criteria, evidence requirements, elements). Nothing is per unit or per row.
QUALIFICATION_PAGE_QUERIES = 2  # the qualification, its units with their groups
UNIT_PAGE_QUERIES = 6


def test_layout_has_language_skip_link_nav_and_htmx(client: Client, catalogue: None) -> None:
    body = client.get("/").content.decode()
    assert '<html lang="en-GB">' in body
    assert 'href="#main"' in body and 'id="main"' in body
    for label in ("Catalogue", "NOS map", "Plan builder", "API docs", "Sign in"):
        assert f">{label}</a>" in body
    assert 'href="/api/v1/docs"' in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_home_and_catalogue_list_the_qualifications(
    client: Client, catalogue: None, page_text: Text
) -> None:
    for url in ("/", "/catalogue/"):
        response = client.get(url)
        assert response.status_code == 200
        text = page_text(response)
        assert "Level 4 NVQ Diploma in Customer Service" in text
        assert "Edexcel Level 3 NVQ in Customer Service" in text
        assert 'href="/catalogue/4430-04/"' in text


def test_qualification_page_shows_facts_rules_and_grouped_units(
    client: Client, cg4430: Qualification, page_text: Text
) -> None:
    response = client.get("/catalogue/4430-04/")
    assert response.status_code == 200
    text = page_text(response)
    assert "500/8817/8" in text
    assert "31 July 2014" in text and "31 July 2017" in text
    for rule in cg4430.spec.content["rules"]:
        assert rule["text"] in text
    assert "Optional Units - Handling Problems" in text
    assert 'href="/catalogue/4430-04/units/410/"' in text
    assert "Handle referred customer complaints" in text
    # Units appear under their group: 401 before the first optional group, 310 after Delivery.
    assert text.index("401") < text.index("Optional Units - Impression and Image")
    assert text.index("Optional Units - Delivery") < text.index(">310<")


def test_edexcel_page_quotes_its_simulation_rule(
    client: Client, catalogue: None, page_text: Text
) -> None:
    text = page_text(client.get("/catalogue/EDEXCEL-L3-NVQ-CS/"))
    assert "NVQs are designed to be assessed in the workplace" in text
    assert "Not printed" in text  # no accreditation number in the logbook


def test_qualification_key_may_be_the_spec_id(client: Client, catalogue: None) -> None:
    assert client.get("/catalogue/cg-4430-04/").status_code == 200


def test_unit_page_shows_aim_outcomes_criteria_and_rules(
    client: Client, catalogue: None, page_text: Text
) -> None:
    response = client.get("/catalogue/4430-04/units/401/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Demonstrate understanding of customer service management" in text
    assert (
        "exercise customer service management responsibility with consideration for their "
        "organisation's service offer, customer expectations and resources"
    ) in text
    assert 'id="c-1.1"' in text
    assert "Real job required" in text
    assert "Simulation is not allowed for any evidence within this Unit." in text
    assert "This unit covers the key principles of customer service" in text


def test_unit_page_shows_evidence_ranges_with_how_many(
    client: Client, catalogue: None, page_text: Text
) -> None:
    text = page_text(client.get("/catalogue/4430-04/units/403/"))
    assert "responded to requests for information and advice from two of these groups" in text
    lead = text.index("two of</span>")
    for key, item in (("a", "front line staff"), ("e", "service partners")):
        assert text.index(f'<span class="key">{key}</span> {item}</li>', lead) > lead
    assert "all of</span>" in text
    assert "Simulation for knowledge evidence only" in text


def test_edexcel_unit_page_lists_elements(client: Client, catalogue: None, page_text: Text) -> None:
    response = client.get("/catalogue/EDEXCEL-L3-NVQ-CS/units/7/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Elements" in text
    assert "Use accepted customer service language and apply its principles" in text


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/no-such-qualification/",
        "/catalogue/4430-04/units/999/",
        "/catalogue/no-such-qualification/units/401/",
        "/plans/no-such-qualification/",
    ],
)
def test_unknown_qualification_or_unit_is_404(client: Client, catalogue: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_search_finds_criteria_on_a_full_page(
    client: Client, catalogue: None, page_text: Text
) -> None:
    response = client.get("/catalogue/search/", {"q": "trends complaints"})
    assert response.status_code == 200
    text = page_text(response)
    assert "<html" in text
    assert "Unit 410: Handle referred customer complaints" in text
    assert "identify patterns and trends in customer complaints" in text
    assert 'href="/catalogue/4430-04/units/410/#c-3.1"' in text


def test_search_as_you_type_returns_only_the_results(
    client: Client, catalogue: None, page_text: Text
) -> None:
    response = client.get("/catalogue/search/", {"q": "complaints"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = page_text(response)
    assert "<html" not in text and "<header" not in text
    assert "deal with customer service problems and complaints within organisational rules" in text


def test_search_without_a_match_says_so(client: Client, catalogue: None, page_text: Text) -> None:
    text = page_text(client.get("/catalogue/search/", {"q": "zebra crossing"}))
    assert "No criteria contain “zebra crossing”." in text


def test_search_page_has_live_search_wiring(client: Client, catalogue: None) -> None:
    body = client.get("/catalogue/search/").content.decode()
    assert 'hx-get="/catalogue/search/"' in body
    assert 'hx-trigger="input changed delay:300ms, search"' in body
    assert '<label for="search-q">' in body


def test_nos_map_shows_areas_functions_and_crosswalk(
    client: Client, catalogue: None, page_text: Text
) -> None:
    response = client.get("/nos/")
    assert response.status_code == 200
    text = page_text(response)
    for area in ("Customer Service Foundations", "Organisational Impression and Image"):
        assert area in text
    champion = text.index("INSCS010")
    assert text.index("Champion customer service", champion) > champion
    assert text.index("4430-04 unit 403", champion) > champion
    assert "Exact match" in text and "Related" in text
    assert 'href="/catalogue/4430-04/units/403/"' in text


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        # 33 units, hundreds of criteria: a per-unit query would blow the bound at once.
        ("/catalogue/4430-04/", QUALIFICATION_PAGE_QUERIES),
        ("/catalogue/EDEXCEL-L3-NVQ-CS/", QUALIFICATION_PAGE_QUERIES),
        ("/catalogue/4430-04/units/401/", UNIT_PAGE_QUERIES),
        ("/catalogue/4430-04/units/403/", UNIT_PAGE_QUERIES),
        ("/catalogue/4430-04/units/417/", UNIT_PAGE_QUERIES),
        ("/catalogue/EDEXCEL-L3-NVQ-CS/units/7/", UNIT_PAGE_QUERIES),
    ],
)
def test_page_query_count_is_bounded_whatever_the_size(
    client: Client,
    catalogue: None,
    django_assert_max_num_queries: Callable[..., AbstractContextManager[object]],
    url: str,
    bound: int,
) -> None:
    client.get(url)  # warm per-process caches (content types and the like)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
