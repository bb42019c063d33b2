"""A newcomer registers a candidate in the browser: sign in, wizard, live entry check, submit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, expect

from assay.centres.models import Centre, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.registrations.models import Registration
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(catalogue: None, settings: Any) -> Centre:
    settings.ASSAY_TODAY = "2013-03-01"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    carol = users.objects.create_user("carol", password="carol-password-1")
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    approval_record(
        by=sam, centre=north, approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=sam, centre=north, user=carol, role=Role.CENTRE_ADMIN)
    return north


def test_centre_administrator_registers_a_candidate(
    live_server: Any,
    centre: Centre,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = page_errors(page)
    page.goto(f"{live_server.url}/accounts/login/?next=/centres/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Northgate Training Centre")).to_be_visible()
    expect(page.get_by_text("Demo date")).to_contain_text("01/03/2013")

    page.get_by_role("link", name="Register a candidate").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Date of birth").fill("1996-03-02")  # 16 on the registration date
    page.get_by_label("Qualification", exact=True).select_option("4430-04")
    page.get_by_role("button", name="Check entry rules").click()
    check = page.locator("#entry-check")
    expect(check).to_contain_text("under 18")
    assert Registration.objects.count() == 0

    page.get_by_label("Date of birth").fill("1980-05-17")
    page.get_by_role("button", name="Check entry rules").click()
    expect(check).to_contain_text("All entry rules met")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Priya Shah")).to_be_visible()
    (registration,) = Registration.objects.all()
    assert registration.qualification.code == "4430-04"
    assert registration.registered_on == dt.date(2013, 3, 1)
    assert errors == []
