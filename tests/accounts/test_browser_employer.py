"""The employer contact's first day in Chromium on a phone: sign in, land on what waits for
their signature, open the progress review from there, read and sign it; it leaves the list.
The registration page they can open shows no date of birth or phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.reviews.models import ReviewSignature
from tests.browser import page_errors
from tests.reviews.helpers import seed_plan
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_the_employer_signs_a_review_from_their_home_on_a_phone(
    live_server: Any,
    world: World,
    browser: Browser,
) -> None:
    ed = world.user("ed")
    ed.set_password("ed-password-1")
    ed.save()
    review = seed_plan(world, kind="review")
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    errors = page_errors(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("ed-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for my signature")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Sign the progress review of 28/02/2013").click()
    expect(
        page.get_by_role("heading", name="Sign the progress review of 28/02/2013")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Sign as").select_option("employer")
    page.get_by_role("button", name="I agree and sign").click()
    expect(page.get_by_text("Employer: Ed Test")).to_be_visible()
    assert ReviewSignature.objects.filter(plan=review, capacity="employer", signer=ed).exists()

    page.goto(f"{live_server.url}/me/signatures/")
    expect(page.get_by_role("link", name="Sign the progress review of 28/02/2013")).to_have_count(0)
    page.get_by_role("link", name=str(world.dan.candidate)).click()
    expect(page.get_by_role("heading", name=str(world.dan.candidate))).to_be_visible()
    expect(page.get_by_text("Date of birth")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{live_server.url}/registrations/{world.dan.pk}/reviews/")
    expect(page.get_by_text("Employer: Ed Test")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == [], errors
    context.close()
