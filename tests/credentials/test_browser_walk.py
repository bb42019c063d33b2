"""The issue's walk in Chromium: the IV agrees, the centre claims and sends the batch, the
awarding body approves (services: tests/web/test_browser_claims.py walks those pages); Dan
finds My credentials, downloads his credential; anyone uploads it on the public verify page
on a phone — valid; Abby revokes the certificate on the claim page, confirming; the verify page
then says revoked with her reason. The records still verify."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, expect

from assay.claims.models import Certificate
from assay.records.services import records_verify
from tests.browser import page_errors, sign_in
from tests.claims.helpers import agreed, approved, awarding_body
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_download_verify_revoke_verify(
    live_server: Any, world: World, browser: Browser, tmp_path: Path
) -> None:
    awarding_body(world)
    agreed(world)
    certificate = approved(world)  # committed: the credentials are issued on commit
    for name in ("dan", "abby"):
        user = get_user_model().objects.get(username=name)
        user.set_password(f"{name}-password-1")
        user.save(update_fields=["password"])
    errors: list[str] = []

    # Dan downloads his credential from My credentials.
    dan = browser.new_page()
    errors += page_errors(dan)
    sign_in(dan, live_server.url, "dan", "/me/")
    dan.get_by_role("link", name="My credentials").click()
    with dan.expect_download() as download:
        dan.get_by_role("link", name="Download the credential (JSON)").first.click()
    file = tmp_path / "credential.json"
    download.value.save_as(file)

    # Anyone checks it on a phone: valid.
    phone = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    errors += page_errors(phone)
    phone.goto(f"{live_server.url}/verify/")
    phone.get_by_label("or choose its file").set_input_files(str(file))
    phone.get_by_role("button", name="Verify the credential").click()
    expect(phone.locator("[data-outcome]")).to_have_attribute("data-outcome", "valid")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Abby revokes the certificate on the claim page, confirming.
    abby = browser.new_page()
    errors += page_errors(abby)
    sign_in(abby, live_server.url, "abby", f"/claims/{certificate.claim_id}/")
    abby.locator("#id_revoke-kind").select_option("malpractice")
    abby.locator("#id_revoke-reason").fill("Witness statements were copied")
    abby.locator("#id_revoke-confirm").check()
    abby.get_by_role("button", name="Revoke").click()
    expect(abby.get_by_text("Witness statements were copied").first).to_be_visible()
    assert Certificate.objects.get().revoked_on is not None

    # The same file now verifies as revoked, with the reason; so does the QR code's page.
    phone.goto(f"{live_server.url}/verify/")
    phone.get_by_label("or choose its file").set_input_files(str(file))
    phone.get_by_role("button", name="Verify the credential").click()
    expect(phone.locator("[data-outcome]")).to_have_attribute("data-outcome", "revoked")
    expect(phone.get_by_text("Witness statements were copied").first).to_be_visible()
    phone.goto(f"{live_server.url}/verify/{certificate.number}")
    expect(phone.locator("[data-outcome]")).to_have_attribute("data-outcome", "revoked")

    assert records_verify().problems == []
    assert errors == []
