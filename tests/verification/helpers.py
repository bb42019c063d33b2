"""The IQA tests' world: ``tests/world.py`` with Dan's unit 403 (Alice's) signed off on
01/03/2013 and a sample of the last twelve months drawn by Linda (lead IQA) with a fixed
seed. Ian and Iris are Northgate's internal verifiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assay.portfolios.assessment import criterion_judge, span_record, unit_sign_off
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.verification.models import SampleDraw, SamplePick
from assay.verification.services import sample_draw
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio
from tests.world import World

START, END = dt.date(2012, 3, 2), dt.date(2013, 3, 1)
SEED = 42


def sign_off_403(w: World) -> None:
    """Alice assesses 403 for Dan (beside 401) and signs it off."""
    alice = w.user("alice")
    plan_set(
        by=w.user("carol"),
        registration=w.dan,
        units=[
            PlanUnitInput("401", alice.pk, dt.date(2013, 6, 30)),
            PlanUnitInput("403", alice.pk, dt.date(2013, 6, 30)),
        ],
        internal_verifier_id=w.user("ian").pk,
    )
    ready_portfolio({"dan": w.user("dan"), "alice": alice, "reg": w.dan})
    for number in CRITERIA_403:
        criterion_judge(by=alice, registration=w.dan, unit="403", criterion=number, met=True)
    span_record(by=alice, registration=w.dan, unit="403", sufficient_days=42)
    unit_sign_off(by=alice, registration=w.dan, unit="403")


def drawn(w: World, seed: int = SEED) -> SampleDraw:
    return sample_draw(
        by=w.user("linda"),
        centre=w.north,
        qualification="4430-04",
        period_start=START,
        period_end=END,
        seed=seed,
    )


def pick_403(row: SampleDraw) -> SamplePick:
    return row.picks.get(registration__candidate__first_name="Dan", unit_number="403")


def keys(row: SampleDraw) -> list[tuple[Any, ...]]:
    return list(
        row.picks.order_by("position").values_list(
            "registration_id", "unit_number", "stage", "dimension", "reasons", "verifier_id"
        )
    )
