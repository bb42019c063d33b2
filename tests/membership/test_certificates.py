"""Certificates in the grade's achievements: a unit certificate in force leaves the signed-off
unit counted; revoked for malpractice it takes the unit back although it stays signed off; a
qualification certificate counts the qualification on its issue date."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assay.claims.models import Certificate
from assay.claims.services import (
    batch_submit,
    certificate_revoke,
    claim_approve,
    claim_create,
)
from assay.membership.achievements import achievements_for, person_registrations
from assay.membership.selectors import certificate_membership, membership_get
from assay.registrations.prior_learning import credit_transfer_record
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


def full_certificate(world: World, capture: Any) -> Certificate:
    complete = ["401", "402", "403", "404", "405", "406", "410", "416"]
    for unit in complete:
        credit_transfer_record(
            by=world.user("carol"),
            registration=world.dan,
            unit=unit,
            certificate_reference=f"CT-{unit}",
        )
    claim = claim_create(by=world.user("carol"), registration=world.dan, kind="qualification")
    batch_submit(by=world.user("carol"), centre=world.north, claims=[claim])
    claim.refresh_from_db()
    with capture(execute=True):
        return claim_approve(by=world.user("abby"), claim=claim, confirmed=True)


def test_the_public_certificate_page_names_the_grade_it_supports(
    world: World, django_capture_on_commit_callbacks: Any, page_text: Any
) -> None:
    awarding_body(world)
    cert = full_certificate(world, django_capture_on_commit_callbacks)
    found = certificate_membership(cert.number)
    assert found is not None and found.grade is not None
    assert found.grade.name == "Management"
    body = page_text(Client().get(f"/verify/{cert.number}"))
    assert "Institute of Customer Service membership" in body
    assert "Eligible for Management membership" in body
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            by=world.user("abby"),
            certificate=cert,
            kind="issued_in_error",
            reason="Wrong candidate",
            confirmed=True,
        )
    assert certificate_membership(cert.number) is None
    body = page_text(Client().get(f"/verify/{cert.number}"))
    assert "Revoked" in body and "Institute of Customer Service membership" not in body


def test_a_unit_certificate_supports_no_grade_by_itself(world: World) -> None:
    awarding_body(world)
    agreed(world)
    assert certificate_membership(approved(world).number) is None
