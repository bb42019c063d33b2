"""A background job in Chromium on a phone (390 px): the candidate asks for the portfolio
ZIP, the job page shows it queued with a progress bar, htmx polls the status (under the
Content-Security-Policy, no inline script) until the worker has built it, then offers the
download."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.jobs.models import Job, State
from assay.registrations.models import Registration
from tests.browser import page_errors, sign_in
from tests.jobs.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_the_worker_to_the_download(
    live_server: Any, dana: Registration, browser: Browser, database_tasks: None
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = page_errors(page)
    sign_in(page, live_server.url, "dan", f"/registrations/{dana.pk}/portfolio/")
    page.get_by_role("button", name="Export the portfolio (ZIP)").click()
    expect(page.locator("#job-state")).to_have_text("Queued")
    expect(page.locator("#job-progress")).to_have_attribute("value", "0")
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    run_worker()
    assert Job.objects.get().state == State.DONE
    expect(page.locator("#job-state")).to_have_text("Done", timeout=10_000)  # polled by htmx
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    link = page.locator("#job-download")
    expect(link).to_contain_text(f"portfolio-{dana.pk}.zip")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"portfolio-{dana.pk}.zip"
    assert errors == []
