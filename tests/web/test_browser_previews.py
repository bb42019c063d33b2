"""The unit screen's inline previews in Chromium, on the demo's unit 410 (Priya's PDF feedback
form, PNG chart and WAV extract): the image decodes, the audio player loads the 1.5 s extract,
and the PDF frame is served inline from this site (not as a download, not from elsewhere)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, expect

from assay.registrations.models import Registration
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_pdf_image_and_audio_preview_beside_the_criteria(
    live_server: Any,
    demo_loaded: None,
    browser: Browser,
    width: int,
) -> None:
    priya = Registration.objects.get(candidate__first_name="Priya", candidate__last_name="Shah")
    client = Client()
    client.force_login(get_user_model().objects.get(username="alice"))
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors = page_errors(page)
    page.goto(f"{live_server.url}/registrations/{priya.pk}/units/410/")
    expect(page.get_by_role("heading", name="Unit 410: Priya Shah")).to_be_visible()

    image = page.get_by_role("img", name="Preview of complaint-volumes-2012.png")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    decoded = image.evaluate(
        """i => i.complete ? i.naturalWidth > 0 : new Promise(done => {
            i.addEventListener('load', () => done(i.naturalWidth > 0), {once: true});
            i.addEventListener('error', () => done(false), {once: true});
        })"""
    )
    assert decoded  # lazy: it loads once scrolled into view

    audio = page.locator('audio[aria-label="Preview of professional-discussion-extract.wav"]')
    audio.scroll_into_view_if_needed()
    duration = audio.evaluate(
        """a => new Promise((done, failed) => {
            a.addEventListener('loadedmetadata', () => done(a.duration), {once: true});
            a.addEventListener('error', () => failed(String(a.error?.code)), {once: true});
            a.preload = 'metadata'; a.load();
        })"""
    )
    assert 1.4 < duration < 1.6

    frame = page.locator('iframe[title="Preview of customer-feedback-form.pdf"]')
    frame.scroll_into_view_if_needed()
    source = frame.get_attribute("src")
    assert source and source.startswith(f"/registrations/{priya.pk}/units/410/")
    answer = page.request.get(live_server.url + source)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline")
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in answer.headers["content-security-policy"]
    expect(frame).to_have_js_property("title", "Preview of customer-feedback-form.pdf")
    assert answer.body().startswith(b"%PDF-")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == [], errors
    context.close()
