"""Issue 9 item 2: every unit of every catalogue qualification, on a learning plan, renders on
every page and API read that touches it (never a 500), and a unit whose content is not in the
catalogue says so in the one wording of ADR 0010 wherever it shows."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse
from openpyxl import load_workbook

from assay.catalogue.selectors import qualification_get, units_without_content
from assay.cli.main import main
from assay.engines.coverage import NO_CONTENT
from assay.portfolios.models import EvidenceItem
from tests.unit_content.conftest import api_client, every_unit, plan_one_unit, signed_in
from tests.world import World

pytestmark = pytest.mark.django_db

WITHOUT_CONTENT = {("4430-04", str(n)) for n in range(303, 319)}


def test_the_catalogue_lacks_exactly_the_16_level_3_options(world: World) -> None:
    units = every_unit()
    assert {q for q, _ in units} == {"4430-04", "EDEXCEL-L3-NVQ-CS"}
    missing = {(q, u) for q, u in units if u in units_without_content(qualification_get(q))}
    assert missing == WITHOUT_CONTENT


def test_every_unit_in_a_plan_renders_every_page_and_read(world: World, tmp_path: Any) -> None:
    units = every_unit()
    regs = {(q, u): plan_one_unit(world, q, u, i) for i, (q, u) in enumerate(units)}
    alice, carol = world.user("alice"), world.user("carol")
    as_alice, as_carol, api = signed_in(alice), signed_in(carol), api_client(alice)

    for (code, unit), reg in regs.items():
        blocked = (code, unit) in WITHOUT_CONTENT
        for client in (as_alice, as_carol):
            for url in (
                f"/registrations/{reg.pk}/portfolio/",
                f"/registrations/{reg.pk}/units/{unit}/",
                f"/registrations/{reg.pk}/",
            ):
                response = client.get(url)
                assert response.status_code == 200, (code, unit, url)
                assert (NO_CONTENT in response.content.decode()) is blocked, (code, unit, url)
        assert as_alice.get(f"/registrations/{reg.pk}/reviews/").status_code == 200
        export = api.get(f"/api/v1/registrations/{reg.pk}/portfolio/export")
        assert export.status_code == 200, (code, unit)
        b"".join(export.streaming_content)
        public = as_alice.get(f"/catalogue/{code}/units/{unit}/")
        assert public.status_code == 200
        assert ('data-content-notice="' in public.content.decode()) is blocked
        answer = api.get(f"/api/v1/registrations/{reg.pk}/portfolio")
        assert answer.status_code == 200, (code, unit)
        (row,) = answer.json()["units"]
        assert (row["reasons"] == [NO_CONTENT]) is blocked
        assert row["state"] == ("not-assessable" if blocked else "not-started")
        assert row["assessable"] is not blocked

    expected = {
        f"Unit{u} Plan{i:03d}" for i, (_, u) in enumerate(units) if (_, u) in WITHOUT_CONTENT
    }
    caseload = as_alice.get("/caseload/")
    assert caseload.status_code == 200
    html = caseload.content.decode()
    # The row's notice and its amber reason, once per unit without content.
    assert html.count('data-content-notice="') == len(WITHOUT_CONTENT)
    assert f"unit 310: {NO_CONTENT}" in html
    assert as_alice.get("/api/v1/caseload").status_code == 200

    progress = f"/centres/{world.north.pk}/progress/"
    page = as_carol.get(progress)
    assert page.status_code == 200 and NO_CONTENT in page.content.decode()
    assert as_carol.get(f"/api/v1/centres/{world.north.pk}/progress").status_code == 200
    csv_answer = as_carol.get(progress + "?format=csv")
    assert csv_answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_answer.streaming_content).decode())))
    flagged = {r["candidate"] for r in rows if NO_CONTENT in r["reasons"]}
    assert flagged == expected
    xlsx_answer = as_carol.get(progress + "?format=xlsx")
    assert xlsx_answer.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(xlsx_answer.streaming_content)), read_only=True
    ).worksheets[0]
    values = [r for r in sheet.iter_rows(values_only=True)]
    reasons = values[0].index("reasons")
    assert {r[0] for r in values[1:] if NO_CONTENT in (r[reasons] or "")} == expected

    runner = CliRunner()
    result = runner.invoke(main, ["portfolio", "progress", "--centre", "0042", "--as", "carol"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(NO_CONTENT) == len(WITHOUT_CONTENT)
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"progress.{fmt}"
        args = ["portfolio", "progress", "--centre", "0042", "--format", fmt, "-o", str(target)]
        assert runner.invoke(main, [*args, "--as", "carol"]).exit_code == 0


def test_the_candidate_sees_what_the_unit_is_and_no_form_to_map_to_it(world: World) -> None:
    """Dan's own portfolio with 310 beside 401: the notice, no "propose for unit 310" form."""
    from assay.registrations.plans import PlanUnitInput, plan_set

    carol, alice = world.user("carol"), world.user("alice")
    plan_set(
        by=carol,
        registration=world.dan,
        units=[PlanUnitInput("401", alice.pk), PlanUnitInput("310", alice.pk)],
        allow_units_without_content=True,
    )
    dan = signed_in(world.user("dan"))
    html = dan.get(f"/registrations/{world.dan.pk}/portfolio/")
    body = html.content.decode()
    assert html.status_code == 200
    assert 'data-content-notice="310"' in body and NO_CONTENT in body
    # The proposal form is loaded for one item at a time (issue 12): it offers 401, never 310.
    item = EvidenceItem.objects.filter(registration=world.dan).order_by("pk").first()
    assert item is not None
    form = dan.get(reverse("portfolio-propose", args=[world.dan.pk, item.pk])).content.decode()
    assert "Propose for unit 401" in form and "Propose for unit 310" not in form
