"""The assessor's unit screen in Chromium at a phone's 390 px and a laptop's 1366 px: no sideways
scroll, a confirmation in place without a jump to the top, a refusal beside its card, all
proposals of an item confirmed at once, several criteria judged met at once, the evidence
previewed inline, and the unit signed off with the assessor's declaration."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect

from assay.portfolios.assessment import criterion_judge, mapping_decide, span_record
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, Decision
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A real 1×1 PNG, so the preview decodes (naturalWidth 1).
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    + _chunk(b"IEND", b"")
)
WIDTHS = [390, 1366]


def person(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def item_for(reg: Registration, targets: list[str], day: int = 7) -> Any:
    dan = person("dan")
    item = evidence_add(
        by=dan,
        registration=reg,
        method="product",
        started_on=dt.date(2013, 1, day),
        description="Complaint log with my notes on each complaint",
        context="real_job",
    )
    for target in targets:
        mapping_propose(by=dan, item=item, unit="403", target=target)
    return item


def fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll} px wide at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_confirm_in_place_bulk_acts_and_preview(
    live_server: Any,
    dana: Registration,
    browser: Browser,
    width: int,
) -> None:
    first = item_for(dana, ["1.1"])
    evidence_file_attach(
        by=person("dan"),
        item=first,
        upload=SimpleUploadedFile("chart.png", PNG),
        original_name="chart.png",
    )
    second = item_for(dana, ["1.2", "1.3", "2.1"], day=9)
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors = page_errors(page, expected=frozenset({400}))
    sign_in(page, live_server.url, "alice", f"/registrations/{dana.pk}/units/403/")
    expect(page.get_by_role("heading", name="Unit 403: Dana Reyes")).to_be_visible()
    fits(page, width)

    preview = page.get_by_role("img", name="Preview of chart.png")
    preview.scroll_into_view_if_needed()
    expect(preview).to_be_visible()
    # A function, not an expression: Playwright evals an expression string, which the CSP blocks.
    page.wait_for_function("() => document.querySelector('.preview img').naturalWidth === 1")

    # Confirm in place: the card changes, the page does not jump to the top.
    card = page.locator("#criterion-1-1")
    card.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    card.get_by_role("button", name=f"Confirm evidence {first.pk} for 1.1").click()
    expect(card.locator(".tag-confirmed")).to_have_text("Confirmed")
    expect(page.get_by_role("status")).to_contain_text(f"Evidence {first.pk} for 1.1 confirmed.")
    assert page.evaluate("window.scrollY") == before
    fits(page, width)

    # "Met" on evidence only proposed: refused beside its card, nothing recorded.
    other = page.locator("#criterion-2-1")
    other.get_by_role("button", name="Judge 2.1 met", exact=True).click()
    expect(other.get_by_role("alert")).to_contain_text("no evidence is confirmed")
    assert not Decision.objects.filter(kind="criterion_judged").exists()

    # All proposals of the second item, then several criteria met at once.
    page.get_by_role("button", name=f"Confirm all 3 proposals of evidence {second.pk}").click()
    expect(page.locator("#criterion-1-3 .tag-confirmed")).to_have_text("Confirmed")
    bulk = page.locator("form", has=page.get_by_role("button", name="Judge ticked criteria met"))
    for criterion in ("1.1", "1.2", "1.3"):
        bulk.get_by_label(criterion, exact=True).check()
    bulk.get_by_role("button", name="Judge ticked criteria met").click()
    for anchor in ("1-1", "1-2", "1-3"):
        expect(page.locator(f"#criterion-{anchor} .judged .tag-ok")).to_have_text("Met")
    judged = Decision.objects.filter(kind="criterion_judged").order_by("seq")
    assert [d.payload["criterion"] for d in judged] == ["1.1", "1.2", "1.3"]
    assert set(CriterionMapping.objects.values_list("status", flat=True)) == {"confirmed"}

    # A second act in place uses the page's new decision number (not refused as stale).
    page.locator("#criterion-2-1").get_by_role("button", name="Judge 2.1 met", exact=True).click()
    expect(page.locator("#criterion-2-1 .judged .tag-ok")).to_have_text("Met")
    fits(page, width)
    assert errors == []  # the refused "met" answered 400 on purpose (expected above)


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_off_with_the_declaration(
    live_server: Any,
    dana: Registration,
    browser: Browser,
    width: int,
) -> None:
    alice = person("alice")
    targets = list(unit_targets(unit_spec(dana, "403")))
    item_for(dana, targets)
    for mapping in CriterionMapping.objects.all():
        mapping_decide(by=alice, mapping=mapping, confirm=True)
    for target in targets:
        if "." in target:
            criterion_judge(by=alice, registration=dana, unit="403", criterion=target, met=True)
    span_record(by=alice, registration=dana, unit="403", sufficient_days=0)
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors = page_errors(page)
    sign_in(page, live_server.url, "alice", f"/registrations/{dana.pk}/units/403/")
    declaration = page.locator("blockquote.declaration")
    declaration.scroll_into_view_if_needed()
    expect(declaration).to_contain_text("valid")
    expect(declaration).to_contain_text("authentic")
    expect(declaration).to_contain_text("current")
    expect(declaration).to_contain_text("sufficient")
    fits(page, width)
    text = declaration.inner_text().strip()
    page.get_by_role("button", name="Sign the declaration and sign off unit 403").click()
    expect(page.get_by_text("This unit is signed off and locked.")).to_be_visible()
    expect(page.get_by_text("Sign-off and reopening history")).to_be_visible()
    signed = Decision.objects.get(kind="unit_signed_off")
    assert signed.payload["declaration"] == text
    fits(page, width)
    assert errors == []
