"""The IQA loop in Chromium, each person through their own pages: Alice signs unit 403 off, Linda
(lead IQA) draws a sample with its confirmation, the IV asks for action (confirmed, the unit
reopens), Alice re-judges and signs off again, the IV agrees and the pick leaves the queue; the
records still verify. Then the IV's queue and pick page on a 390 px phone, where action required
is asked for and confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assay.notifications.models import Notification
from assay.portfolios.assessment import criterion_judge, span_record
from assay.portfolios.records import unit_signed_off
from assay.records.services import records_verify
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.verification.models import SamplePick, Verification
from tests.browser import page_errors, sign_in
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def within(page: Page, control: Any) -> None:
    """The control lies inside the phone's width (it can be reached without scrolling sideways)."""
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    assert box is not None, control
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box


def passwords(world: World, *names: str) -> None:
    """Gives each named person the ``<username>-password-1`` that ``sign_in`` types."""
    for name in names:
        user = world.user(name)
        user.set_password(f"{name}-password-1")
        user.save(update_fields=["password"])


def ready_403(world: World) -> None:
    """Alice assesses 403 for Dan through the services: everything confirmed and judged met,
    the evidence period recorded — all but the sign-off, which is clicked in the browser."""
    alice = world.user("alice")
    plan_set(
        by=world.user("carol"),
        registration=world.dan,
        units=[
            PlanUnitInput("401", alice.pk, dt.date(2013, 6, 30)),
            PlanUnitInput("403", alice.pk, dt.date(2013, 6, 30)),
        ],
        internal_verifier_id=world.user("ian").pk,
    )
    ready_portfolio({"dan": world.user("dan"), "alice": alice, "reg": world.dan})
    for number in CRITERIA_403:
        criterion_judge(by=alice, registration=world.dan, unit="403", criterion=number, met=True)
    span_record(by=alice, registration=world.dan, unit="403", sufficient_days=42)


def sign_off(page: Page) -> None:
    button = page.get_by_role("button", name="Sign the declaration and sign off unit 403")
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.get_by_text("This unit is signed off and locked.")).to_be_visible()


def test_sign_off_sample_action_required_fix_and_agree(
    live_server: Any, world: World, browser: Browser
) -> None:
    ready_403(world)
    passwords(world, "alice", "linda", "ian", "iris")
    unit = f"/registrations/{world.dan.pk}/units/403/"
    errors: list[str] = []

    # 1. Alice signs the unit off on the unit screen.
    alice = browser.new_page()
    errors += page_errors(alice)
    sign_in(alice, live_server.url, "alice", unit)
    sign_off(alice)
    assert unit_signed_off(world.dan, "403")

    # 2. Linda draws the year's sample, confirming it, and sees the pick with its reason.
    linda = browser.new_page()
    errors += page_errors(linda)
    sign_in(linda, live_server.url, "linda", f"/centres/{world.north.pk}/iqa/")
    linda.get_by_label("Qualification", exact=True).select_option("4430-04")
    linda.get_by_label("Period from").fill("2012-03-02")
    linda.get_by_label("Period to").fill("2013-03-01")
    linda.get_by_label("Seed").fill("7")
    linda.get_by_role("button", name="Draw a sample").click()
    confirm = linda.get_by_role("button", name="Confirm: draw the sample")
    expect(confirm).to_be_visible()
    assert not SamplePick.objects.exists()
    confirm.click()
    picks = linda.locator("#latest-heading").locator("xpath=..")
    expect(picks.get_by_text("Dan Smith").first).to_be_visible()
    expect(picks.get_by_text("trainee assessor").first).to_be_visible()
    pick = SamplePick.objects.get(registration=world.dan, unit_number="403")
    assert pick.verifier is not None
    iv_name = pick.verifier.username
    assert iv_name in ("ian", "iris")

    # 3. The IV finds the pick in their queue and asks for action, confirming the reopening.
    iv = browser.new_page()
    errors += page_errors(iv)
    sign_in(iv, live_server.url, iv_name, "/iqa/")
    queue = iv.locator("table.iqa-queue")
    expect(queue.get_by_text("Dan Smith")).to_be_visible()
    queue.get_by_role("link", name="Unit 403").click()
    expect(iv.get_by_role("heading", name="Unit 403 of Dan Smith")).to_be_visible()
    expect(iv.get_by_text("trainee assessor").first).to_be_visible()
    iv.get_by_label("Action required").check()
    iv.get_by_label("Feedback to the assessor").fill("Criterion 2.3: say which complaint it was")
    iv.get_by_label("Due date").fill("2013-03-20")
    iv.get_by_role("button", name="Record the verification").click()
    expect(iv.get_by_text("action required reopens it")).to_be_visible()
    assert unit_signed_off(world.dan, "403") and not Verification.objects.exists()
    iv.get_by_role("button", name="Confirm: action required, reopen the unit").click()
    expect(iv.get_by_text("Criterion 2.3: say which complaint it was").first).to_be_visible()
    assert not unit_signed_off(world.dan, "403")
    assert Verification.objects.get().outcome == "action_required"
    iv.goto(f"{live_server.url}/iqa/")
    expect(queue.get_by_text("action required")).to_be_visible()

    # The unit page's history says reopened; Alice is told.
    alice.goto(live_server.url + unit)
    history = alice.locator("ul.history")
    expect(history).to_contain_text("Criterion 2.3: say which complaint it was")
    expect(history.locator("li").last).to_contain_text("reopen")
    alice.goto(f"{live_server.url}/notifications/")
    told = alice.get_by_role("link", name="IQA action required on unit 403 of Dan Smith")
    expect(told).to_be_visible()
    assert Notification.objects.filter(
        recipient=world.user("alice"), kind="iqa_action_required"
    ).exists()
    told.click()

    # 4. Alice re-judges 2.3 and signs off again.
    card = alice.locator("#criterion-2-3")
    card.scroll_into_view_if_needed()
    card.get_by_role("button", name="Judge 2.3 met", exact=True).click()
    expect(alice.get_by_role("status")).to_be_visible()
    alice.reload()
    sign_off(alice)
    assert unit_signed_off(world.dan, "403")

    # 5. The IV is told of the new sign-off, agrees, and the pick leaves the queue.
    iv.goto(f"{live_server.url}/notifications/")
    iv.get_by_role("link", name="Sampled unit 403 of Dan Smith signed off").click()
    expect(iv.get_by_role("heading", name="Unit 403 of Dan Smith")).to_be_visible()
    expect(iv.locator(".badge-ok", has_text="signed off")).to_be_visible()
    iv.get_by_label("Agree").check()
    iv.get_by_label("Feedback to the assessor").fill("The complaint is named now; sound")
    iv.get_by_role("button", name="Record the verification").click()
    expect(iv.get_by_text("The complaint is named now; sound").first).to_be_visible()
    expect(iv.get_by_role("button", name="Record the verification")).to_have_count(0)
    iv.goto(f"{live_server.url}/iqa/")
    expect(iv.get_by_text("Nothing to verify.")).to_be_visible()
    assert list(Verification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "action_required",
        "agree",
    ]
    assert unit_signed_off(world.dan, "403")

    linda.reload()
    row = linda.locator("table.iqa-picks tr", has=linda.get_by_role("link", name="403"))
    expect(row.locator(".badge")).to_have_text("agreed")

    # 6. The chained records still verify.
    report = records_verify()
    assert report.ok, report.problems
    assert errors == [], errors


def test_queue_and_pick_fit_a_phone(live_server: Any, world: World, browser: Browser) -> None:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    assert pick.verifier is not None
    iv_name = pick.verifier.username
    passwords(world, iv_name)
    page = browser.new_page(viewport={"width": PHONE, "height": 844}, is_mobile=True)
    errors = page_errors(page)
    sign_in(page, live_server.url, iv_name, "/iqa/")
    expect(page.get_by_role("heading", name="My IQA queue")).to_be_visible()
    fits(page, PHONE)
    page.get_by_role("link", name="Unit 403").click()
    expect(page.get_by_role("heading", name="Unit 403 of Dan Smith")).to_be_visible()
    fits(page, PHONE)
    page.get_by_label("Action required").check()
    feedback = page.get_by_label("Feedback to the assessor")
    feedback.scroll_into_view_if_needed()
    within(page, feedback)
    feedback.fill("Say which complaint 2.3 is about")
    due = page.get_by_label("Due date")
    within(page, due)
    due.fill("2013-03-20")
    button = page.get_by_role("button", name="Record the verification")
    within(page, button)
    button.click()
    confirm = page.get_by_role("button", name="Confirm: action required, reopen the unit")
    expect(page.get_by_text("action required reopens it")).to_be_visible()
    fits(page, PHONE)
    within(page, confirm)
    # The values typed survive the confirmation step.
    expect(page.get_by_label("Action required")).to_be_checked()
    expect(page.get_by_label("Feedback to the assessor")).to_have_value(
        "Say which complaint 2.3 is about"
    )
    expect(page.get_by_label("Due date")).to_have_value("2013-03-20")
    confirm.click()
    expect(page.get_by_text("Say which complaint 2.3 is about").first).to_be_visible()
    fits(page, PHONE)
    assert Verification.objects.get().outcome == "action_required"
    assert not unit_signed_off(world.dan, "403")
    assert errors == [], errors
