"""Plans for many registrations at once (``plans_set_many``): the same rows and chained
``plan_set`` records as ``plan_set``, every problem named with its registration, all or
nothing, and only for a centre administrator."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay.errors import InvalidInput, NotAllowed
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from assay.registrations.enrolment import chain_name
from assay.registrations.models import PlanUnit
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.plans_bulk import plans_set_many
from tests.factories import register
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db


def last_record(registration_id: int) -> ChainRecord:
    return ChainRecord.objects.filter(chain=chain_name(registration_id)).order_by("-seq")[0]


def test_many_plans_write_what_plan_set_writes_and_the_records_verify(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin, assessor = world["centre_admin"], world["assessor_assigned"]
    with django_capture_on_commit_callbacks(execute=True):
        one = register(admin, world.north, first_name="Dora")
        many = [register(admin, world.north, first_name=f"Eli{i}") for i in range(3)]
        units = [
            PlanUnitInput("401", assessor.pk, dt.date(2013, 6, 30)),
            PlanUnitInput("402", world["assessor_other"].pk),
        ]
        plan_set(by=admin, registration=one, units=units)
        assert (
            plans_set_many(by=admin, centre=world.north, plans=[(r.pk, units) for r in many]) == 3
        )
    expected = last_record(one.pk)
    for registration in many:
        record = last_record(registration.pk)
        assert (record.seq, record.kind, record.actor_id) == (2, "plan_set", admin.pk)
        assert record.payload == {**expected.payload, "registration": registration.pk}
        assert sorted(
            PlanUnit.objects.filter(registration=registration).values_list(
                "unit_number", "assessor_id", "target_date"
            )
        ) == [("401", assessor.pk, dt.date(2013, 6, 30)), ("402", world["assessor_other"].pk, None)]
    assert records_verify().ok
    # Planning again replaces the plan, as plan_set does.
    plans_set_many(by=admin, centre=world.north, plans=[(many[0].pk, [PlanUnitInput("403")])])
    assert list(PlanUnit.objects.filter(registration=many[0]).values_list("unit_number")) == [
        ("403",)
    ]
    assert last_record(many[0].pk).payload["replace"] == {
        "plan_unit": [{"unit": "403", "assessor": None, "target_date": None}]
    }


def test_every_problem_is_named_and_nothing_is_saved(world: World) -> None:
    admin = world["centre_admin"]
    fresh = register(admin, world.north, first_name="Fay")
    before = (PlanUnit.objects.count(), ChainRecord.objects.count())
    with pytest.raises(InvalidInput) as refused:
        plans_set_many(
            by=admin,
            centre=world.north,
            plans=[
                (fresh.pk, [PlanUnitInput("401", world["assessor_assigned"].pk)]),
                (world.registration.pk, [PlanUnitInput("999")]),
                (world.south_registration.pk, [PlanUnitInput("401")]),
                (world.other_registration.pk, [PlanUnitInput("7", world["tutor"].pk)]),
                (fresh.pk, [PlanUnitInput("402"), PlanUnitInput("402")]),
            ],
        )
    assert refused.value.errors == {
        f"registration {world.registration.pk}: unit 999": "unknown unit '999'",
        f"registration {world.south_registration.pk}": "not a registration at this centre",
        f"registration {world.other_registration.pk}: assessor 7": "not an assessor at this centre",
        f"registration {fresh.pk}": "planned twice",
        f"registration {fresh.pk}: unit 402": "planned twice",
    }
    assert (PlanUnit.objects.count(), ChainRecord.objects.count()) == before


def test_only_a_centre_administrator_sets_plans(world: World) -> None:
    with pytest.raises(NotAllowed):
        plans_set_many(
            by=world["tutor"],
            centre=world.north,
            plans=[(world.registration.pk, [PlanUnitInput("401")])],
        )
    with pytest.raises(NotAllowed):
        plans_set_many(
            by=world["admin_other_centre"],
            centre=world.north,
            plans=[(world.registration.pk, [PlanUnitInput("401")])],
        )
