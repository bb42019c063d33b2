"""Short ways to apply, lift and record external verification in the tests' world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assay.eqa.models import Sanction, Visit
from assay.eqa.services import (
    ActionPointInput,
    VisitInput,
    sanction_apply,
    sanction_lift,
    visit_record,
)
from tests.world import World

FEB = dt.date(2013, 2, 1)
REASON = "Assessment records missing for 12 candidates"


def apply(
    world: World,
    level: str = "registrations_suspended",
    on: dt.date = FEB,
    code: str = "",
    by: str = "eve",
) -> Sanction:
    return sanction_apply(
        by=world.user(by),
        centre=world.north,
        level=level,
        reason=REASON,
        applied_on=on,
        qualification_code=code,
        confirmed=True,
    )


def lift(world: World, sanction: Sanction, on: dt.date, by: str = "eve") -> Sanction:
    return sanction_lift(
        by=world.user(by), sanction=sanction, lifted_on=on, reason="Records found", confirmed=True
    )


def visit(world: World, by: str = "eve", **kw: Any) -> Visit:
    data: dict[str, Any] = {
        "on": dt.date(2013, 2, 20),
        "mode": "on_site",
        "status": "done",
        "sample_request": "Portfolios of Dan and Dora, unit 401",
        "findings": "Assessment decisions sound; IV sampling thin.",
        "risk": "medium",
        "risk_reasons": "IV sampling below plan",
        "action_points": (ActionPointInput("Sample 401 again", "linda", dt.date(2013, 4, 1)),),
    }
    return visit_record(by=world.user(by), centre=world.north, data=VisitInput(**{**data, **kw}))


def planned(world: World, on: dt.date = dt.date(2013, 2, 25)) -> Visit:
    """A visit planned with its sample request only."""
    return visit(
        world, on=on, status="planned", findings="", risk="", risk_reasons="", action_points=()
    )
