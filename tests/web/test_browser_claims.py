"""A claim in Chromium, each person through their own pages: Northgate has no direct claims
status (an action plan is in force), so the centre's "ready to claim" list refuses Dan's
sampled unit 403 until the IV agrees (the claim form's live check says so too); the IV agrees
on the pick page; Carol claims the unit from the list and sends the batch; Abby (awarding
body) approves it from her queue, confirming; Dan opens his home page and downloads the
certificate PDF, whose text reads back with his name, the unit and the verify link. The
records still verify."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.claims.models import Certificate, Claim
from assay.records.services import records_verify
from tests.browser import page_errors, sign_in
from tests.claims.helpers import awarding_body, sampled
from tests.eqa.helpers import apply
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def passwords(world: World, *names: str) -> None:
    for name in names:
        user = world.user(name)
        user.set_password(f"{name}-password-1")
        user.save(update_fields=["password"])


def test_iv_agrees_claim_batch_approve_download(
    live_server: Any, world: World, browser: Browser, settings: Any, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    settings.ASSAY_SITE_URL = "https://assay.example.org"
    awarding_body(world)
    pick = sampled(world)
    apply(world, level="action_plan")  # no direct claims status: the IV's agree is needed
    iv_name = pick.verifier.username if pick.verifier else "ian"
    passwords(world, "carol", "abby", "dan", iv_name)
    errors: list[str] = []
    claims_url = f"/centres/{world.north.pk}/claims/"

    # 1. Carol's list says why Dan's 403 cannot be claimed yet.
    carol = browser.new_page()
    errors += page_errors(carol)
    sign_in(carol, live_server.url, "carol", claims_url)
    row = carol.locator(f"#ready-{world.dan.pk}")
    expect(row.get_by_text("no internal verifier has agreed yet").first).to_be_visible()
    # the claim form's live check (htmx) says the same before anything is saved
    carol.get_by_label("Candidate").select_option(str(world.dan.pk))
    carol.get_by_label("Units (for a unit certificate)").fill("403")
    check = carol.locator("#claim-check")
    expect(check.get_by_text("This claim would be refused")).to_be_visible()
    expect(check.get_by_text("no internal verifier has agreed yet")).to_be_visible()
    assert not Claim.objects.exists()

    # 2. The IV agrees on the pick page.
    iv = browser.new_page()
    errors += page_errors(iv)
    sign_in(iv, live_server.url, iv_name, f"/iqa/picks/{pick.pk}/")
    iv.get_by_label("Agree").check()
    iv.get_by_label("Feedback to the assessor").fill("Sound judgements throughout")
    iv.get_by_role("button", name="Record the verification").click()
    expect(iv.get_by_role("button", name="Record the verification")).to_have_count(0)

    # 3. Carol claims the unit from the list and sends the batch.
    carol.reload()
    carol.get_by_role("button", name="Claim units 403").click()
    expect(carol.get_by_text("created (draft)")).to_be_visible()
    carol.get_by_role("button", name="Send 1 draft claim to the awarding body").click()
    expect(carol.get_by_text("sent to the awarding body")).to_be_visible()
    claim = Claim.objects.get()
    assert claim.status == "submitted"

    # 4. Abby approves from her queue, confirming.
    abby = browser.new_page()
    errors += page_errors(abby, frozenset({400}))
    sign_in(abby, live_server.url, "abby", "/claims/queue/")
    abby.get_by_role("link", name=f"Claim {claim.pk}").click()
    abby.get_by_role("button", name="Approve and issue the certificate").click()
    expect(abby.locator(".error-box")).to_be_visible()  # not confirmed: nothing issued
    assert not Certificate.objects.exists()
    abby.locator("#id_approve-confirm").check()
    abby.get_by_role("button", name="Approve and issue the certificate").click()
    cert = Certificate.objects.get()
    expect(abby.locator("#certificate-number")).to_have_text(cert.number)

    # 5. Dan downloads the certificate from his home page.
    dan = browser.new_page()
    errors += page_errors(dan)
    sign_in(dan, live_server.url, "dan", "/")
    link = dan.get_by_role("link", name=f"Download certificate {cert.number} (PDF)")
    with dan.expect_download() as download:
        link.click()
    target = tmp_path / "certificate.pdf"
    download.value.save_as(target)
    text = pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    assert "Dan Smith" in text and "Champion customer service" in text
    assert f"https://assay.example.org/verify/{cert.number}" in text

    assert records_verify().problems == []
    assert errors == []
