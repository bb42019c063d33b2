"""The planner's most-reuse objective fed from a real portfolio: selector, API and CLI."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.accounts.services import token_create
from assay.catalogue.planning import plan_complete
from assay.cli.main import main
from assay.portfolios.assessment import mapping_decide
from assay.portfolios.models import CriterionMapping
from assay.portfolios.selectors import portfolio_reuse
from assay.portfolios.services import evidence_add, mapping_propose
from assay.registrations.plans import PlanUnitInput, plan_set

pytestmark = pytest.mark.django_db


def evidence_405(w: dict[str, Any]) -> None:
    """Plan 405 (assessed by Alice) and evidence three of its criteria, confirmed."""
    reg = w["reg"]
    plan_set(
        by=w["carol"],
        registration=reg,
        units=[
            PlanUnitInput("403", assessor_id=w["alice"].pk),
            PlanUnitInput("401", assessor_id=w["bob"].pk),
            PlanUnitInput("405", assessor_id=w["alice"].pk),
        ],
    )
    item = evidence_add(
        by=w["dan"],
        registration=reg,
        method="observation",
        started_on=dt.date(2013, 1, 7),
        place="Store",
        description="Led the monthly health and safety walk-round",
        context="real_job",
    )
    for target in ("1.1", "1.2", "1.3"):
        mapping_propose(by=w["dan"], item=item, unit="405", target=target)
    for mapping in CriterionMapping.objects.all():
        mapping_decide(by=w["alice"], mapping=mapping, confirm=True)


def test_partly_evidenced_unit_is_preferred(world: dict[str, Any]) -> None:
    # Units without content allowed: the cheap 3xx options then crowd 405 out until it is
    # partly evidenced (without them, 405 is in the cheapest completion anyway).
    w, reg = world, world["reg"]
    before = plan_complete(
        reg.qualification,
        have=["401", "402"],
        objective="most-reuse",
        reuse=portfolio_reuse(w["dan"], reg.pk),
        allow_without_content=True,
    ).model_dump()
    assert "405" not in before["add"]
    evidence_405(w)
    scores = portfolio_reuse(w["dan"], reg.pk)
    assert scores["405"] == pytest.approx(3 / 21) and scores["403"] == 0.0
    after = plan_complete(
        reg.qualification,
        have=["401", "402"],
        objective="most-reuse",
        reuse=scores,
        allow_without_content=True,
    ).model_dump()
    assert after["feasible"] and "405" in after["add"]
    assert after["objective"] == "most_reuse" and len(after["add"]) == len(before["add"])


def test_api_and_cli_plan_with_most_reuse(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    evidence_405(w)
    token = token_create(user=w["dan"], name="t")[1]
    answer = Client().post(
        f"/api/v1/registrations/{reg.pk}/plan/complete",
        {"have": ["401", "402"], "objective": "most-reuse"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 200 and "405" in answer.json()["add"]
    bob = token_create(user=w["bob"], name="t")[1]
    fewest = Client().post(
        f"/api/v1/registrations/{reg.pk}/plan/complete",
        {"have": ["401", "402"], "objective": "fewest-units"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {bob}",
    )
    assert fewest.status_code == 200 and fewest.json()["objective"] == "fewest_units"

    args = ["plan", "complete", "4430-04", "--have", "401", "--have", "402"]
    cli = CliRunner().invoke(
        main,
        [
            *args,
            "--objective",
            "most-reuse",
            "--registration",
            str(reg.pk),
            "--as",
            "dan",
            "--json",
        ],
    )
    assert cli.exit_code == 0, cli.output
    assert "405" in json.loads(cli.output)["add"]
    missing = CliRunner().invoke(main, [*args, "--objective", "most-reuse"])
    assert missing.exit_code != 0 and "--registration" in missing.output
    outsider = CliRunner().invoke(
        main, [*args, "--objective", "most-reuse", "--registration", str(reg.pk), "--as", "nobody"]
    )
    assert outsider.exit_code != 0
