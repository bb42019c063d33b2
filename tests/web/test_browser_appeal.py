"""An appeal in Chromium on a phone (390 px): the candidate lodges it from the unit page, the
assessor dismisses it, the candidate sees the way on to the IQA review. No sideways scroll."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from assay.appeals.models import Appeal
from assay.portfolios.assessment import criterion_judge
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def fits(page: Page) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= WIDTH, f"page is {scroll} px wide at {WIDTH} px"


def test_lodge_on_a_phone_and_the_assessor_dismisses(
    live_server: Any, dana: Registration, browser: Browser
) -> None:
    alice = get_user_model().objects.get(username="alice")
    criterion_judge(
        by=alice,
        registration=dana,
        unit="403",
        criterion="1.1",
        met=False,
        feedback="Show a complaint you resolved yourself",
    )
    page = browser.new_page(viewport={"width": WIDTH, "height": 800})
    errors = page_errors(page)
    sign_in(page, live_server.url, "dan", f"/registrations/{dana.pk}/units/403/")
    link = page.get_by_role("link", name="Appeal this decision")
    link.scroll_into_view_if_needed()
    fits(page)
    link.click()
    expect(page.get_by_role("heading", name="Appeal a decision")).to_be_visible()
    fits(page)
    page.get_by_label("Your grounds").fill("The complaint log shows I resolved three myself")
    page.get_by_role("button", name="Lodge the appeal").click()
    expect(page.locator("#appeal-stage")).to_have_text("Assessor review")
    expect(page.locator("#appeal-status")).to_have_text("Open")
    expect(page.get_by_text("15/03/2013")).to_be_visible()
    fits(page)
    appeal = Appeal.objects.get()

    reviewer = browser.new_page(viewport={"width": WIDTH, "height": 800})
    errors += page_errors(reviewer)
    path = f"/registrations/{dana.pk}/appeals/{appeal.pk}/"
    sign_in(reviewer, live_server.url, "alice", path)
    expect(reviewer.get_by_role("heading", name="Decide the assessor review stage")).to_be_visible()
    fits(reviewer)
    reviewer.get_by_label("Dismiss").check()
    reviewer.get_by_label("Reasons").fill("The log shows the team lead resolved them")
    reviewer.get_by_role("button", name="Record the decision").click()
    expect(reviewer.locator("#appeal-status")).to_have_text("Dismissed")
    fits(reviewer)

    page.reload()
    expect(page.locator("#appeal-status")).to_have_text("Dismissed")
    expect(page.get_by_text("The log shows the team lead resolved them")).to_be_visible()
    expect(page.get_by_role("heading", name="Take it to the IQA review")).to_be_visible()
    fits(page)
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.status) == ("assessor_review", "dismissed")
    assert errors == []
