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

    # The proposal form is loaded for this one item when the candidate opens it.
    page.get_by_role("link", name=re.compile(r"^Propose criteria for evidence")).first.click()
    page.get_by_text("Propose for unit 403").first.click()
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


def test_proposal_form_is_loaded_on_demand_on_a_phone(
    live_server: Any,
    dana: Registration,
    browser: Browser,
) -> None:
    import datetime as dt

    from assay.portfolios.services import evidence_add

    dan = dana.candidate.user
    items = [
        evidence_add(
            by=dan,
            registration=dana,
            method="reflective_account",
            started_on=dt.date(2013, 1, day),
            description=f"Account {day}",
            context="real_job",
        )
        for day in (7, 8)
    ]
    targets = unit_targets(unit_spec(dana, "403"))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = page_errors(page)
    portfolio = f"/registrations/{dana.pk}/portfolio/"
    sign_in(page, live_server.url, "dan", portfolio)
    # No criterion checkbox is on the page until the candidate opens one item's form.
    expect(page.locator(".propose input[type=checkbox]")).to_have_count(0)
    newest = items[-1]
    page.get_by_role("link", name=f"Propose criteria for evidence {newest.pk}").click()
    box = page.locator(f"#propose-{newest.pk}")
    box.get_by_text("Propose for unit 403").click()
    checks = box.get_by_role("checkbox")
    expect(checks.first).to_be_visible()
    assert page.url.endswith(portfolio)  # swapped in by htmx, not a page of its own
    assert box.locator("form").count() >= 1
    form = box.locator("form", has=page.get_by_role("button", name="Propose mappings to unit 403"))
    assert form.get_by_role("checkbox").count() == len(targets)
    form.get_by_role("checkbox").nth(0).check()
    form.get_by_role("checkbox").nth(1).check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    form.get_by_role("button", name="Propose mappings to unit 403").click()
    expect(page.get_by_role("status")).to_contain_text(f"Evidence {newest.pk} proposed")
    assert set(CriterionMapping.objects.values_list("item_id", "target")) == {
        (newest.pk, targets[0]),
        (newest.pk, targets[1]),
    }
    assert errors == []
