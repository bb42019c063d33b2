"""RPL accepted counts as achieved; a grade is computed only from the registrations of the
person that the viewer may see (an assessor of one registration learns nothing of another)."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.membership.selectors import membership_get, progression_get
from assay.registrations.models import Registration
from assay.registrations.prior_learning import rpl_decide
from assay.registrations.services import registration_create
from tests.membership.conftest import credit
from tests.world import World

pytestmark = pytest.mark.django_db


def test_accepted_rpl_counts(world: World) -> None:
    assert membership_get(world.user("dan"), world.dan.pk).customer_service_units == []
    rpl_decide(by=world.user("alice"), claim=world.claim, accept=True)
    [unit] = membership_get(world.user("dan"), world.dan.pk).customer_service_units
    assert (unit.number, unit.how) == ("412", "accepted through RPL")


@pytest.fixture
def second(world: World) -> Registration:
    """Dan also on the Edexcel Level 3 NVQ at Northgate, units 7 and 8 credited; Alice is
    assessor of his 4430-04 unit 401 only, so she cannot see this registration."""
    reg = registration_create(
        by=world.user("carol"),
        centre=world.north,
        qualification_key="EDEXCEL-L3-NVQ-CS",
        candidate=world.dan.candidate,
        registered_on=dt.date(2012, 9, 3),
    )
    credit(world, reg, ("7", "8"))
    return reg


def test_a_grade_counts_only_what_the_viewer_may_see(world: World, second: Registration) -> None:
    def units(name: str) -> list[str]:
        got = membership_get(world.user(name), world.dan.pk)
        return [f"{u.qualification}/{u.number}" for u in got.customer_service_units]

    both = ["EDEXCEL-L3-NVQ-CS/7", "EDEXCEL-L3-NVQ-CS/8"]
    assert units("dan") == both and units("carol") == both
    assert units("alice") == []  # she sees the 4430-04 registration, not the Edexcel one
    carried = progression_get(world.user("carol"), world.dan.pk).steps
    assert all(not s.carried for s in carried)  # 7 and 8 have no twin in what follows 4430-04
