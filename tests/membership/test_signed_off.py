"""A unit signed off by its assessor counts as achieved (tests/portfolios' world)."""

# ruff: noqa: F811  (the fixture imported from tests.portfolios.world is a parameter)

from __future__ import annotations

from typing import Any

import pytest

from assay.membership.selectors import membership_get
from assay.portfolios.assessment import criterion_judge, span_record, unit_sign_off
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio
from tests.portfolios.world import world  # noqa: F401  (this module's world: a dict)

pytestmark = pytest.mark.django_db


def test_a_signed_off_unit_counts(world: Any) -> None:
    """tests/portfolios' world (dict): Dan's unit 403, judged and signed off by Alice."""
    w, reg = world, world["reg"]
    assert membership_get(w["dan"], reg.pk).customer_service_units == []
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=42)
    unit_sign_off(by=w["alice"], registration=reg, unit="403")
    [unit] = membership_get(w["dan"], reg.pk).customer_service_units
    assert (unit.number, unit.code, unit.how) == ("403", "4430-403", "signed off")
