"""The Content-Security-Policy in Chromium: htmx pages work under it and the browser reports no
violation; something inline that the policy forbids is reported (so the listener hears)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get
from assay.registrations.models import Registration
from tests.browser import csp_violations, page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cg4430(catalogue: None) -> Qualification:
    return qualification_get("4430-04")


def _console(page: Page) -> list[str]:
    lines: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        lines.append(message.text)

    page.on("console", heard)
    return lines


def _violations(page: Page) -> int:
    """What the page itself counted through ``securitypolicyviolation`` events."""
    return int(page.evaluate("() => window.__cspViolations || 0"))


def _count_violations(page: Page) -> None:
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " () => { window.__cspViolations = (window.__cspViolations || 0) + 1; });"
    )


def test_plan_builder_htmx_under_the_policy(
    live_server: Any, cg4430: Qualification, browser: Browser
) -> None:
    page = browser.new_page()
    _count_violations(page)
    console = _console(page)
    errors = page_errors(page)
    answer = page.goto(f"{live_server.url}/plans/4430-04/")
    assert answer is not None
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    with page.expect_response(lambda r: r.url.endswith("/plans/4430-04/check")) as swapped:
        page.get_by_role("checkbox", name=re.compile(r"^401 ")).check()
    assert swapped.value.status == 200
    expect(page.locator('#plan-result [data-rule="minimum-credit"]')).to_be_visible()
    page.get_by_role("button", name="Complete my plan").click()
    expect(page.locator("#plan-result .completion")).to_be_visible()
    assert page.url.endswith("/plans/4430-04/")  # swapped in place by htmx
    assert csp_violations(console) == [] and _violations(page) == 0
    assert errors == []


def test_signed_in_htmx_page_under_the_policy(
    live_server: Any, dana: Registration, browser: Browser
) -> None:
    page = browser.new_page()
    _count_violations(page)
    console = _console(page)
    errors = page_errors(page)
    sign_in(page, live_server.url, "dan", f"/registrations/{dana.pk}/portfolio/")
    expect(page.locator("main h1")).to_be_visible()
    page.goto(f"{live_server.url}/registrations/{dana.pk}/units/403/")
    expect(page.locator("main h1")).to_be_visible()
    assert page.evaluate("() => typeof window.htmx") == "object"  # htmx loaded and running
    assert csp_violations(console) == [] and _violations(page) == 0
    assert errors == []


def test_an_inline_script_is_refused_and_reported(
    live_server: Any, cg4430: Qualification, browser: Browser
) -> None:
    page = browser.new_page()
    _count_violations(page)
    console = _console(page)
    page.goto(f"{live_server.url}/plans/4430-04/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__ran = true';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("() => (window.__cspViolations || 0) > 0")
    assert page.evaluate("() => window.__ran === true") is False
    assert csp_violations(console) and "script-src" in csp_violations(console)[0]


def test_api_docs_render_under_the_policy(live_server: Any, browser: Browser, db: None) -> None:
    page = browser.new_page()
    _count_violations(page)
    console = _console(page)
    errors = page_errors(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    assert csp_violations(console) == [] and _violations(page) == 0
    assert errors == []
