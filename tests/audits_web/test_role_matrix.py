"""Every audit page and form × every role: the exact status each one gets (ADR 0006).

The audit of Acme is in fieldwork, every sampled site scored by its assigned auditor. An audit
the role may not see answers 404 exactly like a missing one (the other organisation's contact,
an auditor of the body not assigned to it, a person with no audit role); a visible audit with
an act the role may not do answers 403; anonymous visitors are sent to sign in, except on the
public register. Each request runs in a savepoint that is rolled back, so every role meets the
same world.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from assay.accounts.invitations import InviteInput, body_invitation_send
from assay.audits import services as svc
from assay.audits.document_review import review_document_upload
from assay.audits.findings import (
    FindingInput,
    corrective_action_respond,
    corrective_action_review,
    finding_raise,
)
from assay.audits.models import AuditDecision, BodyMembership, Certificate
from assay.audits.selectors import action_get
from assay.audits.standards import standard_of
from tests.audits.world import AuditWorld, close_fieldwork, sampled_offices, score_all, to_fieldwork

pytestmark = pytest.mark.django_db

ROLES = (
    "body_admin",
    "auditor",
    "auditor_other",
    "decision_maker",
    "contact",
    "contact_other",
    "nobody",
    "anonymous",
)
SEES_AUDIT = {"body_admin", "auditor", "decision_maker", "contact"}
# Who holds a role at the certifying body (sees that its accounts page exists).
BODY_STAFF = {"body_admin", "auditor", "auditor_other", "decision_maker"}


def expect(visible: set[str], allowed: set[str], ok: int, other: int = 403) -> dict[str, int]:
    """302 for anonymous, 404 outside ``visible``, ``ok`` for ``allowed``, else ``other``."""
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = 302
        elif role not in visible:
            table[role] = 404
        else:
            table[role] = ok if role in allowed else other
    return table


EVERYONE = set(ROLES) - {"anonymous"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: Callable[[AuditWorld], str]
    expected: dict[str, int]
    data: Callable[[AuditWorld], dict[str, Any]] = lambda w: {}


def audit(path: str = "") -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/{w.audit.pk}/{path}"


def site(path: str = "") -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/{w.audit.pk}/sites/{sampled_offices(w.audit)[0]}/{path}"


def accounts(path: str = "") -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/bodies/{w.body.pk}/accounts/{path}"


def invitation(path: str) -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/bodies/{w.body.pk}/accounts/invitations/{w.extra['inv'].pk}/{path}"


def revoke_url(w: AuditWorld) -> str:
    row = BodyMembership.objects.get(user=w["auditor_other"], body=w.body)
    return f"/audits/bodies/{w.body.pk}/accounts/roles/{row.pk}/revoke"


def first_code(w: AuditWorld) -> str:
    return standard_of(w.audit.standard).attributes[0].code


def client_of_other_body(path: str) -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/organisations/{w.extra['rival'].pk}/{path}"


def auditor_page(path: str = "") -> Callable[[AuditWorld], str]:
    """The assigned auditor's competence page (their auditor membership)."""

    def url(w: AuditWorld) -> str:
        row = BodyMembership.objects.get(user=w["auditor"], body=w.body, role="auditor")
        return f"/audits/auditors/{row.pk}/{path}"

    return url


def client(path: str = "") -> Callable[[AuditWorld], str]:
    return lambda w: f"/audits/organisations/{w.acme.pk}/{path}"


def csv_upload(w: AuditWorld) -> dict[str, Any]:
    text = (
        b"organisation_reference,organisation_name,office,state,main\nNEW,New Co,Hobart,TAS,yes\n"
    )
    return {"body": w.body.pk, "file": SimpleUploadedFile("c.csv", text, "text/csv")}


ADMIN_ONLY = expect(EVERYONE, {"body_admin"}, 200)
CLIENT_ENDPOINTS = [
    Endpoint("get", lambda w: "/audits/clients/new", ADMIN_ONLY),
    Endpoint(
        "post",
        lambda w: "/audits/clients/new",
        expect(EVERYONE, {"body_admin"}, 302),
        lambda w: {"body": w.body.pk, "name": "New Co", "reference": "NEW"},
    ),
    Endpoint("get", lambda w: "/audits/clients/import", ADMIN_ONLY),
    Endpoint("post", lambda w: "/audits/clients/import", ADMIN_ONLY, csv_upload),
    Endpoint("get", client("edit"), expect(SEES_AUDIT, {"body_admin"}, 200)),
    Endpoint(
        "post",
        client("edit"),
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"name": "Acme Services Ltd", "reference": "ACME"},
    ),
    Endpoint(
        "post",
        client("divisions"),
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"name": "Wholesale"},
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/organisations/{w.acme.pk}/divisions/{w.extra['retail'].pk}/",
        expect(SEES_AUDIT, {"body_admin"}, 200),
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/organisations/{w.acme.pk}/divisions/{w.extra['retail'].pk}/",
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"name": "Retail banking"},
    ),
    Endpoint("get", client("offices/new"), expect(SEES_AUDIT, {"body_admin"}, 200)),
    Endpoint(
        "post",
        client("offices/new"),
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"name": "Darwin", "state": "NT", "is_main": "on", "complaints": "0"},
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/organisations/{w.acme.pk}/offices/{w.offices['Perth'].pk}/",
        expect(SEES_AUDIT, {"body_admin"}, 200),
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/organisations/{w.acme.pk}/offices/{w.offices['Perth'].pk}/",
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"name": "Perth", "state": "WA", "is_main": "on", "complaints": "3"},
    ),
    # Another body's client is not there for anyone but the operator.
    Endpoint("get", client_of_other_body("edit"), expect(set(), set(), 200)),
]

# The audit programme (issue 15): dates (administrators and the lead auditor), the client's
# cycle, the body's calendar (its people), an auditor's competence (administrators record;
# the auditor and administrators declare conflicts), everyone's own calendar feed.
AUDITOR_READERS = {"body_admin", "decision_maker", "auditor"}
PROGRAMME_ENDPOINTS = [
    Endpoint("get", audit("plan/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint(
        "post",
        audit("plan/"),
        expect(SEES_AUDIT, {"body_admin", "auditor"}, 302),
        lambda w: {"opening_on": "2013-03-05", "closing_on": "2013-03-08"},
    ),
    Endpoint("get", client("programme/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint(
        "get",
        lambda w: f"/audits/bodies/{w.body.pk}/calendar/?month=2013-03",
        expect(BODY_STAFF, BODY_STAFF, 200),
    ),
    Endpoint("get", auditor_page(), expect(AUDITOR_READERS, AUDITOR_READERS, 200)),
    Endpoint(
        "post",
        lambda w: auditor_page()(w).rstrip("/") + "/competence",
        expect(AUDITOR_READERS, {"body_admin"}, 302),
        lambda w: {"kind": "training", "on": "2013-02-01", "title": "ICSS course"},
    ),
    Endpoint(
        "post",
        lambda w: auditor_page()(w).rstrip("/") + "/conflicts",
        expect(AUDITOR_READERS, {"body_admin", "auditor"}, 302),
        lambda w: {"organisation": w.other.pk, "reason": "Former employee"},
    ),
    Endpoint("get", lambda w: "/audits/calendar-feed/", expect(EVERYONE, EVERYONE, 200)),
    Endpoint("post", lambda w: "/audits/calendar-feed/", expect(EVERYONE, EVERYONE, 200)),
    Endpoint("get", lambda w: "/audits/calendar-feed/mine.ics", expect(EVERYONE, EVERYONE, 200)),
]

ENDPOINTS = [
    *PROGRAMME_ENDPOINTS,
    Endpoint("get", lambda w: "/audits/", expect(EVERYONE, EVERYONE, 200)),
    Endpoint("get", lambda w: "/audits/standards/", expect(EVERYONE, EVERYONE, 200)),
    Endpoint("get", lambda w: "/audits/new", expect(EVERYONE, {"body_admin"}, 200)),
    Endpoint(
        "get",
        lambda w: "/audits/new/suggest?field=organisation&organisation=ac",
        expect(EVERYONE, {"body_admin"}, 200),
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/organisations/{w.acme.pk}/",
        expect(SEES_AUDIT, SEES_AUDIT, 200),
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/organisations/{w.other.pk}/",
        expect({"body_admin", "decision_maker", "contact_other"}, EVERYONE, 200),
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/organisations/{w.acme.pk}/ics-membership",
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"ics_membership": "Organisational member since 2006"},
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/organisations/{w.acme.pk}/contacts",
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"username": "operator"},  # not one of the roles tried after it
    ),
    Endpoint("get", audit(), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", audit("sample/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", audit("sample/verify"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", audit("self-assessment/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", site(), expect(SEES_AUDIT, {"auditor"}, 200)),
    Endpoint("get", audit("evidence/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint(
        "get",
        lambda w: f"/audits/{w.audit.pk}/evidence/?office={sampled_offices(w.audit)[0]}",
        expect(SEES_AUDIT, SEES_AUDIT, 200),
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/{w.audit.pk}/evidence/{w.extra['evidence'].pk}/",
        expect(SEES_AUDIT, SEES_AUDIT, 200),
    ),
    # Document review: whoever sees the audit reads; its contact and auditors give documents.
    Endpoint("get", audit("documents/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint(
        "post",
        audit("documents/"),
        expect(SEES_AUDIT, {"auditor", "contact"}, 302),
        lambda w: {
            "file": SimpleUploadedFile("p.txt", b"policy\n", "text/plain"),
            "attributes": first_code(w),
        },
    ),
    Endpoint(
        "get",
        lambda w: f"/audits/{w.audit.pk}/documents/{w.extra['document'].pk}/file",
        expect(SEES_AUDIT, SEES_AUDIT, 200),
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/{w.audit.pk}/documents/{w.extra['document'].pk}/attach",
        expect(SEES_AUDIT, {"auditor", "contact"}, 302),
        lambda w: {"attributes": standard_of(w.audit.standard).attributes[1].code},
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/{w.audit.pk}/documents/{w.extra['document'].pk}/detach",
        expect(SEES_AUDIT, {"auditor", "contact"}, 302),
        lambda w: {"attribute": first_code(w), "reason": "Not this one", "confirm": "yes"},
    ),
    Endpoint("get", audit("results/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", audit("report.pdf"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("post", audit("report-job"), expect(SEES_AUDIT, SEES_AUDIT, 302)),
    Endpoint("get", audit("report.xlsx"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint("get", audit("decision/"), expect(SEES_AUDIT, {"body_admin", "decision_maker"}, 200)),
    # Fieldwork still open: the decision maker is shown why not (400); the lead auditor closes.
    Endpoint(
        "post",
        audit("decision/"),
        expect(SEES_AUDIT, {"decision_maker"}, 400),
        lambda w: {"rationale": "ok"},
    ),
    Endpoint(
        "post",
        audit("close"),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {"summary": "Every site visited"},
    ),
    # No decision yet: the administrator and decision maker are told so (400).
    Endpoint(
        "post", audit("certificate"), expect(SEES_AUDIT, {"body_admin", "decision_maker"}, 400)
    ),
    # Already in fieldwork: whoever may move it on is told it cannot (400).
    Endpoint(
        "post",
        audit("advance"),
        expect(SEES_AUDIT, {"body_admin", "auditor"}, 400),
        lambda w: {"to": "fieldwork"},
    ),
    Endpoint(
        "post",
        audit("auditors"),
        expect(SEES_AUDIT, {"body_admin"}, 302),
        lambda w: {"auditor": w["auditor_other"].pk},
    ),
    Endpoint("post", audit("sample/"), expect(SEES_AUDIT, {"body_admin", "auditor"}, 400)),
    Endpoint(
        "post",
        audit("self-assessment/"),
        expect(SEES_AUDIT, {"contact"}, 400),
        lambda w: {f"score-{first_code(w)}": "5"},
    ),
    Endpoint(
        "post",
        site(),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {f"score-{first_code(w)}": "9"},
    ),
    Endpoint(
        "post",
        site("evidence"),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {
            "attribute": first_code(w),
            "file": SimpleUploadedFile("note.txt", b"seen\n", content_type="text/plain"),
        },
    ),
    Endpoint("post", audit("recertify"), expect(SEES_AUDIT, {"body_admin"}, 400)),
    Endpoint("get", lambda w: "/register/certificates/", dict.fromkeys(ROLES, 200)),
    Endpoint("get", lambda w: "/audits/renewals/", expect(EVERYONE, {"body_admin"}, 200)),
    Endpoint("post", lambda w: "/audits/renewals/send", expect(EVERYONE, {"body_admin"}, 302)),
    # A body's clients (issue 15): its administrators only; who sees the organisation without
    # the role 403, who does not 404 (adding or importing a client: 403 for every other role).
    *CLIENT_ENDPOINTS,
    # The body's sampling rule: its people read it, its administrators choose it.
    Endpoint(
        "get",
        lambda w: f"/audits/bodies/{w.body.pk}/sampling/",
        expect(BODY_STAFF, BODY_STAFF, 200),
    ),
    Endpoint(
        "post",
        lambda w: f"/audits/bodies/{w.body.pk}/sampling/",
        expect(BODY_STAFF, {"body_admin"}, 302),
        lambda w: {"rule": "whole-organisation-sqrt", "random_percent": "30", "note": "IAF MD 1"},
    ),
    # The certifying body's accounts: its administrators only; outsiders do not see it.
    Endpoint("get", accounts(), expect(BODY_STAFF, {"body_admin"}, 200)),
    Endpoint(
        "post",
        accounts("invite"),
        expect(BODY_STAFF, {"body_admin"}, 302),
        lambda w: {"email": "new@example.org", "role": "auditor"},
    ),
    Endpoint("post", invitation("resend"), expect(BODY_STAFF, {"body_admin"}, 302)),
    Endpoint("get", invitation("cancel"), expect(BODY_STAFF, {"body_admin"}, 200)),
    Endpoint("post", invitation("cancel"), expect(BODY_STAFF, {"body_admin"}, 302)),
    Endpoint("get", revoke_url, expect(BODY_STAFF, {"body_admin"}, 200)),
    Endpoint(
        "post",
        revoke_url,
        expect(BODY_STAFF, {"body_admin"}, 302),
        lambda w: {"reason": "Left the body"},
    ),
]


@pytest.fixture
def fieldwork(aw: AuditWorld) -> AuditWorld:
    to_fieldwork(aw)
    score_all(aw, 7)
    aw.extra["evidence"] = svc.site_evidence_attach(
        by=aw["auditor"],
        audit=aw.audit,
        office_id=sampled_offices(aw.audit)[0],
        attribute=first_code(aw),
        upload=io.BytesIO(b"complaints log\n"),
        original_name="log.txt",
    )
    aw.extra["document"] = review_document_upload(
        by=aw["contact"],
        audit=aw.audit,
        upload=io.BytesIO(b"complaints policy\n"),
        original_name="policy.txt",
        attributes=[first_code(aw)],
    )
    operator = aw["operator"]
    rival = svc.body_create(by=operator, name="Rival", reference="RIV")
    aw.extra["rival"] = svc.organisation_create(
        by=operator, body=rival, name="Rival client", reference="RIVC"
    )
    aw.extra["inv"] = body_invitation_send(
        by=aw["body_admin"], body=aw.body, data=InviteInput("pending@example.org", "auditor")
    ).invitation
    return aw


FINDING_ENDPOINTS = [
    # Findings: everyone who sees the audit reads them (the contact included); the assigned
    # auditor raises, reviews and verifies; the organisation's contact answers.
    Endpoint("get", audit("findings/"), expect(SEES_AUDIT, SEES_AUDIT, 200)),
    Endpoint(
        "post",
        audit("findings/raise"),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {
            "office": sampled_offices(w.audit)[0],
            "attribute": first_code(w),
            "grade": "observation",
            "summary": "Signage faded",
            "evidence": "Seen at the counter",
        },
    ),
    Endpoint(
        "post",
        audit("findings/1/respond"),
        expect(SEES_AUDIT, {"contact"}, 302),
        lambda w: {"owner": "J. Smith", "response": "A log from Monday"},
    ),
    Endpoint(
        "post",
        audit("findings/2/review"),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {"decision": "accept"},
    ),
    Endpoint(
        "post",
        audit("findings/3/review"),
        expect(SEES_AUDIT, {"auditor"}, 302),
        lambda w: {"decision": "verify", "note": "Log seen"},
    ),
    Endpoint(
        "post",
        audit("findings/99/review"),
        expect(SEES_AUDIT, set(), 404, 404),
        lambda w: {"decision": "accept"},
    ),
]


@pytest.fixture
def with_findings(fieldwork: AuditWorld) -> AuditWorld:
    aw = fieldwork
    for number in (1, 2, 3):  # F1 open, F2 proposed, F3 accepted
        finding_raise(
            by=aw["auditor"],
            audit=aw.audit,
            data=FindingInput(
                sampled_offices(aw.audit)[0],
                first_code(aw),
                "major",
                f"Finding {number}",
                "Seen",
                due_on=dt.date(2013, 4, 1),
            ),
        )
    for number in (2, 3):
        action = action_get(aw["contact"], aw.audit.pk, number)
        corrective_action_respond(by=aw["contact"], action=action, owner="J", response="plan")
    corrective_action_review(
        by=aw["auditor"], action=action_get(aw["auditor"], aw.audit.pk, 3), accept=True, note=""
    )
    return aw


def _client(w: AuditWorld, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w[role])
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.url.__name__}")
def test_every_role_gets_the_expected_status(fieldwork: AuditWorld, endpoint: Endpoint) -> None:
    got = {}
    for role in ROLES:
        client = _client(fieldwork, role)
        with transaction.atomic():
            response = getattr(client, endpoint.method)(
                endpoint.url(fieldwork), endpoint.data(fieldwork)
            )
            got[role] = response.status_code
            transaction.set_rollback(True)
        if role == "anonymous" and got[role] == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert got == endpoint.expected


@pytest.mark.parametrize("endpoint", FINDING_ENDPOINTS, ids=lambda e: e.url(_Fake()))
def test_every_role_on_findings(with_findings: AuditWorld, endpoint: Endpoint) -> None:
    """F1 open, F2 proposed, F3 accepted (majors)."""
    test_every_role_gets_the_expected_status(with_findings, endpoint)


class _Fake:
    class audit:
        pk = "A"


def test_an_evidence_file_of_another_audit_is_404(fieldwork: AuditWorld) -> None:
    other = svc.audit_create(
        by=fieldwork["body_admin"], organisation=fieldwork.acme, standard=fieldwork.standard
    )
    url = f"/audits/{other.pk}/evidence/{fieldwork.extra['evidence'].pk}/"
    assert _client(fieldwork, "body_admin").get(url).status_code == 404


def test_an_office_outside_the_sample_is_404_for_the_assigned_auditor(
    fieldwork: AuditWorld,
) -> None:
    outside = fieldwork.offices["Brisbane"].pk  # Other Co's office
    response = _client(fieldwork, "auditor").get(f"/audits/{fieldwork.audit.pk}/sites/{outside}/")
    assert response.status_code == 404


def test_certificate_page_for_each_role(fieldwork: AuditWorld) -> None:
    close_fieldwork(fieldwork.audit)
    _client(fieldwork, "decision_maker").post(
        f"/audits/{fieldwork.audit.pk}/decision/", {"rationale": "ok"}
    )
    response = _client(fieldwork, "decision_maker").post(
        f"/audits/{fieldwork.audit.pk}/certificate"
    )
    url = response["Location"]
    got = {role: _client(fieldwork, role).get(url).status_code for role in ROLES}
    assert got == expect(SEES_AUDIT, SEES_AUDIT, 200)
    # The printable certificate (PDF): the same people, not public (docs/audits.md).
    got = {
        role: _client(fieldwork, role).get(url + "certificate.pdf").status_code for role in ROLES
    }
    assert got == expect(SEES_AUDIT, SEES_AUDIT, 200)


def test_certificate_withdrawal_for_each_role(fieldwork: AuditWorld) -> None:
    """Only the body's administrators withdraw; whoever does not see the certificate gets
    404; a refused request changes nothing."""
    close_fieldwork(fieldwork.audit)
    _client(fieldwork, "decision_maker").post(
        f"/audits/{fieldwork.audit.pk}/decision/", {"rationale": "ok"}
    )
    _client(fieldwork, "decision_maker").post(f"/audits/{fieldwork.audit.pk}/certificate")
    certificate = Certificate.objects.get()
    url = f"/audits/certificates/{certificate.number}/withdraw"
    got = {}
    for role in ROLES:
        with transaction.atomic():
            response = _client(fieldwork, role).post(url, {"reason": "misuse of the mark"})
            got[role] = response.status_code
            certificate.refresh_from_db()
            assert (certificate.withdrawn_on is not None) == (role == "body_admin")
            transaction.set_rollback(True)
    assert got == expect(SEES_AUDIT, {"body_admin"}, 302)


def test_decision_maker_who_scored_is_refused_with_the_reason(aw: AuditWorld) -> None:
    admin, dm = aw["body_admin"], aw["decision_maker"]
    svc.body_role_grant(by=admin, body=aw.body, user=dm, role="auditor")
    svc.auditor_assign(by=admin, audit=aw.audit, auditor=dm)
    to_fieldwork(aw)
    office = sampled_offices(aw.audit)[0]
    code = standard_of(aw.standard).attributes[0].code
    svc.site_score_record(by=dm, audit=aw.audit, entries=[svc.SiteScoreInput(office, code, 6)])
    client = _client(aw, "decision_maker")
    page = client.get(f"/audits/{aw.audit.pk}/decision/").content.decode()
    assert "You scored sites in this audit" in page
    assert "Confirm and record the decision" not in page
    response = client.post(f"/audits/{aw.audit.pk}/decision/")
    assert response.status_code == 403
    assert "You scored sites in this audit" in response.content.decode()
    assert not AuditDecision.objects.exists()


def test_every_audit_url_is_in_the_matrix() -> None:
    """A new page or form under /audits/ or /register/ must join the matrix above (the
    certificate page, its withdrawal and the office outside the sample have their own tests)."""
    from assay.web.urls import urlpatterns

    routes = {
        str(p.pattern) for p in urlpatterns if str(p.pattern).startswith(("audits", "register/"))
    }
    assert routes == {
        "audits/",
        "audits/standards/",
        "audits/new",
        "audits/new/suggest",
        "audits/bodies/<int:pk>/accounts/",
        "audits/bodies/<int:pk>/sampling/",
        "audits/bodies/<int:pk>/accounts/invite",
        "audits/bodies/<int:pk>/accounts/invitations/<int:invitation_pk>/resend",
        "audits/bodies/<int:pk>/accounts/invitations/<int:invitation_pk>/cancel",
        "audits/bodies/<int:pk>/accounts/roles/<int:membership_pk>/revoke",
        "audits/organisations/<int:pk>/",
        "audits/organisations/<int:pk>/ics-membership",
        "audits/organisations/<int:pk>/contacts",
        "audits/certificates/<str:number>/",
        "audits/certificates/<str:number>/withdraw",
        "audits/certificates/<str:number>/certificate.pdf",
        "audits/renewals/",
        "audits/renewals/send",
        "audits/clients/new",
        "audits/clients/import",
        "audits/organisations/<int:pk>/edit",
        "audits/organisations/<int:pk>/divisions",
        "audits/organisations/<int:pk>/divisions/<int:division_pk>/",
        "audits/organisations/<int:pk>/offices/new",
        "audits/organisations/<int:pk>/offices/<int:office_pk>/",
        "audits/<int:pk>/",
        "audits/<int:pk>/advance",
        "audits/<int:pk>/auditors",
        "audits/<int:pk>/recertify",
        "audits/<int:pk>/sample/",
        "audits/<int:pk>/sample/verify",
        "audits/<int:pk>/self-assessment/",
        "audits/<int:pk>/sites/<int:office_pk>/",
        "audits/<int:pk>/sites/<int:office_pk>/evidence",
        "audits/<int:pk>/evidence/",
        "audits/<int:pk>/evidence/<int:file_pk>/",
        "audits/<int:pk>/documents/",
        "audits/<int:pk>/documents/<int:document_pk>/file",
        "audits/<int:pk>/documents/<int:document_pk>/attach",
        "audits/<int:pk>/documents/<int:document_pk>/detach",
        "audits/<int:pk>/results/",
        "audits/<int:pk>/report.pdf",
        "audits/<int:pk>/report-job",
        "audits/<int:pk>/report.xlsx",
        "audits/<int:pk>/decision/",
        "audits/<int:pk>/certificate",
        "audits/<int:pk>/findings/",
        "audits/<int:pk>/findings/raise",
        "audits/<int:pk>/findings/<int:number>/respond",
        "audits/<int:pk>/findings/<int:number>/review",
        "audits/<int:pk>/close",
        "audits/<int:pk>/plan/",
        "audits/organisations/<int:pk>/programme/",
        "audits/bodies/<int:pk>/calendar/",
        "audits/auditors/<int:pk>/",
        "audits/auditors/<int:pk>/competence",
        "audits/auditors/<int:pk>/conflicts",
        "audits/calendar-feed/",
        "audits/calendar-feed/mine.ics",
        "register/certificates/",
    }
