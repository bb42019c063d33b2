"""Every page each demo role can reach, on a 390 px phone in Chromium: none scrolls sideways and
none answers an error. The crawl follows the links each role is shown (a few of each kind of
page), starting from where the role lands after signing in, on the full demo data. The IQA, EQA
and appeal pages are among those each role concerned must reach (``MUST_REACH``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser

from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ROLES = ["carol", "alice", "ian", "linda", "eve", "ed", "cand1", "cora", "arun", "dmitri", "sean"]
SKIP = re.compile(
    r"^/(static|api|admin|accounts/logout|catalogue|plans|nos)\b|/files/|export|download|\.(csv|xlsx|pdf|zip|ics|jsonl)$"
)
# The quality-assurance pages each role must reach by its links (ids replaced by N), so the
# crawl's cap never quietly leaves them out.
MUST_REACH: dict[str, set[str]] = {
    "carol": {
        "/centres/N/iqa/",
        "/centres/N/eqa/",
        "/centres/N/appeals/",
        "/iqa/picks/N/",
        "/centres/N/claims/",
        "/claims/N/",
    },
    "alice": {"/registrations/N/appeals/N/"},
    "ian": {"/iqa/", "/iqa/picks/N/", "/registrations/N/appeals/N/"},
    "linda": {"/centres/N/iqa/", "/iqa/", "/iqa/picks/N/", "/registrations/N/appeals/N/"},
    "eve": {"/centres/N/eqa/", "/centres/N/appeals/", "/registrations/N/appeals/N/"},
    "cand1": {"/registrations/N/appeals/", "/registrations/N/appeals/N/"},
}
PER_KIND = 2  # pages of the same shape (ids replaced) visited per role
PER_ROLE = 45

WIDE = """(() => [...document.querySelectorAll('main *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
  .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')))()"""


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_fits_a_phone(
    live_server: Any,
    demo_loaded: None,
    browser: Browser,
    username: str,
) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors = page_errors(page)
    queue, seen, kinds, wide = ["/me/"], set(), {}, []
    while queue and len(seen) < PER_ROLE:
        path = queue.pop(0)
        kind = re.sub(r"\d+", "N", path)
        if path in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        page.goto(live_server.url + path)
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            wide.append((urlsplit(page.url).path, page.evaluate(WIDE)))
        for href in page.eval_on_selector_all(
            "main a[href]:not([download]), nav a[href]:not([download])",
            "as => as.map(a => a.getAttribute('href'))",
        ):
            if (
                href.startswith("/")
                and "?" not in href
                and "#" not in href
                and not SKIP.search(href)
            ):
                queue.append(href)
    context.close()
    assert len(seen) > 3, seen
    assert MUST_REACH.get(username, set()) <= kinds.keys(), sorted(seen)
    assert wide == [], wide
    assert errors == [], errors
