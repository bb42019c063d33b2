"""The whole certification cycle in the browser (Debian's Chromium driven by Playwright): the
administrator plans an audit, assigns an auditor and draws the sample (and verifies it); the
organisation's contact self-assesses; the auditor opens fieldwork and scores every sampled
site (the band shows live as a score is typed); the decision maker reads the engine's reasons,
records the decision and issues the certificate; anyone finds it on the public register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assay.audits.models import Audit, Certificate, SelfAssessment, SiteScore
from assay.audits.standards import standard_of
from tests.audits.world import AuditWorld, build_world
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTORS = ("body_admin", "contact", "auditor", "decision_maker")


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    for role in ACTORS:
        w[role].set_password(f"{role}-password-1")
        w[role].save()
    return w


def signed_in(browser: Browser, base: str, username: str, path: str) -> tuple[Page, list[str]]:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = page_errors(page)
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()
    return page, errors


def test_full_certification_cycle(
    live_server: Any,
    world: AuditWorld,
    browser: Browser,
) -> None:
    base = live_server.url

    # The body's administrator plans an audit of Acme, assigns an auditor, draws the sample.
    page, errors = signed_in(browser, base, "body_admin", "/audits/")
    expect(page.get_by_role("link", name="Audits", exact=True)).to_be_visible()
    page.get_by_role("link", name="Plan an audit").click()
    # The organisation is typed: htmx suggests the matching ones (at most 20) to choose from.
    page.get_by_label("Organisation").fill("acme")
    suggested = page.locator('#organisation-options option[value="Acme Services (ACME)"]')
    expect(suggested).to_have_count(1)
    page.get_by_label("Organisation").fill("Acme Services (ACME)")
    page.get_by_label("Standard").select_option(str(world.standard.pk))
    page.get_by_role("button", name="Plan audit").click()
    audit = Audit.objects.latest("pk")
    assert audit.standard == world.standard
    attributes = [a.code for a in standard_of(audit.standard).attributes]
    expect(page.get_by_role("heading", name=f"Audit {audit.pk}")).to_be_visible()
    page.get_by_label("Auditor", exact=True).select_option(label="Auditor")
    page.get_by_role("button", name="Assign auditor").click()
    expect(page.locator("#people-heading + ul")).to_contain_text("Auditor")
    page.get_by_role("button", name="Open self-assessment").click()
    page.get_by_role("link", name="Draw the sample").click()
    page.get_by_role("button", name="Draw the sample").click()
    picks = list(audit.sample.picks.select_related("office"))
    expect(page.locator("#sample-seed")).to_have_text(str(audit.sample.seed))
    for pick in picks:
        expect(page.locator("#sample-picks")).to_contain_text(pick.reason)
    page.get_by_role("button", name="Verify: re-draw from the stored seed").click()
    expect(page.locator("#sample-verify")).to_contain_text("Verified:")
    assert errors == []

    # The organisation's contact records management's expectation.
    page, errors = signed_in(browser, base, "contact", f"/audits/{audit.pk}/self-assessment/")
    expect(page.locator(".illustrative-notice")).to_be_visible()
    for code in attributes:
        page.locator(f"[id='score-{code}']").fill("8")
    page.locator(f"[id='note-{attributes[0]}']").fill("Charter reviewed every year")
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page.locator(".messages")).to_contain_text(f"{len(attributes)} scores changed")
    assert SelfAssessment.objects.filter(audit=audit).count() == len(attributes)
    assert errors == []

    # The assigned auditor opens fieldwork and scores every sampled site.
    page, errors = signed_in(browser, base, "auditor", f"/audits/{audit.pk}/")
    page.get_by_role("button", name="Open fieldwork").click()
    for pick in picks:
        page.get_by_role("link", name=f"Score {pick.office.name}").click()
        expect(page.locator("#site-heading")).to_contain_text(pick.office.name)
        for code in attributes:
            page.locator(f"[id='score-{code}']").fill("7")
        page.locator(f"[id='score-{attributes[0]}']").fill("2")
        expect(page.locator(f"[id='band-{attributes[0]}']")).to_have_text("Intention")
        page.locator(f"[id='score-{attributes[0]}']").fill("6")
        expect(page.locator(f"[id='band-{attributes[0]}']")).to_have_text("Integration")
        page.get_by_role("button", name=f"Save scores at {pick.office.name}").click()
        expect(page.locator(".messages")).to_contain_text(f"{len(attributes)} changed")
        page.get_by_role("link", name=f"Audit {audit.pk}", exact=True).first.click()
    assert SiteScore.objects.filter(audit=audit).count() == len(picks) * len(attributes)
    # The auditor (the lead: the first assigned) closes fieldwork with the report's summary.
    page.locator("#close-summary").fill("Every sampled site visited and scored.")
    page.get_by_role("button", name="Close fieldwork and submit the report").click()
    expect(page.locator("#fieldwork-report")).to_contain_text("Every sampled site visited")
    assert errors == []

    # The decision maker reads the engine's reasons, records the decision, issues the
    # certificate.
    page, errors = signed_in(browser, base, "decision_maker", f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Record the decision").click()
    expect(page.locator("#decision-preview")).to_contain_text("certifiable")
    page.locator("#decision-rationale-input").fill(
        "Every mandatory attribute well above Intention."
    )
    page.get_by_role("button", name="Confirm and record the decision").click()
    expect(page.locator("#decision-rationale")).to_contain_text("well above Intention")
    expect(page.locator("#decision-recorded")).to_contain_text("Certifiable")
    page.get_by_role("link", name=f"Audit {audit.pk}", exact=True).first.click()
    page.get_by_role("button", name="Issue the certificate").click()
    number = Certificate.objects.get(audit=audit).number
    expect(page.get_by_role("heading", name=f"Certificate {number}")).to_be_visible()
    expect(page.locator("#mark")).to_have_text("Certified Customer Service Organization")
    with page.expect_download() as download:
        page.locator("#certificate-pdf").click()
    assert download.value.suggested_filename == f"certificate-{number}.pdf"
    assert errors == []

    # Anyone, signed in or not, checks the number on the public register.
    page = browser.new_context().new_page()
    errors = page_errors(page)
    page.goto(f"{base}/register/certificates/")
    page.get_by_label("Certificate number").fill(number)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#register-result")).to_contain_text("Acme Services")
    expect(page.locator("#register-status")).to_have_text("valid")
    # ... or finds it by the organisation's name, capitals and accents ignored.
    page.get_by_label("Organisation name or number").fill("ACMÉ serv")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#register-list")).to_contain_text(number)
    assert errors == []
