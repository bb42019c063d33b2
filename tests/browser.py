"""Browser fixtures for the ``browser``-marked tests: Debian's Chromium driven by Playwright,
loaded as a pytest plugin from ``tests/conftest.py`` so that no test module imports fixtures
from another.

Never a downloaded browser: when /usr/bin/chromium is missing the session installs the Debian
package first. Playwright's sync API runs an event loop in this thread, so Django's
async-safety check is switched off for these tests (the database is only touched by fixtures
and by the expectations computed before the browser starts).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Page, Response, sync_playwright

from assay.centres.models import Centre, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.demo.load import demo_load
from assay.registrations.models import Registration
from tests.factories import assessor_qualified, enrol_dana


class SerialWSGIServer(ThreadedWSGIServer):
    """The live server, one request inside the application at a time.

    With the in-memory SQLite test database every server thread shares the test's one
    connection (Django's ``connections_override``), so two requests the browser sends together
    (an htmx check while a page loads) could meet on it and fail with "database table is
    locked" — a fault of the test set-up, not of the product (a real install has a connection
    per thread and WAL). Connections still get a thread each; only the application call is
    serialised."""

    _lock = threading.Lock()

    def set_app(self, application: Any) -> None:
        def serial(environ: dict[str, Any], start_response: Any) -> Any:
            with self._lock:  # the body is read and the response closed inside too
                answer = application(environ, start_response)
                try:
                    return list(answer)
                finally:
                    if hasattr(answer, "close"):
                        answer.close()

        super().set_app(serial)


LiveServerThread.server_class = SerialWSGIServer

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


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, installed with apt-get when it is not there yet."""
    # pytest-xdist workers may get here together: one installs, the others wait on the lock.
    with open(Path(tempfile.gettempdir()) / "assay-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not Path(CHROMIUM).exists():
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(
                "apt-get update && apt-get install -y chromium", shell=True, check=True, env=env
            )
    assert Path(CHROMIUM).exists(), "apt-get did not install /usr/bin/chromium"
    return CHROMIUM


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_errors(page: Page, expected: frozenset[int] = frozenset()) -> list[str]:
    """Collects what a person would see fail: answers of 400 and above (other than the
    ``expected`` statuses a test provokes on purpose), errors thrown in the page and what the
    Content-Security-Policy refused.

    Not ``requestfailed``: a navigation cancels the previous page's pending requests
    (``net::ERR_ABORTED`` on a stylesheet), which under load is timing, not a fault.
    """
    errors: list[str] = []

    def answer(response: Response) -> None:
        if response.status >= 400 and response.status not in expected:
            errors.append(f"{response.status} {response.url}")

    page.on("response", answer)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda message: errors.extend(csp_violations([message.text])))
    return errors


def csp_violations(console_lines: list[str]) -> list[str]:
    """The browser's reports of what the Content-Security-Policy blocked (an inline script or
    style, an eval, a foreign source): each is something on the page that did not work."""
    return [f"CSP: {line}" for line in console_lines if "Content Security Policy" in line]


def sign_in(page: Page, base: str, username: str, path: str) -> None:
    """Signs in through the login form (password ``<username>-password-1``), then on to
    ``path``."""
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def demo_loaded(settings: Any, tmp_path: Path) -> None:
    """The full demo data (``assay demo``'s content) loaded into the test database."""
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    for _ in demo_load():
        pass


@pytest.fixture
def dana(catalogue: None, settings: Any, tmp_path: Path) -> Registration:
    """Dana (signs in as dan) on 4430-04 at Northgate, unit 403 assessed by Alice; Carol is
    the centre administrator. Passwords are ``<username>-password-1`` (see ``sign_in``)."""
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    users = get_user_model()
    sam = users.objects.create_superuser("sam", password="sam-password-1")
    people = {
        name: users.objects.create_user(name, password=f"{name}-password-1")
        for name in ("carol", "alice", "dan")
    }
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    approval_record(
        by=sam, centre=north, approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=sam, centre=north, user=people["carol"], role=Role.CENTRE_ADMIN)
    membership_grant(by=sam, centre=north, user=people["alice"], role=Role.ASSESSOR)
    assessor_qualified(people["alice"])
    reg = enrol_dana(people["carol"], north, people["dan"], {"403": people["alice"]})
    return reg
