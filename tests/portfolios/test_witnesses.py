"""Witness statements confirmed once, through a link that expires."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay import clock
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.models import WitnessStatement
from assay.portfolios.services import evidence_add
from assay.portfolios.witnesses import witness_confirm, witness_request

pytestmark = pytest.mark.django_db


def witnessed_item(w: dict[str, Any], method: str = "witness_testimony") -> Any:
    return evidence_add(
        by=w["dan"],
        registration=w["reg"],
        method=method,
        started_on=dt.date(2013, 2, 1),
        description="Handled a complaint from a key account",
        context="real_job",
    )


def request(w: dict[str, Any], item: Any, by: str = "dan") -> tuple[WitnessStatement, str]:
    return witness_request(
        by=w[by],
        item=item,
        name="Priya Shah",
        role="Operations manager",
        relationship="line manager",
        contact="priya@example.com",
        statement="I saw Dana resolve the complaint and follow it up.",
    )


def test_a_link_confirms_once(world: dict[str, Any]) -> None:
    witness, token = request(world, witnessed_item(world))
    assert token not in witness.token_sha256 and len(witness.token_sha256) == 64
    assert witness_confirm(token=token).confirmed_at is not None
    with pytest.raises(InvalidInput, match="already been used"):
        witness_confirm(token=token)
    with pytest.raises(InvalidInput, match="not valid"):
        witness_confirm(token=token + "x")


def test_an_expired_link_confirms_nothing(world: dict[str, Any]) -> None:
    witness, token = request(world, witnessed_item(world))
    WitnessStatement.objects.filter(pk=witness.pk).update(
        expires_at=clock.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(InvalidInput, match="expired"):
        witness_confirm(token=token)
    witness.refresh_from_db()
    assert witness.confirmed_at is None


def test_witnesses_only_on_testimony_and_only_by_the_portfolio_people(
    world: dict[str, Any],
) -> None:
    with pytest.raises(InvalidInput, match="only witness or expert witness"):
        request(world, witnessed_item(world, method="product"))
    with pytest.raises(NotAllowed):
        request(world, witnessed_item(world), by="carol")
    assert not WitnessStatement.objects.exists()
