"""Document review on a 390 px phone in Chromium: the organisation's contact uploads a
document for two attributes, detaches it from one with a reason (htmx swaps the card), and the
page never scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.audits.models import ReviewDocumentLink
from assay.audits.records import audit_problems
from tests.audits.world import AuditWorld, build_world
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    w["contact"].set_password("contact-password-1")
    w["contact"].save()
    return w


def test_the_contact_gives_a_document_for_review_on_a_phone(
    live_server: Any, world: AuditWorld, browser: Browser, tmp_path: Path
) -> None:
    policy = tmp_path / "complaints-policy.txt"
    policy.write_text("Every complaint is logged within one working day.\n", encoding="utf-8")
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    errors = page_errors(page)
    path = f"/audits/{world.audit.pk}/documents/"
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.get_by_label("Username").fill("contact")
    page.get_by_label("Password").fill("contact-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Document", exact=True).set_input_files(str(policy))
    page.get_by_label("Attributes it supports").fill("S1.1, S1.2")
    page.get_by_role("button", name="Upload for review").click()
    card = page.locator("#review-documents li").first
    expect(card).to_contain_text("complaints-policy.txt")
    expect(card).to_contain_text("S1.2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card.get_by_text("Attach or detach").click()
    card.get_by_label("Detach from").select_option("S1.2")
    card.get_by_label("Reason", exact=True).fill("It covers complaint logging only")
    card.get_by_label("I confirm").check()
    card.get_by_role("button", name="Detach").click()
    swapped = page.locator("#review-documents li").first
    expect(swapped.locator("p", has_text="Supports:")).not_to_contain_text("S1.2")
    assert ReviewDocumentLink.objects.get(attached=False).reason.startswith("It covers")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert audit_problems(world.audit.pk) == []
    assert errors == []
