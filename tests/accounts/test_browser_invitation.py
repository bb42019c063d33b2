"""First day in Chromium: Carol (Northgate's administrator) signs in, invites an assessor; the
link from the email is opened, the password set, and the new assessor lands on their caseload.
At a phone's 390 px and a laptop's 1366 px."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Browser, expect

from assay.centres.models import Centre, Membership, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from tests.accounts.conftest import LINK
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northgate(catalogue: None, settings: Any) -> Centre:
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


@pytest.mark.parametrize("width", [390, 1366])
def test_admin_invites_an_assessor_who_sets_a_password_and_lands_on_the_caseload(
    live_server: Any,
    northgate: Centre,
    browser: Browser,
    width: int,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = page_errors(page, expected=frozenset({410}))  # the reused link, on purpose
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/centres/{northgate.pk}/")  # the administrator's home

    page.get_by_role("link", name="Accounts and invitations").click()
    expect(page.get_by_role("heading", name="Accounts and invitations")).to_be_visible()
    page.get_by_label("Email address").fill("zoe@example.org")
    page.get_by_label("First name").fill("Zoe")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Role").select_option("assessor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to zoe@example.org")
    expect(page.locator('[data-invitation="zoe@example.org"]')).to_contain_text("Pending")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Sign out").click()

    assert mail.outbox and mail.outbox[-1].to == ["zoe@example.org"]
    found = LINK.search(mail.outbox[-1].body)
    assert found
    page.goto(found.group(0))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.get_by_label("Choose a password").fill("Harbour-lights-2013")
    page.get_by_label("The password again").fill("Harbour-lights-2013")
    page.get_by_role("button", name="Set my password and sign in").click()

    expect(page).to_have_url(re.compile(r"/caseload/$"))
    expect(page.get_by_text("Signed in as")).to_contain_text("zoe@example.org")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My caseload")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    zoe = get_user_model().objects.get(username="zoe@example.org")
    assert Membership.objects.filter(user=zoe, role=Role.ASSESSOR, active=True).exists()

    # The link is single-use: opening it again says so.
    gone = page.goto(found.group(0))
    assert gone is not None and gone.status == 410
    expect(page.get_by_text("already been used")).to_be_visible()
    assert errors == [], errors
