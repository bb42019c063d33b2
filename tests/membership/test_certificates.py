"""Certificates in the grade's achievements: a unit certificate in force leaves the signed-off
unit counted; revoked for malpractice it takes the unit back although it stays signed off; a
qualification certificate counts the qualification on its issue date."""

from __future__ import annotations

import pytest

from assay.claims.services import certificate_revoke
from assay.membership.achievements import achievements_for, person_registrations
from assay.membership.selectors import membership_get
from tests.claims.helpers import agreed, approved, awarding_body
from tests.world import World

pytestmark = pytest.mark.django_db


def units(world: World) -> list[str]:
    return [
        u.number for u in membership_get(world.user("carol"), world.dan.pk).customer_service_units
    ]


def test_revoked_unit_certificate_takes_the_unit_back(world: World) -> None:
    awarding_body(world)
    agreed(world)
    cert = approved(world)
    assert units(world) == ["403"]
    certificate_revoke(
        by=world.user("abby"),
        certificate=cert,
        kind="malpractice",
        reason="Copied evidence",
        confirmed=True,
    )
    assert units(world) == []


def test_qualification_certificate_counts_on_its_issue_date(world: World) -> None:
    awarding_body(world)
    agreed(world)
    cert = approved(world)
    cert.kind = "qualification"
    cert.save(update_fields=["kind"])
    regs = person_registrations(world.user("carol"), world.dan)
    (qual,) = achievements_for(regs).qualifications
    assert qual.how == f"certificate {cert.number}"
    assert qual.achieved_on == cert.issued_on
