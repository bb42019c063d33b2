"""ADR 0010 at the front doors: learning plans refuse units without content unless they allow
them, the planner leaves them out unless allowed, credit transfer records and counts a unit
achieved elsewhere, and every assessor act on such a unit is refused with the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from assay.catalogue.planning import plan_complete
from assay.catalogue.selectors import qualification_get
from assay.cli.main import main
from assay.engines.coverage import NO_CONTENT
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.assessment import criterion_judge, span_record, unit_sign_off
from assay.portfolios.models import CriterionMapping, Decision
from assay.portfolios.selectors import portfolio_progress
from assay.portfolios.services import mapping_propose
from assay.registrations.models import PriorKind, RplClaim
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import credit_transfer_record
from tests.unit_content.conftest import api_client, signed_in
from tests.world import World

pytestmark = pytest.mark.django_db
EMPTY = {str(n) for n in range(303, 319)}


def plan_310(w: World, allow: bool | None = True) -> dict[str, Any]:
    return plan_set(
        by=w.user("carol"),
        registration=w.dan,
        units=[PlanUnitInput("401", w.user("alice").pk), PlanUnitInput("310", w.user("alice").pk)],
        allow_units_without_content=allow,
    )


# --- learning plans ---------------------------------------------------------------------------


def test_a_plan_refuses_a_unit_without_content_unless_it_allows_them(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        plan_310(world, allow=None)  # the registration's default: not allowed
    assert NO_CONTENT in refused.value.errors["unit 310"]
    assert list(world.dan.plan_units.values_list("unit_number", flat=True)) == ["401"]
    plan_310(world, allow=True)
    world.dan.refresh_from_db()
    assert world.dan.allow_units_without_content
    assert set(world.dan.plan_units.values_list("unit_number", flat=True)) == {"401", "310"}
    # The choice is kept when a later save does not say.
    plan_310(world, allow=None)


def test_a_credited_unit_may_stay_on_a_plan_that_does_not_allow_them(world: World) -> None:
    credit_transfer_record(
        by=world.user("carol"), registration=world.dan, unit="310", certificate_reference="X1"
    )
    plan_310(world, allow=False)
    assert world.dan.plan_units.filter(unit_number="310").exists()


def test_the_planner_leaves_them_out_unless_allowed(world: World) -> None:
    qual = qualification_get("4430-04")
    assert not set(plan_complete(qual).model_dump()["add"]) & EMPTY
    assert "310" in plan_complete(qual, allow_without_content=True).model_dump()["add"]
    # A unit already held (say, credited) counts whatever its content.
    held = plan_complete(qual, have=["303"]).model_dump()
    assert held["feasible"] and "303" in held["decision"]["counted_units"]


def test_plan_editor_form_refuses_then_saves_with_the_box_ticked(world: World) -> None:
    carol = signed_in(world.user("carol"))
    url = f"/registrations/{world.dan.pk}/plan/"
    form = {"unit": ["401", "310"], "assessor-401": world.user("alice").pk}
    refused = carol.post(url, form)
    assert refused.status_code == 400 and NO_CONTENT in refused.content.decode()
    page = carol.get(url).content.decode()
    assert 'data-content-notice="310"' in page and 'name="allow_without_content"' in page
    saved = carol.post(url, {**form, "allow_without_content": "1"})
    assert saved.status_code == 302
    world.dan.refresh_from_db()
    assert world.dan.allow_units_without_content


def test_suggest_units_follows_the_box(world: World) -> None:
    carol = signed_in(world.user("carol"))
    url = f"/registrations/{world.dan.pk}/plan/suggest"
    headers = {"HX-Request": "true"}
    plain = carol.post(url, {"unit": ["401", "402"]}, headers=headers).content.decode()
    allowed = carol.post(
        url, {"unit": ["401", "402"], "allow_without_content": "1"}, headers=headers
    ).content.decode()
    assert "310" not in plain and "310" in allowed


def test_public_planner_and_api_and_cli(world: World) -> None:
    client = signed_in(world.user("carol"))
    plain = client.post("/plans/4430-04/complete", {"unit": ["401"]}).content.decode()
    assert 'data-content-notice="310"' in plain  # the builder marks the unit
    api = api_client(world.user("carol"))
    body = {"qualification": "4430-04"}
    out = api.post("/api/v1/plans/complete", body, content_type="application/json").json()
    assert not set(out["add"]) & EMPTY
    body["allow_without_content"] = True  # type: ignore[assignment]
    out = api.post("/api/v1/plans/complete", body, content_type="application/json").json()
    assert "310" in out["add"]
    result = CliRunner().invoke(main, ["plan", "complete", "4430-04", "--json"])
    assert not set(json.loads(result.stdout)["add"]) & EMPTY
    put = api.put(
        f"/api/v1/registrations/{world.dan.pk}/plan",
        {"units": [{"unit": "310"}]},
        content_type="application/json",
    )
    assert put.status_code == 422 and NO_CONTENT in json.dumps(put.json())
    put = api.put(
        f"/api/v1/registrations/{world.dan.pk}/plan",
        {"units": [{"unit": "310"}], "allow_units_without_content": True},
        content_type="application/json",
    )
    assert put.status_code == 200


# --- credit transfer --------------------------------------------------------------------------


def test_credit_transfer_counts_the_unit_achieved(world: World) -> None:
    plan_310(world)
    dan = world.user("dan")
    before = portfolio_progress(dan, world.dan.pk)
    assert {u.unit: u.state.value for u in before.units}["310"] == "not-assessable"
    record = credit_transfer_record(
        by=world.user("alice"),
        registration=world.dan,
        unit="310",
        certificate_reference=" CG-4430-0042 ",
        note="Achieved at Eastgate College, 2011",
    )
    assert (record.kind, record.certificate_reference, record.accepted) == (
        PriorKind.CREDIT_TRANSFER,
        "CG-4430-0042",
        True,
    )
    assert record.decided_by == world.user("alice") and record.decided_at is not None
    after = portfolio_progress(dan, world.dan.pk)
    assert {u.unit: u.state.value for u in after.units}["310"] == "credited"
    assert after.credited == ("310",) and after.credits_achieved == 6
    page = signed_in(world.user("alice")).get(f"/registrations/{world.dan.pk}/units/310/")
    assert "Credited" in page.content.decode() and NO_CONTENT in page.content.decode()


def test_credit_transfer_refusals_change_nothing(world: World) -> None:
    carol = world.user("carol")
    with pytest.raises(InvalidInput) as bad:
        credit_transfer_record(
            by=carol, registration=world.dan, unit="999", certificate_reference=""
        )
    assert set(bad.value.errors) == {"unit", "certificate_reference"}
    credit_transfer_record(by=carol, registration=world.dan, unit="310", certificate_reference="A")
    with pytest.raises(InvalidInput, match="already credited"):
        credit_transfer_record(
            by=carol, registration=world.dan, unit="310", certificate_reference="B"
        )
    for name in ("dan", "arthur", "ed", "ian"):
        with pytest.raises(NotAllowed):
            credit_transfer_record(
                by=world.user(name), registration=world.dan, unit="311", certificate_reference="C"
            )
    assert RplClaim.objects.filter(kind=PriorKind.CREDIT_TRANSFER).count() == 1


def test_credit_transfer_web_form_and_api(world: World) -> None:
    carol = signed_in(world.user("carol"))
    url = f"/registrations/{world.dan.pk}/credit-transfers"
    page = carol.get(f"/registrations/{world.dan.pk}/").content.decode()
    assert f'action="{url}"' in page
    missing = carol.post(url, {"unit": "310", "certificate_reference": ""})
    assert missing.status_code == 400
    done = carol.post(url, {"unit": "310", "certificate_reference": "CG-1"}, follow=True)
    assert "Unit 310 credited by credit transfer." in done.content.decode()
    assert "CG-1" in done.content.decode()
    api = api_client(world.user("alice"))
    answer = api.post(
        f"/api/v1/registrations/{world.dan.pk}/credit-transfers",
        {"unit": "311", "certificate_reference": "CG-2"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["kind"] == "credit_transfer"
    assert answer.json()["certificate_reference"] == "CG-2"
    portfolio = api.get(f"/api/v1/registrations/{world.dan.pk}/portfolio").json()
    assert portfolio["credited"] == ["310", "311"]
    stranger = api_client(world.user("sue")).post(
        f"/api/v1/registrations/{world.dan.pk}/credit-transfers",
        {"unit": "312", "certificate_reference": "CG-3"},
        content_type="application/json",
    )
    assert stranger.status_code == 404


# --- assessor acts refused ----------------------------------------------------------------------


def test_mapping_and_judging_a_unit_without_content_are_refused(world: World) -> None:
    plan_310(world)
    alice, reg = world.user("alice"), world.dan
    acts = [
        lambda: mapping_propose(by=world.user("dan"), item=world.item, unit="310", target="1.1"),
        lambda: criterion_judge(by=alice, registration=reg, unit="310", criterion="1.1", met=True),
        lambda: span_record(by=alice, registration=reg, unit="310", sufficient_days=0),
        lambda: unit_sign_off(by=alice, registration=reg, unit="310"),
    ]
    for act in acts:
        with pytest.raises(InvalidInput) as refused:
            act()
        assert NO_CONTENT in refused.value.errors["unit"]
    assert not Decision.objects.filter(registration=reg, unit_number="310").exists()
    assert not CriterionMapping.objects.filter(unit_number="310").exists()


def test_the_unit_page_offers_no_assessor_forms_for_it(world: World) -> None:
    plan_310(world)
    html = signed_in(world.user("alice")).get(f"/registrations/{world.dan.pk}/units/310/")
    body = html.content.decode()
    assert html.status_code == 200 and NO_CONTENT in body
    assert "Evidence period and sign-off" not in body


# --- importing the unit's specification ---------------------------------------------------------


def test_a_newer_specification_with_the_content_is_assessed_on_new_registrations(
    world: World, tmp_path: Any
) -> None:
    """ADR 0010 route 2: a centre imports a version of the file with unit 310's content. New
    registrations assess 310 normally; an earlier registration keeps its version (ADR 0003)."""
    import copy
    import datetime as dt
    from pathlib import Path

    import yaml

    from assay.catalogue.services import catalogue_import
    from assay.portfolios.coverage import refuse_without_content, unit_spec, unit_targets
    from assay.registrations.services import registration_create
    from tests.world import adult

    library = Path(__file__).resolve().parents[2] / "assay" / "catalogue" / "library"
    data = yaml.safe_load((library / "cg-4430-04.yaml").read_text(encoding="utf-8"))
    units = {str(u["number"]): u for u in data["units"]}
    assert not unit_targets(dict(units["310"]))  # no content in this catalogue
    units["310"]["outcomes"] = copy.deepcopy(units["401"]["outcomes"])  # no YAML aliases
    newer = dict(data, version=f"{data['version']}-310")
    path = tmp_path / "cg-4430-04-310.yaml"
    path.write_text(yaml.safe_dump(newer, allow_unicode=True), encoding="utf-8")
    assert catalogue_import(paths=[path])[0].status == "created"

    fresh = registration_create(
        by=world.user("carol"),
        centre=world.north,
        qualification_key="4430-04",
        candidate_input=adult("Nia"),
        registered_on=dt.date(2013, 3, 1),
    )
    assert fresh.qualification.spec.version == newer["version"]
    assert unit_targets(unit_spec(fresh, "310"))  # criteria now: assessed normally
    refuse_without_content(fresh, "310")  # no refusal
    plan_set(by=world.user("carol"), registration=fresh, units=[PlanUnitInput("310", None)])
    with pytest.raises(InvalidInput) as refused:  # the earlier registration keeps its version
        refuse_without_content(world.dan, "310")
    assert NO_CONTENT in str(refused.value.errors)
