"""Unit 310 in Chromium: the centre administrator is refused it on a plan that does not allow
units without content, allows them and saves; the candidate's portfolio (390 px) and the
assessor's (1366 px) show what the unit is; a credit transfer then counts it achieved."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.engines.coverage import NO_CONTENT
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_portfolio_with_unit_310(
    live_server: Any,
    dana: Registration,
    browser: Browser,
) -> None:
    pk = dana.pk
    wide = browser.new_page(viewport={"width": 1366, "height": 900})
    errors = page_errors(wide, expected=frozenset({400}))

    # The administrator plans 310: refused with the reason, then allowed and saved.
    sign_in(wide, live_server.url, "carol", f"/registrations/{pk}/plan/")
    notice = wide.locator('[data-content-notice="310"]')
    expect(notice).to_contain_text(NO_CONTENT)
    wide.locator("#unit-310").check()
    wide.get_by_role("button", name="Save the plan").click()
    expect(wide.get_by_role("alert")).to_contain_text(NO_CONTENT)
    wide.locator("#unit-310").check()
    wide.get_by_label("Allow units without content on this plan").check()
    wide.get_by_role("button", name="Save the plan").click()
    expect(wide.get_by_text("Learning plan saved.")).to_be_visible()
    assert set(dana.plan_units.values_list("unit_number", flat=True)) == {"403", "310"}
    wide.get_by_role("button", name="Sign out").click()

    # The candidate on a phone: the unit is shown as what it is, nothing to propose for it.
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone_errors = page_errors(phone)
    sign_in(phone, live_server.url, "dan", f"/registrations/{pk}/portfolio/")
    card = phone.locator("#unit-310")
    expect(card.locator('[data-content-notice="310"]')).to_contain_text(NO_CONTENT)
    box = card.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    expect(phone.get_by_text("Propose for unit 310")).to_have_count(0)
    assert phone_errors == []

    # The assessor's unit page: the notice, no judging forms.
    sign_in(wide, live_server.url, "alice", f"/registrations/{pk}/units/310/")
    expect(wide.locator('[data-content-notice="310"]')).to_contain_text(NO_CONTENT)
    expect(wide.get_by_role("button", name="Sign off unit 310")).to_have_count(0)

    # Credit transfer on the dana page; the portfolio then shows 310 credited.
    wide.goto(f"{live_server.url}/registrations/{pk}/")
    wide.get_by_text("Record a unit achieved elsewhere").click()
    wide.locator("#credit-unit").select_option("310")
    wide.get_by_label("Certificate reference").fill("CG-4430-0042")
    wide.get_by_role("button", name="Record credit transfer").click()
    expect(wide.get_by_role("status")).to_contain_text("Unit 310 credited by credit transfer.")
    wide.goto(f"{live_server.url}/registrations/{pk}/portfolio/")
    expect(wide.locator("#unit-310")).to_contain_text("Credited")
    assert errors == [], errors
