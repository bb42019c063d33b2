"""Issue 15's programme walked in the browser (Debian's Chromium driven by Playwright), every
step through the pages as its people would: the body's administrator imports a client from a
CSV file (dry run, then import), names its contact, plans an audit with a qualified lead and a
second auditor, draws the sample and plans the dates; the contact gives a document for review;
the lead auditor scores the sampled sites, raises a minor and a major nonconformity and closes
fieldwork; the decision maker sees the major refuse certification; the contact answers both
findings (on a 390 px phone), the auditor accepts the plans and verifies the major's
correction; the decision maker records the now certifiable decision, issues the certificate
and downloads its PDF; anyone finds it on the public register by the organisation's name.

Only the certifying body, its people and the standard come from the services (the fixture);
the client, the audit and everything after are made on the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assay.audits.models import Audit, Certificate, CorrectiveAction, Finding, Organisation
from assay.audits.standards import standard_of
from tests.audits.world import AuditWorld, build_world
from tests.browser import page_errors
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ("body_admin", "auditor", "decision_maker", "bank_contact")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CSV = (
    "organisation_reference,organisation_name,division,office,state,main,division_main,address\n"
    "BANK,Harbour Bank,,Sydney HQ,NSW,yes,,1 George St\n"
    "BANK,,,Parramatta,NSW,,,\n"
    "BANK,,,Newcastle,NSW,,,\n"
    "BANK,,,Wollongong,NSW,,,\n"
    "BANK,,,Melbourne,VIC,yes,,\n"
    "BANK,,,Perth,WA,yes,,\n"
)


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()  # the body, its people, the standard (Acme's audit is not used here)
    w.people["bank_contact"] = make_user("bank_contact", email="jo@harbour.example")
    for role in PEOPLE:
        w[role].set_password(f"{role}-password-1")
        w[role].save()
    return w


def signed_in(
    browser: Browser, base: str, username: str, path: str, viewport: dict[str, int] = DESKTOP
) -> tuple[Page, list[str]]:
    page = browser.new_context(viewport=viewport, is_mobile=viewport == PHONE).new_page()
    errors = page_errors(page)
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()
    return page, errors


def fits(page: Page) -> bool:
    """Nothing on the page scrolls sideways on a 390 px phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])


def test_the_programme_from_a_csv_file_to_the_register(
    live_server: Any, world: AuditWorld, browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    clients = tmp_path / "harbour-bank.csv"
    clients.write_text(CSV, encoding="utf-8")

    # 1. The body's administrator checks the client file (dry run), imports it, and names the
    # client's contact on the organisation's page.
    page, errors = signed_in(browser, base, "body_admin", "/audits/")
    page.get_by_role("link", name="Import clients").click()
    page.get_by_label("Client file").set_input_files(str(clients))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#client-result")).to_contain_text("Every row can be imported")
    assert not Organisation.objects.filter(reference="BANK").exists()
    page.get_by_label("Client file").set_input_files(str(clients))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#client-result")).to_contain_text("Imported: 1 new organisation")
    page.locator("#client-imported").get_by_role("link", name="Harbour Bank").click()
    expect(page.get_by_role("heading", name="Harbour Bank", exact=True)).to_be_visible()
    expect(page.locator("#state-NSW + table")).to_contain_text("Wollongong")
    page.get_by_label("Username of the contact's account").fill("bank_contact")
    page.get_by_role("button", name="Name the contact").click()
    expect(page.locator(".messages")).to_contain_text("Bank Contact is now a contact")
    assert errors == []

    # 2. ... plans the audit, assigns the lead (qualified for the standard) and a second
    # auditor, opens the self-assessment, draws the sample and plans the dates.
    page.get_by_role("link", name="Plan an audit").click()
    page.get_by_label("Organisation").fill("Harbour Bank (BANK)")
    page.get_by_label("Standard").select_option(str(world.standard.pk))
    page.get_by_role("button", name="Plan audit").click()
    audit = Audit.objects.latest("pk")
    assert audit.organisation.reference == "BANK"
    expect(page.get_by_role("heading", name=f"Audit {audit.pk}")).to_be_visible()
    for name in ("Auditor", "Auditor Other"):
        page.get_by_label("Auditor", exact=True).select_option(label=name)
        page.get_by_role("button", name="Assign auditor").click()
        expect(page.locator("#people-heading + ul")).to_contain_text(name)
    assert list(audit.assignments.order_by("pk").values_list("auditor__username", "lead")) == [
        ("auditor", True),
        ("auditor_other", False),
    ]
    page.get_by_role("button", name="Open self-assessment").click()
    page.get_by_role("link", name="Draw the sample").click()
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator("#sample-seed")).to_have_text(
        str(Audit.objects.get(pk=audit.pk).sample.seed)
    )
    picks = [p.office.name for p in audit.sample.picks.select_related("office").order_by("pk")]
    assert {"Sydney HQ", "Melbourne", "Perth"} <= set(picks)  # each state's main office
    page.goto(f"{base}/audits/{audit.pk}/")
    page.locator("#plan-link").click()
    page.get_by_label("Opening meeting").fill("2013-03-11")
    page.get_by_label("Closing meeting").fill("2013-03-22")
    for n, name in enumerate(picks):
        page.get_by_label(f"Fieldwork days at {name}").fill(f"2013-03-{12 + n}")
    page.get_by_role("button", name="Save the dates").click()
    expect(page.locator(".messages")).to_contain_text("Dates planned")
    page.get_by_role("link", name=f"Audit {audit.pk}", exact=True).first.click()
    expect(page.locator("#summary-opening")).to_have_text("11/03/2013")
    expect(page.locator("#summary-closing")).to_have_text("22/03/2013")
    expect(page.locator("#plan-summary")).to_contain_text("12/03/2013")
    assert errors == []

    # 3. The client's contact gives a document for review, attached to the attribute it
    # supports.
    policy = tmp_path / "complaints-policy.txt"
    policy.write_text("Every complaint is logged within one working day.\n", encoding="utf-8")
    page, errors = signed_in(browser, base, "bank_contact", f"/audits/{audit.pk}/documents/")
    page.get_by_label("Document", exact=True).set_input_files(str(policy))
    page.get_by_label("Attributes it supports").fill("S1.1")
    page.get_by_role("button", name="Upload for review").click()
    card = page.locator("#review-documents li").first
    expect(card).to_contain_text("complaints-policy.txt")
    expect(card).to_contain_text("S1.1")
    assert errors == []

    # 4. The lead auditor opens fieldwork, scores every sampled site, raises a major and a
    # minor nonconformity, and closes fieldwork with the report's summary.
    attributes = [a.code for a in standard_of(audit.standard).attributes]
    page, errors = signed_in(browser, base, "auditor", f"/audits/{audit.pk}/")
    page.get_by_role("button", name="Open fieldwork").click()
    for name in picks:
        page.get_by_role("link", name=f"Score {name}").click()
        expect(page.locator("#site-heading")).to_contain_text(name)
        for code in attributes:
            page.locator(f"[id='score-{code}']").fill("7")
        page.get_by_role("button", name=f"Save scores at {name}").click()
        expect(page.locator(".messages")).to_contain_text(f"{len(attributes)} changed")
        page.get_by_role("link", name=f"Audit {audit.pk}", exact=True).first.click()
    page.get_by_role("link", name="Findings", exact=True).click()
    for grade, code, summary in (
        ("major", "S1.1", "Complaints at the counter are not logged"),
        ("minor", "S1.2", "The complaints log has no owner"),
    ):
        page.get_by_label("Site").select_option(label="Sydney HQ")
        page.get_by_label("Attribute").select_option(code)
        page.get_by_label("Grade").select_option(grade)
        page.get_by_label("Summary").fill(summary)
        page.get_by_label("Evidence seen").fill("Three complaints heard, none in the log")
        page.get_by_label("Corrective action due (nonconformities only)").fill("2013-04-30")
        page.get_by_role("button", name="Raise the finding").click()
        expect(page.locator("section[aria-labelledby='findings-heading']")).to_contain_text(summary)
    expect(page.locator("#finding-1")).to_contain_text("Major")
    expect(page.locator("#finding-2")).to_contain_text("Minor")
    page.get_by_role("link", name="Overview").click()
    page.locator("#close-summary").fill("Every sampled site visited; two nonconformities raised.")
    page.get_by_role("button", name="Close fieldwork and submit the report").click()
    expect(page.locator("#fieldwork-report")).to_contain_text("two nonconformities raised")
    assert errors == []

    # 5. The decision maker opens the decision: not certifiable, the major named as a reason.
    page, errors = signed_in(browser, base, "decision_maker", f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Record the decision").click()
    preview = page.locator("#decision-preview")
    expect(preview).to_contain_text("not certifiable")
    expect(preview.locator("li.rule-unmet", has_text="Major nonconformity F1")).to_have_count(1)
    expect(preview).to_contain_text("Minor nonconformity F2")
    assert errors == []

    # 6. The contact answers both findings on a phone; the lead auditor accepts both plans and
    # verifies the major's corrective action.
    page, errors = signed_in(
        browser, base, "bank_contact", f"/audits/{audit.pk}/findings/", viewport=PHONE
    )
    assert fits(page)
    for n, plan in ((1, "Every complaint logged at the counter from today"), (2, "Owner named")):
        finding = page.locator(f"#finding-{n}")
        finding.get_by_label("Owner (who will act)").fill("J. Smith, branch manager")
        finding.get_by_label("Cause and plan").fill(plan)
        finding.get_by_role("button", name="Send the response").click()
        expect(page.locator(f"#action-state-{n}")).to_have_text("proposed")
    assert fits(page)
    assert errors == []

    page, errors = signed_in(browser, base, "auditor", f"/audits/{audit.pk}/findings/")
    for n in (1, 2):
        page.locator(f"#finding-{n}").get_by_role("button", name="Accept the plan").click()
        expect(page.locator(f"#action-state-{n}")).to_have_text("accepted")
    page.locator("#finding-1").get_by_label("What you verified").fill(
        "The counter log holds every complaint since 25/03"
    )
    page.locator("#finding-1").get_by_role("button", name="Verify the corrective action").click()
    expect(page.locator("#action-state-1")).to_have_text("verified")
    assert dict(
        CorrectiveAction.objects.filter(finding__audit=audit).values_list("finding__grade", "state")
    ) == {"major": "verified", "minor": "accepted"}
    assert errors == []

    # 7. The decision maker: now certifiable; records it with a rationale, issues the
    # certificate and downloads its PDF.
    page, errors = signed_in(browser, base, "decision_maker", f"/audits/{audit.pk}/decision/")
    expect(page.locator("#decision-preview")).to_contain_text("certifiable")
    expect(page.locator("#decision-preview")).not_to_contain_text("not certifiable")
    expect(page.locator("#decision-preview")).to_contain_text("corrective action verified")
    page.locator("#decision-rationale-input").fill(
        "The major nonconformity is corrected and verified; the minor's plan is accepted."
    )
    page.get_by_role("button", name="Confirm and record the decision").click()
    expect(page.locator("#decision-recorded")).to_contain_text("Certifiable")
    expect(page.locator("#decision-rationale")).to_contain_text("corrected and verified")
    page.get_by_role("link", name=f"Audit {audit.pk}", exact=True).first.click()
    page.get_by_role("button", name="Issue the certificate").click()
    number = Certificate.objects.get(audit=audit).number
    expect(page.get_by_role("heading", name=f"Certificate {number}")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#certificate-pdf").click()
    assert download.value.suggested_filename == f"certificate-{number}.pdf"
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    assert errors == []

    # 8. Anyone finds the certificate on the public register by the organisation's name.
    page = browser.new_context().new_page()
    errors = page_errors(page)
    page.goto(f"{base}/register/certificates/")
    page.get_by_label("Organisation name or number").fill("harbour")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#register-list")).to_contain_text(number)
    expect(page.locator("#register-list")).to_contain_text("Harbour Bank")
    assert Finding.objects.filter(audit=audit).count() == 2
    assert errors == []
