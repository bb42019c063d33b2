"""The plan builder in a real browser: Debian's Chromium driven by Playwright (fixtures in
``tests/browser.py``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.catalogue.models import Qualification
from assay.catalogue.planning import plan_check, plan_complete
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TICKED = ["401", "402", "303"]


def test_tick_units_see_rules_update_then_complete_the_plan(
    live_server: Any, cg4430: Qualification, browser: Browser
) -> None:
    decision = plan_check(cg4430, TICKED).model_dump()
    rules = {r["rule"]: r for r in decision["rules"]}
    completion = plan_complete(cg4430, have=TICKED).model_dump()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = page_errors(page)
    page.goto(f"{live_server.url}/plans/4430-04/")
    panel = page.locator("#plan-result")
    assert panel.locator('[data-rule="minimum-credit"]').get_attribute("data-met") == "false"

    for number in TICKED:
        with page.expect_response(lambda r: r.url.endswith("/plans/4430-04/check")) as answer:
            page.get_by_role("checkbox", name=re.compile(rf"^{number} ")).check()
        assert answer.value.status == 200

    credit = rules["minimum-credit"]
    meter = panel.locator('[data-rule="minimum-credit"] .meter-count')
    expect(meter).to_have_text(f"{credit['have']} of {credit['need']}")
    mandatory = panel.locator('[data-rule="mandatory-units"]')
    expect(mandatory).to_have_attribute("data-met", str(rules["mandatory-units"]["met"]).lower())
    expect(panel).to_contain_text(decision["summary"])
    assert page.url.endswith("/plans/4430-04/")  # htmx swapped the panel; no navigation

    page.get_by_role("button", name="Complete my plan").click()
    suggestion = panel.locator(".completion")
    expect(suggestion).to_be_visible()
    shown = suggestion.locator("[data-unit]").evaluate_all(
        "items => items.map(item => item.dataset.unit)"
    )
    assert shown == completion["add"]
    expect(suggestion).to_contain_text(f"Adds {completion['added_glh']} guided learning hours")
    expect(panel.locator('.decision[data-met="true"]')).to_have_count(1)
    assert errors == []


def test_builder_works_without_javascript(
    live_server: Any, cg4430: Qualification, browser: Browser
) -> None:
    expected = plan_check(cg4430, ["401", "402"]).model_dump()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/4430-04/")
    page.check("#unit-401")
    page.check("#unit-402")
    page.get_by_role("button", name="Check plan").click()
    page.wait_for_url("**/plans/4430-04/check")
    assert page.is_checked("#unit-401") and page.is_checked("#unit-402")
    assert expected["summary"] in page.locator("#plan-result").inner_text()
    page.get_by_role("button", name="Complete my plan").click()
    page.wait_for_url("**/plans/4430-04/complete")
    assert page.locator(".completion [data-unit]").count() > 0
    context.close()


@pytest.mark.parametrize(
    "path", ["/plans/4430-04/", "/catalogue/4430-04/units/403/", "/catalogue/4430-04/", "/nos/"]
)
def test_pages_fit_a_phone_screen(
    live_server: Any, catalogue: None, browser: Browser, path: str
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = page_errors(page)
    page.goto(f"{live_server.url}{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert errors == []


@pytest.mark.parametrize("path", ["/catalogue/", "/catalogue/search/"])
def test_live_criteria_search_shows_hits_as_you_type(
    live_server: Any, catalogue: None, browser: Browser, path: str
) -> None:
    """Regression: on /catalogue/ the search box's htmx target was not on the page, so typing
    showed nothing."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = page_errors(page)
    page.goto(f"{live_server.url}{path}")
    with page.expect_response(lambda r: "/catalogue/search/?q=" in r.url) as answer:
        page.get_by_label("Search assessment criteria").fill("complaints")
    assert answer.value.status == 200
    results = page.locator("#search-results")
    expect(results).to_contain_text("containing “complaints”")
    expect(results.locator(".hit").first).to_be_visible()
    assert errors == []
