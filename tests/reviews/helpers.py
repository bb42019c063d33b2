"""Review test helpers shared by several test modules: an assessment plan for Dan."""

from __future__ import annotations

import datetime as dt

from assay.reviews.models import AssessmentPlan
from assay.reviews.services import ActivityInput, PlanInput, plan_create
from tests.world import World


def seed_plan(
    world: World, kind: str = "plan", met_on: dt.date = dt.date(2013, 2, 28)
) -> AssessmentPlan:
    return plan_create(
        by=world.user("alice"),
        registration=world.dan,
        data=PlanInput(
            kind=kind,
            met_on=met_on,
            summary="Observe and question on 401",
            activities=(
                ActivityInput(
                    "Observe the briefing", "observation", ("401:1.1",), dt.date(2013, 4, 30)
                ),
            ),
        ),
    )
