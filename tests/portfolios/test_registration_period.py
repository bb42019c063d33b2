"""Handbook 4.1: every assessment act is refused after the end of the period of registration,
or once the registration has ended; an extension lets assessment go on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from assay.errors import InvalidInput
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_sign_off,
)
from assay.portfolios.models import CriterionMapping, Decision
from assay.progress.completion import registration_extend
from assay.registrations.models import Registration
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio

pytestmark = pytest.mark.django_db

HANDBOOK = "Assessment must be completed within the candidate's period of registration."
Act = Callable[[dict[str, Any]], Any]

ACTS: dict[str, Act] = {
    "mapping decide": lambda w: mapping_decide(
        by=w["alice"], mapping=CriterionMapping.objects.first(), confirm=False
    ),
    "criterion judge": lambda w: criterion_judge(
        by=w["alice"], registration=w["reg"], unit="403", criterion="1.1", met=True
    ),
    "span record": lambda w: span_record(
        by=w["alice"], registration=w["reg"], unit="403", sufficient_days=42
    ),
    "unit sign-off": lambda w: unit_sign_off(by=w["alice"], registration=w["reg"], unit="403"),
}


def ready(w: dict[str, Any]) -> None:
    """Everything confirmed, judged and the span recorded: only the sign-off is left."""
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(
            by=w["alice"], registration=w["reg"], unit="403", criterion=number, met=True
        )
    span_record(by=w["alice"], registration=w["reg"], unit="403", sufficient_days=42)


@pytest.mark.parametrize("act", list(ACTS))
def test_an_act_after_the_end_date_is_refused_with_the_handbooks_reason(
    world: dict[str, Any], act: str
) -> None:
    ready(world)
    reg = world["reg"]
    Registration.objects.filter(pk=reg.pk).update(end_date=dt.date(2013, 2, 28))
    reg.refresh_from_db()
    before = Decision.objects.count()
    with pytest.raises(InvalidInput) as refused:
        ACTS[act](world)
    message = refused.value.errors["registration"]
    ended = "01/03/2013 is after the end of the period of registration, 28/02/2013."
    assert message == f"{ended} {HANDBOOK}"
    assert Decision.objects.count() == before


@pytest.mark.parametrize("status", ["expired", "withdrawn", "completed", "transferred"])
@pytest.mark.parametrize("act", list(ACTS))
def test_an_act_on_an_ended_registration_is_refused(
    world: dict[str, Any], act: str, status: str
) -> None:
    ready(world)
    reg = world["reg"]
    Registration.objects.filter(pk=reg.pk).update(status=status)
    reg.refresh_from_db()
    before = Decision.objects.count()
    with pytest.raises(InvalidInput, match="period of registration") as refused:
        ACTS[act](world)
    assert f"The registration is {status}." in refused.value.errors["registration"]
    assert Decision.objects.count() == before


def test_the_end_date_itself_is_within_the_period_and_an_extension_goes_on(
    world: dict[str, Any],
) -> None:
    ready(world)
    reg = world["reg"]
    Registration.objects.filter(pk=reg.pk).update(end_date=dt.date(2013, 3, 1))
    reg.refresh_from_db()
    criterion_judge(by=world["alice"], registration=reg, unit="403", criterion="1.1", met=True)
    with override_settings(ASSAY_TODAY="2013-03-02"):
        with pytest.raises(InvalidInput, match="after the end of the period"):
            unit_sign_off(by=world["alice"], registration=reg, unit="403")
        registration_extend(
            by=world["carol"], registration=reg, new_end=dt.date(2013, 6, 30), reason="illness"
        )
        assert unit_sign_off(by=world["alice"], registration=reg, unit="403").kind == (
            "unit_signed_off"
        )
