"""The plan builder in a real browser: Debian's Chromium driven by Playwright.

Never a downloaded browser: when /usr/bin/chromium is missing the session installs the Debian
package first. Playwright's sync API runs an event loop in this thread, so Django's
async-safety check is switched off for these tests (the database is only touched here by
fixtures and by the expectations computed before the browser starts).
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect, sync_playwright

from assay.catalogue.models import Qualification
from assay.catalogue.planning import plan_check, plan_complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TICKED = ["401", "402", "303"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, installed with apt-get when it is not there yet."""
    # pytest-xdist workers may get here together: one installs, the others wait on the lock.
    with open(Path(tempfile.gettempdir()) / "assay-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not Path(CHROMIUM).exists():
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(
                "apt-get update && apt-get install -y chromium", shell=True, check=True, env=env
            )
    assert Path(CHROMIUM).exists(), "apt-get did not install /usr/bin/chromium"
    return CHROMIUM


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _errors(page: Page, expected: frozenset[int] = frozenset()) -> list[str]:
    """Collects what a person would see fail: answers of 400 and above (other than the
    ``expected`` statuses a test provokes on purpose) and errors thrown in the page.

    Not ``requestfailed``: a navigation cancels the previous page's pending requests
    (``net::ERR_ABORTED`` on a stylesheet), which under load is timing, not a fault.
    """
    errors: list[str] = []

    def answer(response: Response) -> None:
        if response.status >= 400 and response.status not in expected:
            errors.append(f"{response.status} {response.url}")

    page.on("response", answer)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return errors


def test_tick_units_see_rules_update_then_complete_the_plan(
    live_server: Any, cg4430: Qualification, browser: Browser
) -> None:
    decision = plan_check(cg4430, TICKED).model_dump()
    rules = {r["rule"]: r for r in decision["rules"]}
    completion = plan_complete(cg4430, have=TICKED).model_dump()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = _errors(page)
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
    errors = _errors(page)
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
    errors = _errors(page)
    page.goto(f"{live_server.url}{path}")
    with page.expect_response(lambda r: "/catalogue/search/?q=" in r.url) as answer:
        page.get_by_label("Search assessment criteria").fill("complaints")
    assert answer.value.status == 200
    results = page.locator("#search-results")
    expect(results).to_contain_text("containing “complaints”")
    expect(results.locator(".hit").first).to_be_visible()
    assert errors == []
