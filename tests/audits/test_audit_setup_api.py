"""The API gaps a token-only client met (issue 15): create a body, grant its roles, name an
organisation's contacts, download the report as PDF and XLSX — every role, and bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assay.audits.models import BodyMembership, CertifyingBody, OrganisationContact
from tests.audits.test_audit_api import SEES_AUDIT, STAFF, call, expect, matrix
from tests.audits.world import AuditWorld, close_and_decide, score_all, to_fieldwork
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_only_the_operator_creates_a_body(aw: AuditWorld) -> None:
    body = {"name": "New body", "reference": "NB", "certificate_prefix": "NB"}
    table = {role: 403 for role in expect(set(), 201)}
    table["anonymous"] = 401
    matrix(aw, "post", "bodies", body, table)
    made = call(aw, "operator", "post", "bodies", body)
    assert made.status_code == 201 and made.json()["reference"] == "NB"
    assert call(aw, "operator", "post", "bodies", body).status_code == 422  # same reference
    bad = {"name": "Bad\x07", "reference": "BAD"}
    assert call(aw, "operator", "post", "bodies", bad).status_code == 422
    assert not CertifyingBody.objects.filter(reference="BAD").exists()


def test_roles_are_granted_by_the_bodys_administrators(aw: AuditWorld) -> None:
    make_user("newcomer")
    grant = {"username": "newcomer", "role": "auditor"}
    table = expect({"body_admin"}, 201, visible=STAFF)
    matrix(aw, "post", f"bodies/{aw.body.pk}/roles", grant, table)
    assert call(aw, "body_admin", "post", f"bodies/{aw.body.pk}/roles", grant).status_code == 201
    assert BodyMembership.objects.filter(user__username="newcomer", role="auditor").exists()
    for wrong in ({"username": "ghost", "role": "auditor"}, {"username": "newcomer", "role": "x"}):
        assert (
            call(aw, "body_admin", "post", f"bodies/{aw.body.pk}/roles", wrong).status_code == 422
        )


def test_contacts_are_named_by_the_bodys_administrators(aw: AuditWorld) -> None:
    make_user("client_person")
    grant = {"username": "client_person"}
    path = f"organisations/{aw.acme.pk}/contacts"
    # Who sees Acme: the body's administrators and decision makers, the assigned auditor, Acme's
    # contact.
    matrix(aw, "post", path, grant, expect({"body_admin"}, 201))
    assert call(aw, "body_admin", "post", path, grant).status_code == 201
    assert OrganisationContact.objects.filter(user__username="client_person").exists()
    staff = call(aw, "body_admin", "post", path, {"username": "auditor"})
    assert staff.status_code == 422  # the body's own staff cannot be a client's contact


def test_report_files_for_whoever_sees_the_audit(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    score_all(aw)
    close_and_decide(aw["decision_maker"], aw.audit)
    a = aw.audit.pk
    matrix(aw, "get", f"audits/{a}/report.pdf", None, expect(SEES_AUDIT, 200))
    pdf = call(aw, "contact", "get", f"audits/{a}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = call(aw, "auditor", "get", f"audits/{a}/report.xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames
