"""Unit 403 from empty to signed off in the browser: the candidate adds evidence with a file and
proposes it for every criterion and range item; the assessor confirms, judges, records the
evidence period and signs the unit off."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from assay.centres.models import Centre, Competence, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, EvidenceFile
from assay.portfolios.records import signed_off_units
from assay.registrations.links import candidate_account_link
from assay.registrations.models import Registration
from assay.registrations.services import (
    CandidateInput,
    PlanUnitInput,
    plan_set,
    registration_create,
)
from tests.web.test_browser import _errors, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registration(catalogue: None, settings: Any, tmp_path: Path) -> Registration:
    """Dana (signs in as dan) on 4430-04 at Northgate, unit 403 assessed by Alice."""
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    people = {
        name: users.objects.create_user(name, password=f"{name}-password-1")
        for name in ("carol", "alice", "dan")
    }
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    approval_record(
        by=sam, centre=north, approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=sam, centre=north, user=people["carol"], role=Role.CENTRE_ADMIN)
    membership_grant(by=sam, centre=north, user=people["alice"], role=Role.ASSESSOR)
    Competence.objects.create(
        user=people["alice"],
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2010, 1, 1),
        achieved_on=dt.date(2010, 6, 1),
    )
    reg = registration_create(
        by=people["carol"],
        centre=north,
        qualification_key="4430-04",
        candidate_input=CandidateInput(
            first_name="Dana",
            last_name="Reyes",
            date_of_birth=dt.date(1980, 5, 17),
            job_role="Customer service manager",
        ),
        registered_on=dt.date(2012, 12, 1),
    )
    candidate_account_link(by=people["carol"], candidate=reg.candidate, user=people["dan"])
    plan_set(
        by=people["carol"],
        registration=reg,
        units=[PlanUnitInput("403", assessor_id=people["alice"].pk)],
    )
    return reg


def sign_in(page: Page, base: str, username: str, path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()


def test_unit_403_from_empty_to_signed_off(
    live_server: Any,
    registration: Registration,
    browser: Browser,  # noqa: F811
) -> None:
    targets = unit_targets(unit_spec(registration, "403"))
    criteria = [t for t in targets if "." in t]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = _errors(page)
    portfolio = f"/registrations/{registration.pk}/portfolio/"

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
    sign_in(page, live_server.url, "alice", f"/registrations/{registration.pk}/units/403/")
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
    assert signed_off_units(registration) == ["403"]
    page.goto(f"{live_server.url}{portfolio}")
    expect(page.locator("#unit-403")).to_contain_text("Signed off")
    expect(page.locator("#unit-403")).to_contain_text("100%")
    assert errors == []
