"""A certifying body's first auditor, in Chromium: Ada (the body's administrator) signs in,
opens the body's accounts from the audits page and invites an auditor; the link from the email
is opened, the password set, and the new auditor lands on their audits. At a phone's 390 px and
a laptop's 1366 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Browser, expect

from assay.audits import services as svc
from assay.audits.models import BodyMembership, CertifyingBody
from tests.accounts.conftest import LINK
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csi(settings: Any) -> CertifyingBody:
    settings.ASSAY_TODAY = "2013-03-01"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    ada = users.objects.create_user("ada", password="ada-password-1")
    body = svc.body_create(by=sam, name="Customer Service Institute", reference="CSI")
    svc.body_role_grant(by=sam, body=body, user=ada, role="administrator")
    return body


@pytest.mark.parametrize("width", [390, 1366])
def test_body_admin_invites_an_auditor_who_sets_a_password_and_lands_on_their_audits(
    live_server: Any,
    csi: CertifyingBody,
    browser: Browser,
    width: int,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = page_errors(page)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("ada-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/audits/")  # a body administrator's home

    page.get_by_role("link", name="Accounts and invitations").click()
    expect(page).to_have_url(f"{base}/audits/bodies/{csi.pk}/accounts/")
    expect(page.get_by_role("heading", name="Accounts and invitations")).to_be_visible()
    page.get_by_label("Email address").fill("zoe@example.org")
    page.get_by_label("First name").fill("Zoe")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Role").select_option("auditor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to zoe@example.org")
    expect(page.locator('[data-invitation="zoe@example.org"]')).to_contain_text("Pending")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Sign out").click()

    assert mail.outbox and mail.outbox[-1].to == ["zoe@example.org"]
    assert "Customer Service Institute" in mail.outbox[-1].subject
    found = LINK.search(mail.outbox[-1].body)
    assert found
    page.goto(found.group(0))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    expect(page.get_by_text("Customer Service Institute")).to_be_visible()
    page.get_by_label("Choose a password").fill("Harbour-lights-2013")
    page.get_by_label("The password again").fill("Harbour-lights-2013")
    page.get_by_role("button", name="Set my password and sign in").click()

    expect(page).to_have_url(re.compile(r"/audits/$"))
    expect(page.get_by_role("heading", name="Audits", exact=True, level=1)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_contain_text("zoe@example.org")
    expect(page.get_by_role("link", name="Accounts and invitations")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    zoe = get_user_model().objects.get(username="zoe@example.org")
    held = BodyMembership.objects.get(user=zoe)
    assert (held.body_id, held.role, held.active) == (csi.pk, "auditor", True)
    assert errors == [], errors
