"""A centre administrator in Chromium, on a phone (390 px) and a laptop (1366 px): changes a
registration's status (explicit choice, reason, confirmation; *completed* not offered until the
rules are met) and registers candidates from a file (every row's errors, all or nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from assay.centres.models import Centre, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.registrations.models import Registration, StatusChange
from assay.registrations.services import CandidateInput, registration_create
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [(390, 844), (1366, 900)]
HEADER = "first_name,last_name,date_of_birth,job_kind,qualification,held_qualifications\n"
GOOD = HEADER + "Nia,Jones,1985-02-02,paid,4430-04,\nOwen,Price,1979-06-01,voluntary,4430-04,\n"
BAD = GOOD + "Pam,Reed,31/02/1990,paid,4430-04,\nQuin,Shaw,1980-01-01,paid,4430-04,4543 04\n"


@pytest.fixture
def registration(catalogue: None, settings: Any) -> Registration:
    settings.ASSAY_TODAY = "2013-03-01"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    carol = users.objects.create_user("carol", password="carol-password-1", first_name="Carol")
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    approval_record(
        by=sam, centre=north, approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=sam, centre=north, user=carol, role=Role.CENTRE_ADMIN)
    return registration_create(
        by=carol,
        centre=north,
        qualification_key="4430-04",
        candidate_input=CandidateInput("Dana", "Reyes", dt.date(1980, 5, 17)),
        registered_on=dt.date(2012, 12, 1),
    )


def sign_in(page: Page, base: str, path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-password-1")
    page.get_by_role("button", name="Sign in").click()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_status_change_needs_choice_reason_and_confirmation(
    live_server: Any,
    registration: Registration,
    browser: Browser,
    width: int,
    height: int,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = page_errors(page, expected=frozenset({400}))
    sign_in(page, live_server.url, f"/registrations/{registration.pk}/")
    expect(page.get_by_role("heading", name="Dana Reyes")).to_be_visible()
    radios = page.locator('input[name="status"]')
    expect(radios).to_have_count(4)
    for i in range(4):
        expect(radios.nth(i)).not_to_be_checked()
    withdrawn = page.get_by_label("Withdrawn")
    expect(page.locator("#status-meaning-withdrawn")).to_contain_text("Final.")
    no_sideways_scroll(page)

    # One click does nothing: without a reason and the confirmation the change is refused.
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#id_status-error")).to_contain_text("Choose the new status")
    expect(page.locator("#id_reason-error")).to_contain_text("Give the reason")
    expect(page.locator("#id_confirm-error")).to_contain_text("Confirm the change")
    assert StatusChange.objects.filter(registration=registration).count() == 1

    page.get_by_label("In progress").check()
    page.get_by_label("Reason (kept in the status history)").fill("\u200b\u200b")
    page.get_by_label("I have checked this change").check()
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#id_reason-error")).to_contain_text("Give the reason")

    page.get_by_label("In progress").check()
    page.get_by_label("Reason (kept in the status history)").fill("Induction done")
    page.get_by_label("I have checked this change").check()
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".badge-status")).to_have_text("In progress")
    expect(page.locator('tr[data-to="in_progress"]')).to_contain_text("Induction done")

    # Completed is explained and offered only once the rules are met: not yet.
    expect(page.locator("#id_status_completed")).to_be_disabled()
    expect(page.locator('[data-unavailable="completed"]')).to_contain_text(
        "No unit of 4430-04 is signed off or credited yet."
    )
    expect(withdrawn).not_to_be_checked()
    no_sideways_scroll(page)
    registration.refresh_from_db()
    assert registration.status == "in_progress"
    assert errors == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_bulk_registration_shows_every_row_and_imports_all_or_nothing(
    live_server: Any,
    registration: Registration,
    browser: Browser,
    tmp_path: Path,
    width: int,
    height: int,
) -> None:
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = page_errors(page, expected=frozenset({422}))
    sign_in(page, live_server.url, f"/centres/{registration.centre_id}/")
    page.get_by_role("link", name="Register from a file").click()
    expect(page.get_by_role("heading", name="Register candidates from a file")).to_be_visible()

    page.get_by_label("Candidate file").set_input_files(str(bad))
    page.get_by_role("button", name="Import all rows").click()
    expect(page.locator("#bulk-result")).to_contain_text("2 of 4 rows have errors")
    expect(page.locator('tr[data-row="4"]')).to_contain_text("'31/02/1990' is not a date")
    expect(page.locator('tr[data-row="5"]')).to_contain_text("4543 04, the predecessor of 4430-04")
    expect(page.locator('tr[data-row="2"]')).to_contain_text("Can be registered")
    no_sideways_scroll(page)
    assert Registration.objects.count() == 1

    page.get_by_label("Candidate file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#bulk-result")).to_contain_text("Every row can be registered")
    assert Registration.objects.count() == 1
    page.get_by_role("button", name="Import all 2 rows").click()
    expect(page.get_by_text("Registered 2 candidate(s) from good.csv.")).to_be_visible()
    assert Registration.objects.count() == 3
    no_sideways_scroll(page)
    assert errors == []
