"""Two-factor sign-in in Chromium: Carol (a centre administrator, where the installation
requires staff to use an authenticator) signs in, is sent to enrolment, scans — here: reads —
the key, confirms with a code, signs out, and signs in again with a fresh code. At a phone's
390 px and a laptop's 1366 px, with no Content-Security-Policy refusals."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect

from assay.centres.models import Centre, Membership, Role
from tests.browser import page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northgate(settings: Any) -> Centre:
    settings.ASSAY_REQUIRE_2FA = True
    settings.ASSAY_OIDC_CLIENT_ID = "assay"  # the sign-in page offers single sign-on too
    settings.ASSAY_OIDC_PROVIDER_NAME = "Northgate Staff Directory"
    carol = get_user_model().objects.create_user("carol", password="carol-password-1")
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    Membership.objects.create(user=carol, centre=north, role=Role.CENTRE_ADMIN)
    return north


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the typed-in key (RFC 6238: SHA-1, 30 s, 6 digits)."""
    compact = secret.replace(" ", "")
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1366])
def test_enrol_sign_out_and_sign_in_with_a_code(
    live_server: Any, northgate: Centre, browser: Browser, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = page_errors(page)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    sso = page.get_by_role("link", name="Sign in with Northgate Staff Directory")
    expect(sso).to_be_visible()
    fits(page, width)
    sign_in(page, base, "carol", "/me/")
    expect(page.get_by_role("heading", name="Set up your authenticator")).to_be_visible()
    qr = page.get_by_role("img", name="QR code to add Assay to an authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data-URI SVG rendered
    fits(page, width)
    secret = page.locator("[data-secret]").inner_text()
    # Nothing else is reachable until the authenticator is confirmed.
    page.goto(f"{base}/centres/{northgate.pk}/")
    expect(page.get_by_role("heading", name="Set up your authenticator")).to_be_visible()

    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Authenticator set up")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    fits(page, width)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(f"{base}/centres/{northgate.pk}/")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "carol", "/me/")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    fits(page, width)
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/centres/{northgate.pk}/")
    assert errors == [], errors
