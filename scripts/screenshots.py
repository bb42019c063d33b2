"""Save the README screenshots from a running Assay server, using Debian's Chromium.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]
(defaults: http://127.0.0.1:8011 and docs/screenshots). Start the server first, e.g.
``assay demo && assay serve --addr 127.0.0.1:8011``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 1000}
PLAN_UNITS = ("401", "402", "303", "307")


def unit_page(page: Page, base: str, out: Path) -> Path:
    """Unit 403 of 4430-04, the whole page: outcomes, criteria and evidence ranges."""
    page.goto(f"{base}/catalogue/4430-04/units/403/")
    path = out / "catalogue-unit.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def plan_builder(page: Page, base: str, out: Path) -> Path:
    """The plan builder with a few units ticked and the suggested completion showing."""
    page.goto(f"{base}/plans/4430-04/")
    for number in PLAN_UNITS:
        with page.expect_response(lambda r: r.url.endswith("/check")):
            page.check(f"#unit-{number}")
    with page.expect_response(lambda r: r.url.endswith("/complete")):
        page.get_by_role("button", name="Complete my plan").click()
    page.wait_for_selector(".completion")
    page.evaluate("window.scrollTo(0, 0)")
    path = out / "plan-builder.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def centre_dashboard(page: Page, base: str, out: Path) -> Path:
    """The demo centre's dashboard as its administrator (demo account carol)."""
    page.goto(f"{base}/accounts/login/?next=/centres/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "assay-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/centres/**")
    path = out / "centre-dashboard.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def audit_results(page: Page, base: str, out: Path) -> Path:
    """A re-certification's results as the organisation's contact (demo account sean): bands
    per site, the radar of expectation against delivery, the gaps and the year-on-year change."""
    browser = page.context.browser
    assert browser is not None
    own = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
    own.goto(f"{base}/accounts/login/?next=/audits/")
    own.fill("#id_username", "sean")
    own.fill("#id_password", "assay-demo")
    own.get_by_role("button", name="Sign in").click()
    own.wait_for_url("**/audits/")
    own.get_by_role("row", name="Re-certification").get_by_role("link").click()
    own.get_by_role("link", name="Results").first.click()
    own.locator("#gaps-heading").scroll_into_view_if_needed()
    path = out / "audit-results.png"
    own.screenshot(path=str(path), full_page=False)
    own.close()
    return path


def main(argv: list[str]) -> int:
    """Take the screenshots and print where they went."""
    base = (argv[1] if len(argv) > 1 else "http://127.0.0.1:8011").rstrip("/")
    out = Path(argv[2] if len(argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        for shot in (unit_page, plan_builder, centre_dashboard, audit_results):
            print(shot(page, base, out))
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
