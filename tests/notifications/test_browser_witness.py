"""The witness flow in Debian's Chromium, as people use it: the candidate names two witnesses and
signs out; each witness opens the link from their email on a phone, signed out, and confirms.

Regression: the witness pages sent ``Referrer-Policy: no-referrer``, so Chromium posted their
forms with ``Origin: null`` and Django's CSRF check refused the confirmation, the second witness
and *Sign out* alike (403 "Origin checking failed - null").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from assay.portfolios.models import WitnessStatement
from assay.portfolios.services import evidence_add
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WITNESSES = [
    ("Priya Shah", "priya@example.com", "I saw Dana calm an angry customer."),
    ("Tom Reed", "tom@example.com", "Dana handled the complaint follow-up call."),
]


def test_candidate_names_two_witnesses_and_each_confirms_from_their_email(
    live_server: Any,
    w: dict[str, Any],
    browser: Browser,
) -> None:
    item = evidence_add(
        by=w["dan"],
        registration=w["reg"],
        method="witness_testimony",
        started_on=dt.date(2013, 2, 4),
        description="Calming an angry customer at the returns desk",
        context="real_job",
    )
    add = f"/registrations/{w['reg'].pk}/portfolio/evidence/{item.pk}/witness"

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    seen = page_errors(page)
    page.goto(f"{live_server.url}/accounts/login/?next={add}")
    page.get_by_label("Username").fill("dan")
    page.get_by_label("Password").fill("x-dan")
    page.get_by_role("button", name="Sign in").click()
    for name, email, statement in WITNESSES:
        page.get_by_label("Witness's name").fill(name)
        page.get_by_label("Their job role").fill("Colleague")
        page.get_by_label("Relationship to the candidate").fill("colleague")
        page.get_by_label("Contact").fill(email)
        page.get_by_label("Statement for the witness to confirm").fill(statement)
        page.get_by_role("button", name="Add the witness and make their link").click()
        expect(page.get_by_role("heading", name=f"{name} added")).to_be_visible()
        expect(page.locator("section", has_text="Witnesses")).to_contain_text(name)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert seen == []

    links = {
        message.to[0]: re.search(r"https?://\S+/witness/[\w-]+/", message.body).group(0)  # type: ignore[union-attr]
        for message in mail.outbox
        if "/witness/" in message.body
    }
    assert set(links) == {email for _, email, _ in WITNESSES}
    for name, email, statement in WITNESSES:
        # The email's link points at ASSAY_SITE_URL; the witness opens the same path here.
        path = re.sub(r"^https?://[^/]+", "", links[email])
        phone = browser.new_context(viewport=PHONE, is_mobile=True)
        witness = phone.new_page()
        seen = page_errors(witness)
        witness.goto(live_server.url + path)
        expect(witness.get_by_text(statement)).to_be_visible()
        assert witness.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        witness.get_by_role("button", name="I confirm this statement is true").click()
        expect(witness.get_by_role("status")).to_contain_text(f"Thank you, {name}")
        assert seen == []
        witness.goto(live_server.url + path)  # used once: the link is gone
        expect(witness.get_by_text("already been used")).to_be_visible()
        phone.close()
    confirmed = WitnessStatement.objects.filter(item=item, confirmed_at__isnull=False)
    assert sorted(confirmed.values_list("name", flat=True)) == sorted(n for n, _, _ in WITNESSES)
