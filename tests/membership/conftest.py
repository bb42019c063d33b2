"""Membership worlds: Dan's 4430-04 completed by credit transfer (Management), and Erin on the
Edexcel Level 3 NVQ with two customer-service units credited (progression to 4430-04)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay.progress.completion import registration_transition
from assay.registrations.links import candidate_account_link
from assay.registrations.models import Registration
from assay.registrations.prior_learning import credit_transfer_record
from assay.registrations.services import registration_create
from tests.world import World, adult

# 20 mandatory credits, one unit of each optional group, 67 credits, 35 at Level 4.
DAN_UNITS = ("401", "402", "403", "404", "405", "410", "411", "412", "413")


def credit(world: World, reg: Registration, units: tuple[str, ...]) -> None:
    for unit in units:
        credit_transfer_record(
            by=world.user("carol"), registration=reg, unit=unit, certificate_reference=f"CT-{unit}"
        )


@pytest.fixture
def completed(world: World) -> World:
    carol = world.user("carol")
    credit(world, world.dan, DAN_UNITS)
    for to in ("in_progress", "completed"):
        registration_transition(
            by=carol, registration=world.dan, to=to, reason="Rules met", confirmed=True
        )
    world.dan.refresh_from_db()
    return world


@pytest.fixture
def erin(world: World) -> Registration:
    carol = world.user("carol")
    reg = registration_create(
        by=carol,
        centre=world.north,
        qualification_key="EDEXCEL-L3-NVQ-CS",
        candidate_input=adult("Erin"),
        registered_on=dt.date(2012, 9, 3),
    )
    candidate_account_link(by=carol, candidate=reg.candidate, user=world.user("nina"))
    credit(world, reg, ("18", "34"))
    return reg


def as_user(world: World, name: str) -> Any:
    return world.user(name)
