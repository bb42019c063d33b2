"""Every sanction's effect through the real registration paths: ``registration_create`` and
the bulk import refuse while registrations are suspended or approval withdrawn, with the
sanction's reason, and change nothing; both work for dates before the sanction and after it
is lifted. Claims (issue 14) are asked through ``claims_blocked``."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.eqa.selectors import claims_blocked
from assay.errors import InvalidInput, RegistrationRefused
from assay.registrations.bulk import bulk_check, bulk_import, read_rows
from assay.registrations.models import Candidate, Registration
from assay.registrations.services import registration_create
from assay.registrations.tabular import Row
from tests.eqa.helpers import REASON, apply, lift
from tests.registrations.helpers import csv_bytes
from tests.world import World, adult

pytestmark = pytest.mark.django_db

MARCH = dt.date(2013, 3, 1)
SUSPENDED = (
    "Registrations and claims suspended at this centre since 01/02/2013 by the external "
    f"verifier: {REASON}."
)


def counts() -> tuple[int, int]:
    return Registration.objects.count(), Candidate.objects.count()


def register(world: World, on: dt.date = MARCH, code: str = "4430-04") -> Registration:
    return registration_create(
        by=world.user("carol"),
        centre=world.north,
        qualification_key=code,
        candidate_input=adult("Nia", "Jones"),
        registered_on=on,
    )


def rows(on: str = "2013-03-01", code: str = "4430-04") -> list[Row]:
    data = csv_bytes([["Nia", "Jones", "1985-02-02", "", "paid", code, on, ""]])
    return read_rows(data, name="nia.csv")


@pytest.mark.parametrize("level", ["registrations_suspended", "approval_withdrawn"])
def test_single_registration_refused_with_the_reason_and_nothing_saved(
    world: World, level: str
) -> None:
    apply(world, level)
    before = counts()
    with pytest.raises(RegistrationRefused) as refused:
        register(world)
    assert counts() == before
    [message] = [m for c, m in refused.value.reasons if c == "centre-sanctioned"]
    if level == "registrations_suspended":
        assert message == SUSPENDED
    else:
        assert message.startswith("Approval withdrawn at this centre since 01/02/2013")


@pytest.mark.parametrize("level", ["registrations_suspended", "approval_withdrawn"])
def test_bulk_import_refused_with_the_reason_and_nothing_saved(world: World, level: str) -> None:
    apply(world, level)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        bulk_import(by=world.user("carol"), centre=world.north, rows=rows())
    assert counts() == before
    assert "centre-sanctioned" in refused.value.errors["row 2"]
    assert REASON in refused.value.errors["row 2"]
    (result,) = bulk_check(by=world.user("carol"), centre=world.north, rows=rows())
    assert any(REASON in e for e in result.errors)


@pytest.mark.parametrize("level", ["action_plan", "claims_suspended"])
def test_milder_sanctions_leave_registration_open(world: World, level: str) -> None:
    apply(world, level)
    assert register(world).pk
    assert bulk_import(
        by=world.user("carol"), centre=world.north, rows=rows(code="EDEXCEL-L3-NVQ-CS")
    )


def test_a_registration_dated_before_the_sanction_is_allowed(world: World) -> None:
    apply(world)
    assert register(world, on=dt.date(2013, 1, 31)).registered_on == dt.date(2013, 1, 31)
    (reg,) = bulk_import(
        by=world.user("carol"), centre=world.north, rows=rows("2013-01-30", "EDEXCEL-L3-NVQ-CS")
    )
    assert reg.registered_on == dt.date(2013, 1, 30)


def test_lifting_reopens_registration_from_the_lift_date(world: World) -> None:
    sanction = apply(world)
    lift(world, sanction, dt.date(2013, 2, 20))
    assert register(world).pk
    (reg,) = bulk_import(
        by=world.user("carol"), centre=world.north, rows=rows(code="EDEXCEL-L3-NVQ-CS")
    )
    assert reg.pk
    # A date inside the suspension is still refused: lifting does not rewrite history.
    with pytest.raises(RegistrationRefused):
        register(world, on=dt.date(2013, 2, 19), code="EDEXCEL-L3-NVQ-CS")


def test_a_qualification_sanction_blocks_only_that_qualification(world: World) -> None:
    apply(world, code="4430-04")
    with pytest.raises(RegistrationRefused, match="suspended for 4430-04"):
        register(world)
    assert register(world, code="EDEXCEL-L3-NVQ-CS").pk


def test_another_centres_sanction_blocks_nothing_here(world: World) -> None:
    apply(world)
    reg = registration_create(
        by=world.user("sue"),
        centre=world.south,
        qualification_key="4430-04",
        candidate_input=adult("Sid"),
        registered_on=MARCH,
    )
    assert reg.pk


def test_claims_blocked(world: World) -> None:
    assert claims_blocked(world.north, "4430-04", MARCH) == []
    sanction = apply(world, "claims_suspended")
    assert claims_blocked(world.north, "4430-04", dt.date(2013, 1, 31)) == []
    assert claims_blocked(world.north, world.dan.qualification, MARCH) == [
        f"certification claims suspended at this centre since 01/02/2013 by the external "
        f"verifier: {REASON}"
    ]
    assert claims_blocked(world.south, "4430-04", MARCH) == []
    lift(world, sanction, MARCH)
    assert claims_blocked(world.north, "4430-04", MARCH) == []
    apply(world, "approval_withdrawn", on=MARCH)
    assert len(claims_blocked(world.north, "4430-04", MARCH)) == 1
    apply(world, "action_plan", on=MARCH)
    assert len(claims_blocked(world.north, "4430-04", MARCH)) == 1
