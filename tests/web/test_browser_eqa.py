"""External verification in Chromium, each person through their own pages: Eve (the centre's EV)
records a visit with a medium risk rating and an action point for Linda; Linda marks it done;
Eve applies a suspension of registrations, seeing what it blocks and confirming; Carol then
tries to register a candidate and is refused with the sanction's reason, and nothing is saved.
Eve's page also fits a 390 px phone. The records still verify afterwards."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assay.eqa.models import ActionPoint, Sanction, Visit
from assay.records.services import records_verify
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
REASON = "Assessment records missing for 12 candidates"


def passwords(world: World, *names: str) -> None:
    for name in names:
        user = world.user(name)
        user.set_password(f"{name}-password-1")
        user.save(update_fields=["password"])


def record_visit(page: Page) -> None:
    form = page.locator("#visit-heading ~ form")
    form.get_by_label("Date of the visit").fill("2013-02-20")
    form.get_by_label("On site").check()
    form.get_by_label("Done").check()
    form.get_by_label("Sample request (the centre sees it)").fill("Portfolios of Dan, unit 401")
    form.get_by_label("Findings").fill("Decisions sound; IV sampling thin.")
    form.get_by_label("Risk rating (optional)", exact=True).select_option("medium")
    form.get_by_label("Reasons for the risk rating").fill("IV sampling below plan")
    form.get_by_label(re.compile(r"^Action point 1 \(optional")).fill("Sample 401 again")
    form.get_by_label("Owner of action point 1").select_option("linda")
    form.get_by_label("Action point 1 due on").fill("2013-04-01")
    form.get_by_role("button", name="Record the visit").click()


def test_visit_action_point_sanction_and_refused_registration(
    live_server: Any, world: World, browser: Browser
) -> None:
    passwords(world, "eve", "linda", "carol")
    eqa = f"/centres/{world.north.pk}/eqa/"
    errors: list[str] = []

    # 1. Eve records a done visit with a medium rating and an action point for Linda.
    eve = browser.new_page()
    errors += page_errors(eve)
    sign_in(eve, live_server.url, "eve", eqa)
    record_visit(eve)
    visit = eve.locator("article.visit").first
    expect(visit).to_contain_text("Risk rated medium")
    expect(visit).to_contain_text("Sample 401 again")
    assert Visit.objects.get().risk == "medium"
    (point,) = ActionPoint.objects.all()
    assert point.owner == world.user("linda") and point.done_at is None

    # 2. Linda sees it on her centre's page and marks it done.
    linda = browser.new_page()
    errors += page_errors(linda)
    sign_in(linda, live_server.url, "linda", eqa)
    expect(linda.get_by_text("Portfolios of Dan, unit 401")).to_be_visible()
    expect(linda.get_by_text("Apply a sanction")).to_have_count(0)
    linda.get_by_role("button", name="Mark done").click()
    expect(linda.locator(f'li[data-point="{point.pk}"]')).to_contain_text("Done")
    point.refresh_from_db()
    assert point.done_by == world.user("linda")

    # 3. Eve applies a suspension of registrations: reason first, then what it blocks, confirmed.
    eve.goto(live_server.url + eqa)
    eve.get_by_text("Apply a sanction").click()
    eve.get_by_label("Sanction", exact=True).select_option("registrations_suspended")
    eve.get_by_label("Applies from").fill("2013-02-01")
    eve.get_by_label("Reason (the centre sees it, and every refusal quotes it)").fill(REASON)
    eve.get_by_role("button", name="Continue").click()
    expect(eve.get_by_text("It refuses new registrations and certification claims")).to_be_visible()
    assert not Sanction.objects.exists()
    eve.get_by_label("I have checked what this sanction blocks").check()
    eve.get_by_role("button", name="Confirm").click()
    expect(eve.locator("article.sanction")).to_contain_text(REASON)
    assert Sanction.objects.get().level == "registrations_suspended"

    # 4. Carol tries to register a candidate: the entry check and the submit both refuse.
    before = Registration.objects.count()
    carol = browser.new_page()
    errors += page_errors(carol, frozenset({400, 422}))
    sign_in(carol, live_server.url, "carol", f"/centres/{world.north.pk}/")
    carol.get_by_role("link", name="Register a candidate").click()
    carol.get_by_label("First name").fill("Nia")
    carol.get_by_label("Last name").fill("Jones")
    carol.get_by_label("Date of birth").fill("1985-02-02")
    carol.get_by_label("Qualification", exact=True).select_option("4430-04")
    carol.get_by_role("button", name="Check entry rules").click()
    expect(carol.locator("#entry-check")).to_contain_text(REASON)
    carol.get_by_role("button", name="Register", exact=True).click()
    expect(carol.get_by_text(REASON).first).to_be_visible()
    assert Registration.objects.count() == before

    # 5. Eve's page on a phone: nothing wider than the screen.
    phone = browser.new_page(viewport={"width": PHONE, "height": 800})
    errors += page_errors(phone)
    sign_in(phone, live_server.url, "eve", eqa)
    expect(phone.get_by_role("heading", name="External verification")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"EQA page is {width} px wide on a {PHONE} px phone"

    assert errors == []
    assert records_verify().ok
