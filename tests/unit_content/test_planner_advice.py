"""Follow the product's own advice: ask *Suggest units* for each catalogue qualification (with
and without units whose content is not in the catalogue), tick what it suggests, save the plan
through the same form, then open every page and read the plan touches. None may fail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from assay.catalogue.selectors import qualification_list
from assay.engines.coverage import NO_CONTENT
from assay.registrations.services import registration_create
from tests.unit_content.conftest import api_client, signed_in
from tests.world import World, adult

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("allow", [False, True])
def test_the_suggested_plan_saves_and_every_page_it_touches_renders(
    world: World, allow: bool
) -> None:
    carol, alice = world.user("carol"), world.user("alice")
    as_carol, as_alice, api = signed_in(carol), signed_in(alice), api_client(alice)
    for index, qual in enumerate(qualification_list()):
        reg = registration_create(
            by=carol,
            centre=world.north,
            qualification_key=qual.code,
            candidate_input=adult("Advice", f"Taker{index}"),
            registered_on=dt.date(2012, 9, 3),
        )
        plan = f"/registrations/{reg.pk}/plan/"
        form: dict[str, Any] = {"allow_without_content": "1"} if allow else {}
        suggestion = as_carol.post(plan + "suggest", form, HTTP_HX_REQUEST="true")
        assert suggestion.status_code == 200, qual.code
        units = re.findall(r'data-unit="([^"]+)"', suggestion.content.decode())
        assert units, (qual.code, "the planner suggested nothing")
        assert ("310" in units) is (allow and qual.code == "4430-04")
        form |= {"unit": units} | {f"assessor-{u}": str(alice.pk) for u in units}
        saved = as_carol.post(plan, form)
        assert saved.status_code == 302, (qual.code, saved.content.decode()[:2000])
        assert sorted(reg.plan_units.values_list("unit_number", flat=True)) == sorted(units)

        for client in (as_carol, as_alice):
            for url in (
                f"/registrations/{reg.pk}/",
                f"/registrations/{reg.pk}/portfolio/",
                f"/registrations/{reg.pk}/reviews/",
                plan,
                *(f"/registrations/{reg.pk}/units/{u}/" for u in units),
            ):
                answer = client.get(url)
                assert answer.status_code in (200, 403), (qual.code, url, answer.status_code)
        for url in (
            f"/api/v1/registrations/{reg.pk}",
            f"/api/v1/registrations/{reg.pk}/portfolio",
        ):
            assert api.get(url).status_code == 200, (qual.code, url)

    assert as_alice.get("/caseload/").status_code == 200
    progress = as_carol.get(f"/centres/{world.north.pk}/progress/")
    assert progress.status_code == 200
    assert (NO_CONTENT in progress.content.decode()) is allow
    for fmt in ("csv", "xlsx"):
        download = as_carol.get(f"/centres/{world.north.pk}/progress/?format={fmt}")
        assert download.status_code == 200
        b"".join(download.streaming_content) if download.streaming else download.content
