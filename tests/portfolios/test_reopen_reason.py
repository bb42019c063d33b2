"""Issue 10: a unit reopen reason of zero-width spaces (or control characters) is no reason,
on the service, the API and the unit screen; nothing is appended to the decision chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assay.errors import InvalidInput
from assay.portfolios.assessment import criterion_judge, span_record, unit_reopen, unit_sign_off
from assay.portfolios.models import Decision
from tests.portfolios.helpers import CRITERIA_403, client_for, ready_portfolio

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u200b\u200b", "\u200b \ufeff\u2060", " \n\t "]


def signed_off(w: dict[str, Any]) -> None:
    reg = w["reg"]
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=42)
    unit_sign_off(by=w["alice"], registration=reg, unit="403")


@pytest.mark.parametrize("reason", [*INVISIBLE, "gap\x00", "gap\x1b[2J"])
def test_service_refuses(world: dict[str, Any], reason: str) -> None:
    signed_off(world)
    before = Decision.objects.count()
    with pytest.raises(InvalidInput) as refused:
        unit_reopen(by=world["lena"], registration=world["reg"], unit="403", reason=reason)
    assert list(refused.value.errors) == ["reason"]
    assert Decision.objects.count() == before


def test_api_and_unit_screen_refuse_and_change_nothing(world: dict[str, Any]) -> None:
    signed_off(world)
    reg = world["reg"]
    before = Decision.objects.count()
    api = client_for(world["lena"])
    screen = Client()
    screen.force_login(world["lena"])
    for reason in INVISIBLE:
        answer = api.post(
            f"/api/v1/registrations/{reg.pk}/units/403/reopen",
            {"reason": reason, "expected_seq": before},
            content_type="application/json",
        )
        assert answer.status_code == 422, answer.content
        assert "invisible characters are not a reason" in answer.json()["error"]["message"]
        page = screen.post(
            f"/registrations/{reg.pk}/units/403/reopen",
            {"reason": reason, "expected_seq": before},
        )
        assert page.status_code in (400, 422), page.status_code
    assert Decision.objects.count() == before
    reopened = unit_reopen(
        by=world["lena"], registration=reg, unit="403", reason="Sampling found\na gap"
    )
    assert reopened.payload["reason"] == "Sampling found\na gap"
