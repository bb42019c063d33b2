"""The web role world (tests/world.py), plus one Northgate registration per unit of every
catalogue qualification, that unit alone on its learning plan and assessed by Alice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from assay.accounts.services import token_create
from assay.catalogue.selectors import qualification_list, units_overview
from assay.registrations.models import Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.services import registration_create
from tests.world import World, adult


def every_unit() -> list[tuple[str, str]]:
    """(qualification code, unit number) of every unit of every catalogue qualification."""
    return [(q.code, u.number) for q in qualification_list() for u in units_overview(q)]


def plan_one_unit(w: World, code: str, unit: str, index: int) -> Registration:
    """A Northgate candidate on ``code`` with ``unit`` alone on a plan that allows units
    without content, assessed by Alice."""
    carol, alice = w.user("carol"), w.user("alice")
    reg = registration_create(
        by=carol,
        centre=w.north,
        qualification_key=code,
        candidate_input=adult(f"Unit{unit}", f"Plan{index:03d}"),
        registered_on=dt.date(2012, 9, 3),
    )
    plan_set(
        by=carol,
        registration=reg,
        units=[PlanUnitInput(unit, alice.pk, dt.date(2013, 6, 30))],
        allow_units_without_content=True,
    )
    return reg


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")
