"""The programme pages on a 390 px phone in Chromium: the administrator fills the planned
dates by their labels, then reads the plan, the client's programme, the month calendar and an
auditor's competence; none scrolls sideways, none fails or breaks the CSP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assay.audits import services as svc
from assay.audits.competence import auditor_membership
from assay.audits.planning import sampled_offices
from tests.audits.world import SEED, AuditWorld, build_world
from tests.browser import page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = """(() => [...document.querySelectorAll('main *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')))()"""


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    w["body_admin"].set_password("body_admin-password-1")
    w["body_admin"].save()
    svc.sample_draw(by=w["body_admin"], audit=w.audit, seed=SEED)
    return w


def test_plan_and_read_the_programme_on_a_phone(
    live_server: Any, world: AuditWorld, browser: Browser
) -> None:
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    errors = page_errors(page, frozenset({400}))
    a = world.audit.pk
    page.goto(f"{base}/accounts/login/?next=/audits/{a}/plan/")
    page.get_by_label("Username").fill("body_admin")
    page.get_by_label("Password").fill("body_admin-password-1")
    page.get_by_role("button", name="Sign in").click()
    first = sampled_offices(world.audit)[0]
    page.get_by_label("Opening meeting").fill("2013-04-02")
    page.get_by_label("Closing meeting").fill("2013-04-05")
    page.get_by_label(f"Fieldwork days at {first.name}").fill("2013-04-03, 2013-04-04")
    page.get_by_role("button", name="Save the dates").click()
    expect(page.locator(f"#id_fieldwork_{first.pk}")).to_have_value("2013-04-03, 2013-04-04")
    membership = auditor_membership(world.body.pk, world["auditor"].pk)
    assert membership is not None
    for path in (
        f"/audits/{a}/plan/",
        f"/audits/{a}/",
        f"/audits/organisations/{world.acme.pk}/programme/",
        f"/audits/bodies/{world.body.pk}/calendar/?month=2013-04",
        f"/audits/auditors/{membership.pk}/",
        "/audits/calendar-feed/",
    ):
        page.goto(base + path)
        assert page.evaluate(WIDE) == [], path
    page.goto(f"{base}/audits/bodies/{world.body.pk}/calendar/?month=2013-04")
    expect(page.locator("#day-2013-04-03")).to_contain_text(f"Fieldwork at {first.name}")
    assert errors == []
