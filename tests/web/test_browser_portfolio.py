"""Unit 403 from empty to signed off in the browser: the candidate adds evidence with a file and
proposes it for every criterion and range item; the assessor confirms, judges, records the
evidence period and signs the unit off."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, EvidenceFile
from assay.portfolios.records import signed_off_units
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_403_from_empty_to_signed_off(
    live_server: Any,
    dana: Registration,
    browser: Browser,
) -> None:
    targets = unit_targets(unit_spec(dana, "403"))
    criteria = [t for t in targets if "." in t]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = page_errors(page)
    portfolio = f"/registrations/{dana.pk}/portfolio/"

    # The candidate: evidence with a file, then every criterion and range item proposed.
    sign_in(page, live_server.url, "dan", portfolio)
    expect(page.get_by_role("heading", name="Portfolio of Dana Reyes")).to_be_visible()
    expect(page.locator("#unit-403")).to_contain_text("0%")
    page.get_by_label("Method").select_option("reflective_account")
    page.get_by_label("Date (or first day)").fill("2013-01-07")
    page.get_by_label("Last day").fill("2013-02-20")
    page.get_by_label("Where it happened").fill("Head office")
    page.get_by_label("What it shows").fill("Briefing the senior team on the returns policy")
    page.get_by_label("Context").select_option("real_job")
    page.get_by_label("File").set_input_files(
        {"name": "account.txt", "mimeType": "text/plain", "buffer": b"My reflective account.\n"}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("link", name="account.txt")).to_be_visible()
    assert EvidenceFile.objects.get().original_name == "account.txt"

    page.get_by_text("Propose for unit 403").click()
    form = page.locator("form", has=page.get_by_role("button", name="Propose mappings to unit 403"))
    boxes = form.get_by_role("checkbox")
    assert boxes.count() == len(targets)
    for n in range(boxes.count()):
        boxes.nth(n).check()
    form.get_by_role("button", name="Propose mappings to unit 403").click()
    expect(page.get_by_role("status")).to_contain_text("proposed for unit 403")
    assert CriterionMapping.objects.filter(status="proposed").count() == len(targets)
    page.get_by_role("button", name="Sign out").click()

    # The assessor: confirm each mapping, judge each criterion, record the span, sign off.
    sign_in(page, live_server.url, "alice", f"/registrations/{dana.pk}/units/403/")
    expect(page.get_by_role("heading", name="Unit 403: Dana Reyes")).to_be_visible()
    confirm = page.get_by_role("button", name=re.compile(r"^Confirm evidence"))
    for left in range(len(targets), 0, -1):
        expect(confirm).to_have_count(left)
        confirm.first.click()
    expect(confirm).to_have_count(0)
    for criterion in criteria:
        page.get_by_role("button", name=f"Judge {criterion} met", exact=True).click()
        anchor = criterion.replace(".", "-")
        expect(page.locator(f"#criterion-{anchor} .judged .tag-ok")).to_have_text("Met")
    page.get_by_label("Sufficient period (days)").fill("30")
    page.get_by_role("button", name="Record evidence period as sufficient").click()
    expect(page.get_by_text("recorded as sufficient")).to_be_visible()
    page.get_by_role("button", name="Sign the declaration and sign off unit 403").click()
    expect(page.get_by_text("This unit is signed off and locked.")).to_be_visible()
    assert signed_off_units(dana) == ["403"]
    page.goto(f"{live_server.url}{portfolio}")
    expect(page.locator("#unit-403")).to_contain_text("Signed off")
    expect(page.locator("#unit-403")).to_contain_text("100%")
    assert errors == []
