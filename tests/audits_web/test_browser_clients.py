"""Importing a client from a CSV file in the browser (Debian's Chromium driven by Playwright):
the body's administrator checks a file whose second office has no main office in its state
(the dry run lists that row's error and imports nothing), fixes the file, imports it, and sees
the organisation with its offices by state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.audits.models import Organisation
from tests.audits.world import AuditWorld, build_world
from tests.audits_web.test_browser_audit import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "organisation_reference,organisation_name,division,office,state,main,division_main,address\n"
)


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    w["body_admin"].set_password("body_admin-password-1")
    w["body_admin"].save()
    return w


def test_import_a_client_from_csv_with_a_dry_run(
    live_server: Any, world: AuditWorld, browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        HEADER
        + "BANK,Harbour Bank,,Sydney HQ,NSW,yes,,1 George St\n"
        + "BANK,,Retail,Perth,WA,,yes,\n",
        encoding="utf-8",
    )
    page, errors = signed_in(browser, live_server.url, "body_admin", "/audits/")
    page.get_by_role("link", name="Import clients").click()
    page.get_by_label("Client file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    bad = page.locator('#client-result tr[data-ok="false"]')
    expect(bad).to_have_count(1)
    expect(bad).to_have_attribute("data-row", "3")
    expect(bad).to_contain_text("BANK has no main office in WA")
    expect(page.locator("#client-result")).to_contain_text("Nothing was imported")
    assert not Organisation.objects.filter(reference="BANK").exists()

    path.write_text(path.read_text().replace("Perth,WA,,yes", "Perth,WA,yes,yes"), encoding="utf-8")
    page.get_by_label("Client file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#client-result")).to_contain_text("Every row can be imported")
    page.get_by_label("Client file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#client-result")).to_contain_text("Imported: 1 new organisation")
    page.locator("#client-imported").get_by_role("link", name="Harbour Bank").click()
    expect(page.get_by_role("heading", name="Harbour Bank", exact=True)).to_be_visible()
    expect(page.locator("#state-NSW + table")).to_contain_text("Sydney HQ")
    expect(page.locator("#state-WA + table")).to_contain_text("Perth")
    expect(page.locator("#state-WA + table")).to_contain_text("Retail")
    page.get_by_role("link", name="Edit organisation and offices").click()
    expect(page.locator("#client-offices")).to_contain_text("1 George St")
    expect(page.locator("#main-office-warnings")).to_have_count(0)
    assert errors == []
