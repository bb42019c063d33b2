"""Demo internal quality assurance (issue 13): Linda's sampling strategy for 4430-04 at the
demo centre (the documented defaults, written out), a drawn sample of the year to 01/03/2013,
Ian agreeing with Priya Shah's unit 401 and requiring action on her unit 402, which Alice
signs off here first: that reopens it (ready to sign off again once Alice has acted). Alice
has no A unit yet, so every one of her sign-offs is sampled whatever the seed. A
standardisation meeting on 14/02/2013 (Alice, Anna, Ian and Linda; Bob missed it, so the
plan page flags him) with one action for Anna.

Through the real services as the people who would act, with the clock pinned to the demo
date. Idempotent: a second run finds the draw and adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay.centres.models import Centre
from assay.demo.centre import CENTRE_NUMBER, DEMO_DATE
from assay.demo.portfolios import _registration
from assay.portfolios.assessment import unit_sign_off
from assay.verification.models import SampleDraw
from assay.verification.services import sample_draw, strategy_set, unit_verify
from assay.verification.standardisation import ActionInput, ActivityInput, activity_record

CG = "4430-04"
SEED = 2013
STRATEGY = {"base_rate": "10%", "interim_per_quarter": 1, "interim_per_quarter_at_risk": 2}
ACTION = (
    "IQA sample March 2013: the observation record does not show how Priya checked the "
    "service offer against her customers' expectations; add the survey summary and re-judge."
)


MEETING = ActivityInput(
    held_on=dt.date(2013, 2, 14),
    kind="meeting",
    qualification=CG,
    summary=(
        "Standardisation meeting: each assessor brought one observation record of unit 401; "
        "the records were swapped and judged again against the criteria."
    ),
    decisions=(
        "An observation record names each criterion it shows and quotes the customer's words "
        "where the judgement depends on them."
    ),
    attendees=("alice", "anna", "ian", "linda"),
    actions=(
        ActionInput(
            "Rewrite the observation record template with a column per criterion",
            "anna",
            dt.date(2013, 3, 29),
        ),
    ),
)


def _priya_402_signed_off(who: dict[str, Any]) -> None:
    """Alice signs off Priya's unit 402 (the portfolio demo leaves it ready)."""
    unit_sign_off(by=who["alice"], registration=_registration("Priya Shah"), unit="402")


def demo_iqa_load() -> Iterator[str]:
    centre = Centre.objects.get(number=CENTRE_NUMBER)
    if SampleDraw.objects.filter(centre=centre).exists():
        yield "IQA sample: exists"
        return
    names = ["alice", "anna", "ian", "linda"]
    who = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()), transaction.atomic():
        _priya_402_signed_off(who)
        strategy_set(by=who["linda"], centre=centre, qualification=CG, data=STRATEGY)
        row = sample_draw(
            by=who["linda"],
            centre=centre,
            qualification=CG,
            period_start=dt.date(2012, 3, 2),
            period_end=DEMO_DATE,
            seed=SEED,
        )
        priya = _registration("Priya Shah")
        picks = {p.unit_number: p for p in row.picks.filter(registration=priya)}
        ian = who["ian"]
        unit_verify(
            by=ian,
            pick=picks["401"],
            outcome="agree",
            feedback="Observation and discussion records are complete and the judgements sound.",
        )
        unit_verify(
            by=ian,
            pick=picks["402"],
            outcome="action_required",
            feedback=ACTION,
            due_on=dt.date(2013, 3, 22),
        )
        activity_record(by=who["linda"], centre=centre, data=MEETING)
    yield f"IQA sample: {row.picks.count()} picks, one agreed, one action required (reopened)"
    yield "IQA standardisation: a meeting on 14/02/2013 with one action"
