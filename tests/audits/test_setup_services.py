"""Setting up a body's clients: who may, what is refused (nothing changes), and the certificate
number's check letter as a property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.audits import services as svc
from assay.audits.certificates import check_letter, well_formed
from assay.audits.models import (
    Audit,
    BodyMembership,
    CertifyingBody,
    Office,
    Organisation,
    OrganisationContact,
)
from assay.audits.selectors import audit_get, organisation_get
from assay.errors import InvalidInput, NotAllowed, NotFound
from tests.audits.world import AuditWorld

pytestmark = pytest.mark.django_db


def rows() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (CertifyingBody, BodyMembership, Organisation, Office, OrganisationContact, Audit)
    )


@pytest.mark.parametrize("role", ["auditor", "decision_maker", "contact", "nobody"])
def test_only_administrators_set_up_clients(aw: AuditWorld, role: str) -> None:
    before = rows()
    user = aw[role]
    calls = [
        lambda: svc.organisation_create(by=user, body=aw.body, name="X", reference="X1"),
        lambda: svc.division_add(by=user, organisation=aw.acme, name="Wholesale"),
        lambda: svc.office_add(
            by=user, organisation=aw.acme, data=svc.OfficeInput("Hobart", "TAS", is_main=True)
        ),
        lambda: svc.contact_grant(by=user, organisation=aw.acme, user=aw["nobody"]),
        lambda: svc.body_role_grant(by=user, body=aw.body, user=aw["nobody"], role="auditor"),
        lambda: svc.audit_create(by=user, organisation=aw.acme, standard=aw.standard),
        lambda: svc.auditor_assign(by=user, audit=aw.audit, auditor=aw["auditor_other"]),
        lambda: svc.body_create(by=user, name="B", reference="B"),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    assert rows() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (svc.OfficeInput("Sydney", "NSW"), "name"),
        (svc.OfficeInput("Albury", "NSW", is_main=True), "is_main"),
        (svc.OfficeInput("Albury", ""), "state"),
        (svc.OfficeInput("Albury", "NSW", is_division_main=True), "is_division_main"),
        (svc.OfficeInput("Albury", "NSW", division_id=999999), "division"),
        (svc.OfficeInput("Albury", "NSW", complaints=-1), "complaints"),
    ],
)
def test_office_refusals(aw: AuditWorld, data: svc.OfficeInput, field: str) -> None:
    before = rows()
    with pytest.raises(InvalidInput) as info:
        svc.office_add(by=aw["body_admin"], organisation=aw.acme, data=data)
    assert field in info.value.errors
    assert rows() == before


def test_staff_cannot_be_client_contacts_and_auditors_must_hold_the_role(aw: AuditWorld) -> None:
    before = rows()
    with pytest.raises(InvalidInput, match="staff of the certifying body"):
        svc.contact_grant(by=aw["body_admin"], organisation=aw.acme, user=aw["auditor"])
    with pytest.raises(InvalidInput, match="not an auditor"):
        svc.auditor_assign(by=aw["body_admin"], audit=aw.audit, auditor=aw["contact"])
    with pytest.raises(InvalidInput, match="not a division"):
        svc.audit_create(
            by=aw["body_admin"],
            organisation=aw.other,
            standard=aw.standard,
            division=aw.extra["retail"],
        )
    assert rows() == before


def test_status_moves_only_forward_in_order(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    with pytest.raises(InvalidInput, match="next is self_assessment"):
        svc.audit_advance(by=admin, audit=aw.audit, to="fieldwork")
    svc.audit_advance(by=admin, audit=aw.audit, to="self_assessment")
    with pytest.raises(InvalidInput, match="draw the sample"):
        svc.audit_advance(by=admin, audit=aw.audit, to="fieldwork")
    with pytest.raises(InvalidInput, match="recording the decision"):
        svc.audit_advance(by=admin, audit=aw.audit, to="decided")
    with pytest.raises(NotAllowed):
        svc.audit_advance(by=aw["contact"], audit=aw.audit, to="fieldwork")
    assert list(aw.audit.status_history.values_list("status", flat=True)) == [
        "planned",
        "self_assessment",
    ]


def test_visibility_of_organisations_and_audits(aw: AuditWorld) -> None:
    for role in ("auditor_other", "contact_other", "nobody"):
        with pytest.raises(NotFound):
            audit_get(aw[role], aw.audit.pk)
        with pytest.raises(NotFound):
            organisation_get(aw[role], aw.acme.pk)
    for role in ("body_admin", "auditor", "decision_maker", "contact"):
        assert audit_get(aw[role], aw.audit.pk) == aw.audit
        assert organisation_get(aw[role], aw.acme.pk) == aw.acme


@given(
    year=st.integers(2000, 2099),
    serial=st.integers(0, 999_999),
    position=st.integers(0, 5),
    delta=st.integers(1, 9),
)
def test_check_letter_catches_any_single_digit_change(
    year: int, serial: int, position: int, delta: int
) -> None:
    digits = f"{serial:06d}"
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    letter = check_letter("ICSS", year, serial)
    assert well_formed(f"ICSS-{year}-{digits}-{letter}")
    assert not well_formed(f"ICSS-{year}-{changed}-{letter}")


@given(year=st.integers(2000, 2099), serial=st.integers(0, 999_999), position=st.integers(0, 4))
def test_check_letter_catches_neighbour_swaps(year: int, serial: int, position: int) -> None:
    digits = f"{serial:06d}"
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
    letter = check_letter("ICSS", year, serial)
    assert well_formed(f"ICSS-{year}-{swapped}-{letter}") == (swapped == digits)
