"""membership_of / progression_of through the real paths: grade, reasons and who may read."""

from __future__ import annotations

import pytest

from assay.errors import NotFound
from assay.membership.selectors import membership_get, progression_get
from assay.registrations.models import Registration
from tests.world import World

pytestmark = pytest.mark.django_db


def test_completed_4430_04_gives_management(completed: World) -> None:
    got = membership_get(completed.user("dan"), completed.dan.pk)
    assert got.grade == "Management"
    assert got.rests_on is not None
    assert got.rests_on.qualification.keys == ["cg-4430-04", "4430-04"]
    assert got.rests_on.qualification.how == f"registration {completed.dan.pk} completed"
    assert got.reasons[0].startswith("Eligible for Management membership of the Institute")
    assert len(got.customer_service_units) == 9


def test_units_without_a_listed_qualification_give_no_grade(
    world: World, erin: Registration
) -> None:
    got = membership_get(world.user("nina"), erin.pk)
    assert got.grade is None
    assert [u.number for u in got.customer_service_units] == ["18", "34"]


def test_progression_from_edexcel_level_3(world: World, erin: Registration) -> None:
    got = progression_get(world.user("carol"), erin.pk)
    [step] = got.next_in_catalogue
    assert step.in_catalogue is not None and step.in_catalogue.code == "4430-04"
    assert step.grade_on_completion == "Management"
    assert [(c.unit.number, c.target_unit) for c in step.carried] == [("18", "304"), ("34", "312")]


@pytest.mark.parametrize("name", ["dan", "carol", "alice", "ed", "linda", "sam"])
def test_who_may_read(completed: World, name: str) -> None:
    assert membership_get(completed.user(name), completed.dan.pk).grade == "Management"
    assert progression_get(completed.user(name), completed.dan.pk).qualification == "4430-04"


@pytest.mark.parametrize("name", ["dora", "edna", "sue", "evan", "nina", "arthur"])
def test_strangers_get_not_found(completed: World, name: str) -> None:
    with pytest.raises(NotFound):
        membership_get(completed.user(name), completed.dan.pk)
    with pytest.raises(NotFound):
        progression_get(completed.user(name), completed.dan.pk)


def test_missing_registration_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        membership_get(world.user("sam"), 999_999)
