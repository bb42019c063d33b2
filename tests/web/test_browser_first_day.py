"""Each role's first day at a new centre, in Debian's Chromium, on a 390 px phone and a 1366 px
laptop: the administrator invites an assessor and a candidate, both set their passwords from the
emailed links, the administrator plans unit 403, the candidate uploads evidence, proposes it and
names a witness, the witness confirms from the email link, and the assessor judges and signs the
unit off with the declaration. Every page along the way fits the screen and answers below 400."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from assay.centres.models import Centre, Competence, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import WitnessStatement
from assay.portfolios.records import signed_off_units
from assay.registrations.models import Registration
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVITATION = re.compile(r"https?://[^/\s]+(/invitation/[\w-]+/)")
WITNESS = re.compile(r"https?://[^/\s]+(/witness/[\w-]+/)")


@pytest.fixture
def northgate(catalogue: None, settings: Any, tmp_path: Any) -> Centre:
    """An approved centre with its administrator Carol and nobody else, on 01/03/2013."""
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    carol = users.objects.create_user(
        "carol", password="carol-password-1", email="carol@example.org", first_name="Carol"
    )
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    approval_record(
        by=sam, centre=north, approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=sam, centre=north, user=carol, role=Role.CENTRE_ADMIN)
    return north


def fits(page: Page, width: int) -> None:
    """The page does not scroll sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def accept(page: Page, base: str, email: str, password: str) -> None:
    """Open the newest invitation sent to ``email`` and choose a password."""
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    found = INVITATION.search(body)
    assert found, body
    page.goto(base + found.group(1))
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("The password again").fill(password)
    page.get_by_role("button", name="Set my password and sign in").click()


def invite(page: Page, email: str, first: str, last: str, role: str, reg: str = "") -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Role").select_option(role)
    if reg:
        page.get_by_label("Candidate's registration").select_option(label=reg)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {email}")


@pytest.mark.parametrize("width", [390, 1366])
def test_first_day_at_a_new_centre(
    live_server: Any,
    northgate: Centre,
    settings: Any,
    browser: Browser,
    width: int,
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    page = context.new_page()
    errors = page_errors(page)

    # The administrator: signs in to the centre's dashboard and invites an assessor.
    sign_in(page, base, "carol", "carol-password-1")
    expect(page).to_have_url(f"{base}/centres/{northgate.pk}/")
    fits(page, width)
    page.get_by_role("link", name="Accounts and invitations").click()
    invite(page, "zoe@example.org", "Zoe", "Quinn", "assessor")
    fits(page, width)
    sign_out(page)

    # The assessor sets a password from the emailed link and lands on an empty caseload.
    accept(page, base, "zoe@example.org", "Harbour-lights-2013")
    expect(page).to_have_url(re.compile(r"/caseload/$"))
    fits(page, width)
    sign_out(page)
    zoe = get_user_model().objects.get(username="zoe@example.org")
    # Her A1 award is on paper: the centre records it as staff records are kept (not a browser act
    # of this first day), so the planner offers her for new candidates.
    Competence.objects.create(
        user=zoe,
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2010, 1, 1),
        achieved_on=dt.date(2010, 6, 1),
    )

    # The administrator registers Dana, plans unit 403 with Zoe and invites Dana.
    sign_in(page, base, "carol", "carol-password-1")
    page.get_by_role("link", name="Register a candidate").click()
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Date of birth").fill("1980-05-17")
    page.get_by_label("Qualification", exact=True).select_option("4430-04")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Dana Reyes")).to_be_visible()
    fits(page, width)
    registration = Registration.objects.get()
    page.get_by_role("link", name="Edit the learning plan").click()
    page.locator("#unit-403").check()
    page.get_by_label("Assessor for unit 403").select_option(label="Zoe Quinn")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", name="Dana Reyes")).to_be_visible()
    page.goto(f"{base}/centres/{northgate.pk}/accounts/")
    invite(page, "dana@example.org", "Dana", "Reyes", "candidate", reg="Dana Reyes · 4430-04")
    sign_out(page)

    # The candidate sets her password the same day (the link lasts 7 days) and lands on her
    # portfolio. Then weeks pass while she gathers evidence.
    accept(page, base, "dana@example.org", "Returns-desk-2013")
    expect(page.get_by_role("heading", name="Portfolio of Dana Reyes")).to_be_visible()
    fits(page, width)
    settings.ASSAY_TODAY = "2013-05-01"
    page.reload()
    # She uploads a reflective account and proposes it for every criterion of unit 403 ...
    page.get_by_label("Method").select_option("reflective_account")
    page.get_by_label("Date (or first day)").fill("2013-03-04")
    page.get_by_label("Last day").fill("2013-04-20")
    page.get_by_label("Where it happened").fill("Head office")
    page.get_by_label("What it shows").fill("Briefing the senior team on the returns policy")
    page.get_by_label("Context").select_option("real_job")
    page.get_by_label("File").set_input_files(
        {"name": "account.txt", "mimeType": "text/plain", "buffer": b"My reflective account.\n"}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("link", name="account.txt")).to_be_visible()
    targets = unit_targets(unit_spec(registration, "403"))
    # The proposal form is loaded for this one item when the candidate opens it.
    page.get_by_role("link", name=re.compile(r"^Propose criteria for evidence")).first.click()
    page.get_by_text("Propose for unit 403").first.click()
    form = page.locator("form", has=page.get_by_role("button", name="Propose mappings to unit 403"))
    boxes = form.get_by_role("checkbox")
    assert boxes.count() == len(targets)
    for n in range(boxes.count()):
        boxes.nth(n).check()
    form.get_by_role("button", name="Propose mappings to unit 403").click()
    expect(page.get_by_role("status")).to_contain_text("proposed for unit 403")
    fits(page, width)
    # ... then adds a witness testimony and names the colleague who saw it.
    page.get_by_label("Method").select_option("witness_testimony")
    page.get_by_label("Date (or first day)").fill("2013-04-02")
    page.get_by_label("Last day").fill("")
    page.get_by_label("Where it happened").fill("Returns desk")
    page.get_by_label("What it shows").fill("Calming an angry customer at the returns desk")
    page.get_by_label("Context").select_option("real_job")
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_role("link", name="Witnesses and their confirmation links").click()
    page.get_by_label("Witness's name").fill("Priya Shah")
    page.get_by_label("Their job role").fill("Team leader")
    page.get_by_label("Relationship to the candidate").fill("line manager")
    page.get_by_label("Contact").fill("priya@example.com")
    page.get_by_label("Statement for the witness to confirm").fill("I saw Dana calm a customer.")
    page.get_by_role("button", name="Add the witness and make their link").click()
    expect(page.get_by_role("heading", name="Priya Shah added")).to_be_visible()
    fits(page, width)
    sign_out(page)

    # The witness opens the link from her email, signed out, and confirms.
    body = next(m.body for m in reversed(mail.outbox) if m.to == ["priya@example.com"])
    found = WITNESS.search(body)
    assert found, body
    page.goto(base + found.group(1))
    expect(page.get_by_text("I saw Dana calm a customer.")).to_be_visible()
    fits(page, width)
    page.get_by_role("button", name="I confirm this statement is true").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you, Priya Shah")
    assert WitnessStatement.objects.filter(confirmed_at__isnull=False).count() == 1

    # The assessor: from her caseload to unit 403; confirms, judges, signs off with the declaration.
    sign_in(page, base, "zoe@example.org", "Harbour-lights-2013")
    expect(page).to_have_url(re.compile(r"/caseload/$"))
    expect(page.get_by_text("Dana Reyes").first).to_be_visible()
    fits(page, width)
    page.goto(f"{base}/registrations/{registration.pk}/units/403/")
    expect(page.get_by_role("heading", name="Unit 403: Dana Reyes")).to_be_visible()
    fits(page, width)
    page.get_by_role("button", name=re.compile(r"^Confirm all \d+ proposals of evidence")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Confirm evidence"))).to_have_count(0)
    criteria = [t for t in targets if "." in t]
    bulk = page.locator("form", has=page.get_by_role("button", name="Judge ticked criteria met"))
    for criterion in criteria:
        bulk.get_by_label(criterion, exact=True).check()
    bulk.get_by_role("button", name="Judge ticked criteria met").click()
    for criterion in criteria:
        anchor = criterion.replace(".", "-")
        expect(page.locator(f"#criterion-{anchor} .judged .tag-ok")).to_have_text("Met")
    page.get_by_label("Sufficient period (days)").fill("30")
    page.get_by_role("button", name="Record evidence period as sufficient").click()
    expect(page.get_by_text("recorded as sufficient")).to_be_visible()
    page.get_by_role("button", name="Sign the declaration and sign off unit 403").click()
    expect(page.get_by_text("This unit is signed off and locked.")).to_be_visible()
    fits(page, width)
    assert signed_off_units(registration) == ["403"]
    sign_out(page)

    # The candidate sees it signed off on her portfolio.
    sign_in(page, base, "dana@example.org", "Returns-desk-2013")
    expect(page.locator("#unit-403")).to_contain_text("Signed off")
    fits(page, width)
    assert errors == [], errors
    context.close()
