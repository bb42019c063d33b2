"""The public verify page on a 390 px phone in Chromium: a certificate's QR code page says
valid with every check, a pasted credential with one character changed says altered, and after
revocation the page says revoked with the reason. Nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from assay.credentials.services import (
    CertificateInput,
    credentials_issue_for,
    credentials_revoke_for,
)
from tests.browser import page_errors

from .factory import facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_verify_page_on_a_phone(live_server: Any, browser: Browser, settings: Any) -> None:
    settings.ASSAY_TODAY = "2013-03-02"
    rows = credentials_issue_for(certificate=CertificateInput(17, facts()))
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    errors = page_errors(page)

    def fits() -> bool:
        return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])

    page.goto(f"{live_server.url}/verify/AS0000017K")
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "valid"
    assert "Valid" in page.locator(".verdict-title").inner_text()
    assert page.locator(".rule").count() == 3 * 5
    assert fits()

    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Paste a credential").fill(rows[1].document.replace("Zoë", "Zoe"))
    page.get_by_role("button", name="Verify the credential").click()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "altered"
    assert page.get_by_text("altered after signing").first.is_visible()
    assert fits()

    page.get_by_label("Certificate number").fill("AS0000017K")
    page.get_by_role("button", name="Check the number").click()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "valid"

    credentials_revoke_for(certificate=17, reason="Issued in error: wrong candidate")
    page.reload()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "revoked"
    assert page.get_by_text("Issued in error: wrong candidate").first.is_visible()
    assert fits()
    assert errors == []
    context.close()
