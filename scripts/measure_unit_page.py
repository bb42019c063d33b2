"""Measure the assessor's unit page of the demo: its width in Chromium and its query count.

Usage (with the same ASSAY_DATA_DIR / DATABASE_URL as the server):
    ASSAY_TODAY=2013-03-01 assay demo && assay serve --addr 127.0.0.1:8011 &
    python scripts/measure_unit_page.py [BASE_URL] [UNIT]
(defaults http://127.0.0.1:8011 and 410: Priya Shah's unit 410, which Alice assesses).
Prints the document's scrollWidth at 1366 px and 390 px (wider than the viewport means the
page scrolls sideways) and the number of SQL queries the page makes, counted in-process.
"""

from __future__ import annotations

import os
import sys

import django
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8011"
    unit = sys.argv[2] if len(sys.argv) > 2 else "410"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assay.registrations.models import Registration

    reg = Registration.objects.get(candidate__first_name="Priya", candidate__last_name="Shah")
    path = f"/registrations/{reg.pk}/units/{unit}/"
    client = Client()
    client.force_login(get_user_model().objects.get(username="alice"))
    client.get(path)  # warm caches (the catalogue spec)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    print(f"{path}: HTTP {status}, {len(queries)} queries")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/accounts/login/?next={path}")
            page.fill("#id_username", "alice")
            page.fill("#id_password", "assay-demo")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"**{path}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            print(f"viewport {width} px: document scrollWidth {scroll} px")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
