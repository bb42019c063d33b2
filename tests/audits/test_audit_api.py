"""The audit API: the whole cycle over HTTP, and every endpoint × every role — the exact status
each one gets (401 anonymous, 404 not visible, 403 visible but not allowed). Each request runs
in a savepoint that is rolled back, so every role meets the same world."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from assay.accounts.services import token_create
from assay.audits import services as svc
from assay.audits.certificates import certificate_issue
from assay.audits.models import BodyMembership, Certificate, SiteScore
from tests.audits.mini import MINI
from tests.audits.world import (
    ROLES,
    SEED,
    AuditWorld,
    close_and_decide,
    sampled_offices,
    score_all,
    to_fieldwork,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/"
# Who sees Acme's audit (and Acme): its body's administrators and decision makers, the assigned
# auditor and Acme's contact. Nobody else.
SEES_AUDIT = {"body_admin", "auditor", "decision_maker", "contact"}
STAFF = {"body_admin", "auditor", "auditor_other", "decision_maker"}  # the body's people


def expect(allowed: set[str], ok: int, visible: set[str] = SEES_AUDIT) -> dict[str, int]:
    table = {"anonymous": 401}
    for role in ROLES:
        if role not in visible:
            table[role] = 404
        else:
            table[role] = ok if role in allowed else 403
    return table


def call(w: AuditWorld, role: str, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    client = Client()
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + token_create(user=w[role])[1]
    if method == "get":
        return client.get(API + path, **headers)
    if "files" in extra:
        return client.post(API + path, extra["files"], **headers)
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json", **headers
    )


def matrix(
    w: AuditWorld, method: str, path: str, body: Any, table: dict[str, int], **kw: Any
) -> None:
    got = {}
    for role in ["anonymous", *ROLES]:
        with transaction.atomic():
            files = kw.get("files")
            extra = {"files": files()} if files else {}
            response = call(w, role, method, path, body, **extra)
            got[role] = response.status_code
            if response.status_code >= 400:
                assert response.json()["error"]["status"] == response.status_code
            transaction.set_rollback(True)
    assert got == table, path


@pytest.fixture
def fieldwork(aw: AuditWorld) -> AuditWorld:
    to_fieldwork(aw)
    return aw


def _endpoints(w: AuditWorld) -> list[tuple[str, str, Any, dict[str, int], Any]]:
    a = w.audit.pk
    office = sampled_offices(w.audit)[0]
    upload: Callable[[], Any] = lambda: {"file": SimpleUploadedFile("n.txt", b"notes\n")}  # noqa: E731
    all_visible = SEES_AUDIT
    return [
        ("get", f"audits/{a}", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/sample", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/sample?verify=true", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/scores", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/self-assessment", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/evidence", None, expect(all_visible, 200), None),
        (
            "get",
            f"audits/{a}/evidence?office={office}&attribute=S1.1",
            None,
            expect(all_visible, 200),
            None,
        ),
        ("get", f"audits/{a}/results", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/report", None, expect(all_visible, 200), None),
        ("get", f"audits/{a}/decision", None, expect(all_visible, 404), None),
        ("get", f"organisations/{w.acme.pk}", None, expect(all_visible, 200), None),
        (
            "post",
            "audits",
            {"organisation": w.acme.pk, "standard": "icss-illustrative"},
            expect({"body_admin"}, 201),
            None,
        ),
        (
            "post",
            f"audits/{a}/advance",
            {"to": "fieldwork"},
            expect({"body_admin", "auditor"}, 422),
            None,
        ),
        (
            "post",
            f"audits/{a}/auditors",
            {"username": "auditor_other"},
            expect({"body_admin"}, 200),
            None,
        ),
        ("post", f"audits/{a}/sample", {}, expect({"body_admin", "auditor"}, 422), None),
        (
            "post",
            f"audits/{a}/self-assessment",
            {"entries": [{"attribute": "S1.1", "score": 5}]},
            expect({"contact"}, 422),
            None,
        ),
        (
            "post",
            f"audits/{a}/scores",
            {"entries": [{"office": office, "attribute": "S1.1", "score": 5}]},
            expect({"auditor"}, 201),
            None,
        ),
        (
            "post",
            f"audits/{a}/evidence?office={office}&attribute=S1.1",
            None,
            expect({"auditor"}, 201),
            upload,
        ),
        # Fieldwork still open: the decision maker is told to wait for the report (422).
        (
            "post",
            f"audits/{a}/decision",
            {"rationale": "ok"},
            expect({"decision_maker"}, 422),
            None,
        ),
        (
            "post",
            f"audits/{a}/fieldwork-report",
            {"summary": "Every site visited"},
            expect({"auditor"}, 201),
            None,
        ),
        (
            "post",
            f"audits/{a}/certificate",
            {},
            expect({"body_admin", "decision_maker"}, 422),
            None,
        ),
        ("post", f"audits/{a}/recertify", {}, expect({"body_admin"}, 422), None),
        # A body's clients (issue 15): its administrators write; who sees the organisation
        # without the role 403, who does not 404; adding or importing a client 403 for others.
        *_client_endpoints(w),
        # The body's sampling rule: its people read it, its administrators choose it.
        ("get", f"bodies/{w.body.pk}/sampling-rule", None, expect(STAFF, 200, STAFF), None),
        (
            "post",
            f"bodies/{w.body.pk}/sampling-rule",
            {"rule": "whole-organisation-sqrt", "random_percent": 30, "note": "IAF MD 1"},
            expect({"body_admin"}, 201, STAFF),
            None,
        ),
        # The certifying body's accounts: its administrators only; outsiders do not see it.
        ("get", f"bodies/{w.body.pk}/accounts", None, expect({"body_admin"}, 200, STAFF), None),
        (
            "post",
            f"bodies/{w.body.pk}/invitations",
            {"email": "new@example.org", "role": "auditor"},
            expect({"body_admin"}, 201, STAFF),
            None,
        ),
        (
            "post",
            f"bodies/{w.body.pk}/roles/{_role_of(w, 'auditor_other')}/revoke",
            {"reason": "Left the body"},
            expect({"body_admin"}, 200, STAFF),
            None,
        ),
    ]


def _client_endpoints(w: AuditWorld) -> list[tuple[str, str, Any, dict[str, int], Any]]:
    org, perth, retail = w.acme.pk, w.offices["Perth"].pk, w.extra["retail"].pk
    csv = b"organisation_reference,organisation_name,office,state,main\nNEW,New,Hobart,TAS,yes\n"
    upload: Callable[[], Any] = lambda: {"file": SimpleUploadedFile("c.csv", csv)}  # noqa: E731
    text = MINI.encode()
    spec: Callable[[], Any] = lambda: {"file": SimpleUploadedFile("mini.yaml", text)}  # noqa: E731
    everyone = set(ROLES)
    return [
        ("get", f"organisations/{org}/client", None, expect(SEES_AUDIT, 200), None),
        ("patch", f"organisations/{org}", {"name": "Acme Ltd"}, expect({"body_admin"}, 200), None),
        (
            "post",
            f"organisations/{org}/divisions",
            {"name": "Wholesale"},
            expect({"body_admin"}, 201),
            None,
        ),
        (
            "patch",
            f"organisations/{org}/divisions/{retail}",
            {"name": "Shops"},
            expect({"body_admin"}, 200),
            None,
        ),
        (
            "post",
            f"organisations/{org}/offices",
            {"name": "Darwin", "state": "NT", "is_main": True},
            expect({"body_admin"}, 201),
            None,
        ),
        (
            "patch",
            f"organisations/{org}/offices/{perth}",
            {"complaints": 3},
            expect({"body_admin"}, 200),
            None,
        ),
        (
            "post",
            "organisations",
            {"name": "New Co", "reference": "NEW"},
            expect({"body_admin"}, 201, everyone),
            None,
        ),
        (
            "post",
            "client-imports?dry_run=true",
            None,
            expect({"body_admin"}, 200, everyone),
            upload,
        ),
        ("post", "client-imports", None, expect({"body_admin"}, 201, everyone), upload),
        # Only the operator imports standards (shared by every body): tests/audits/test_standard_api
        ("post", "standards?dry_run=true", None, expect(set(), 200, everyone), spec),
        ("post", "standards", None, expect(set(), 201, everyone), spec),
    ]


def _role_of(w: AuditWorld, role: str) -> int:
    return BodyMembership.objects.get(user=w[role], body=w.body).pk


def test_every_audit_endpoint_for_every_role(fieldwork: AuditWorld) -> None:
    for method, path, body, table, files in _endpoints(fieldwork):
        matrix(fieldwork, method, path, body, table, files=files)


def test_missing_audit_answers_like_a_forbidden_one(fieldwork: AuditWorld) -> None:
    missing = call(fieldwork, "body_admin", "get", "audits/999999")
    hidden = call(fieldwork, "contact_other", "get", f"audits/{fieldwork.audit.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json()["error"]["code"] == hidden.json()["error"]["code"] == "not_found"


def test_lists_are_narrowed(fieldwork: AuditWorld) -> None:
    for role, count in [
        ("body_admin", 1),
        ("auditor", 1),
        ("auditor_other", 0),
        ("decision_maker", 1),
        ("contact", 1),
        ("contact_other", 0),
        ("nobody", 0),
    ]:
        assert len(call(fieldwork, role, "get", "audits").json()["items"]) == count, role
    listed = call(fieldwork, "contact_other", "get", "organisations").json()["items"]
    names = {o["name"] for o in listed}
    assert names == {"Other Co"}
    assert call(fieldwork, "anonymous", "get", "audits").status_code == 401


def test_decision_maker_who_scored_is_refused(fieldwork: AuditWorld) -> None:
    w = fieldwork
    svc.body_role_grant(by=w["body_admin"], body=w.body, user=w["decision_maker"], role="auditor")
    svc.auditor_assign(by=w["body_admin"], audit=w.audit, auditor=w["decision_maker"])
    office = sampled_offices(w.audit)[0]
    scored = call(
        w,
        "decision_maker",
        "post",
        f"audits/{w.audit.pk}/scores",
        {"entries": [{"office": office, "attribute": "S1.1", "score": 6}]},
    )
    assert scored.status_code == 201
    refused = call(w, "decision_maker", "post", f"audits/{w.audit.pk}/decision", {"rationale": "x"})
    assert refused.status_code == 403 and "did not assess" in refused.json()["error"]["message"]


def test_bad_scores_answer_422_and_change_nothing(fieldwork: AuditWorld) -> None:
    office = sampled_offices(fieldwork.audit)[0]
    response = call(
        fieldwork,
        "auditor",
        "post",
        f"audits/{fieldwork.audit.pk}/scores",
        {
            "entries": [
                {"office": office, "attribute": "S1.1", "score": 5},
                {"office": office, "attribute": "S1.2", "score": 11},
            ]
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "entries[1]"
    assert SiteScore.objects.count() == 0


def test_cycle_over_http_and_public_check(aw: AuditWorld) -> None:
    created = call(
        aw,
        "body_admin",
        "post",
        "audits",
        {"organisation": aw.acme.pk, "standard": "icss-illustrative"},
    )
    assert created.status_code == 201
    a = created.json()["id"]
    assert (
        call(aw, "body_admin", "post", f"audits/{a}/auditors", {"username": "auditor"}).status_code
        == 200
    )
    assert (
        call(aw, "body_admin", "post", f"audits/{a}/advance", {"to": "self_assessment"}).status_code
        == 200
    )
    expected = call(
        aw,
        "contact",
        "post",
        f"audits/{a}/self-assessment",
        {"entries": [{"attribute": "S1.1", "score": 8, "note": "confident"}]},
    )
    assert expected.status_code == 201
    drawn = call(aw, "auditor", "post", f"audits/{a}/sample", {"seed": SEED})
    assert drawn.status_code == 201
    picks = drawn.json()["picks"]
    assert {p["name"] for p in picks if p["how"] == "main"} == {"Sydney", "Melbourne", "Perth"}
    assert (
        call(aw, "auditor", "post", f"audits/{a}/advance", {"to": "fieldwork"}).status_code == 200
    )
    from assay.audits.models import Audit

    score_all(aw, 6, audit=Audit.objects.get(pk=a))
    closed = call(aw, "auditor", "post", f"audits/{a}/fieldwork-report", {"summary": "Done"})
    assert closed.status_code == 201 and closed.json()["submitted_by"] == "auditor"
    decision = call(
        aw,
        "decision_maker",
        "post",
        f"audits/{a}/decision",
        {"rationale": "Reviewed", "conditions": "Re-visit Perth"},
    )
    assert decision.json()["rationale"] == "Reviewed"
    assert decision.status_code == 201 and decision.json()["certifiable"] is True
    verify = call(aw, "contact", "get", f"audits/{a}/decision?verify=true").json()["verify"]
    assert verify["agrees"] is True
    results = call(aw, "contact", "get", f"audits/{a}/results").json()
    assert results["gaps"][0] == {"attribute": "S1.1", "expected": 8, "actual": 6.0, "gap": 2.0}
    assert {n["code"] for n in results["nodes"]} >= {"S", "S1", "L3"}
    full = call(aw, "contact", "get", f"audits/{a}/report").json()
    assert full["decision"]["certifiable"] == results["decision"]["certifiable"]
    issued = call(aw, "decision_maker", "post", f"audits/{a}/certificate")
    assert issued.status_code == 201
    number = issued.json()["number"]
    shown = call(aw, "anonymous", "get", f"public/certificates/{number}")
    assert shown.status_code == 200
    assert set(shown.json()) == {
        "number",
        "organisation",
        "scope",
        "states",
        "standard",
        "issued_on",
        "valid_through",
        "expires_on",
        "status",
        "mark",
    }
    assert shown.json()["status"] == "valid"
    assert call(aw, "anonymous", "get", "public/certificates/ICSS-2013-000000-A").status_code == 404
    assert call(aw, "anonymous", "get", "standards").status_code == 200
    standard = call(aw, "anonymous", "get", "standards/icss-illustrative").json()
    assert standard["illustrative"] is True and len(standard["scale"]) == 3


def test_certificate_endpoints_for_every_role(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    close_and_decide(aw["decision_maker"], aw.audit)
    number = certificate_issue(by=aw["body_admin"], audit=aw.audit).number
    matrix(aw, "get", f"certificates/{number}", None, expect(SEES_AUDIT, 200))
    # the printable certificate: the same people, not public (docs/audits.md)
    matrix(aw, "get", f"certificates/{number}/certificate.pdf", None, expect(SEES_AUDIT, 200))
    matrix(aw, "get", f"audits/{aw.audit.pk}/decision", None, expect(SEES_AUDIT, 200))
    matrix(
        aw,
        "post",
        f"certificates/{number}/withdraw",
        {"reason": "misuse"},
        expect({"body_admin"}, 200),
    )
    public = {role: 200 for role in ["anonymous", *ROLES]}
    matrix(aw, "get", f"public/certificates/{number}", None, public)
    matrix(aw, "get", "public/certificates?q=acme", None, public)
    assert Certificate.objects.get(number=number).withdrawn_on is None


def _finding_endpoints(w: AuditWorld) -> list[tuple[str, str, Any, dict[str, int], Any]]:
    a = w.audit.pk
    office = sampled_offices(w.audit)[0]
    all_visible = SEES_AUDIT
    return [
        ("get", f"audits/{a}/findings", None, expect(all_visible, 200), None),
        (
            "post",
            f"audits/{a}/findings",
            {
                "office": office,
                "attribute": "S1.1",
                "grade": "major",
                "summary": "No log",
                "evidence": "Asked for it",
                "due_on": "2013-04-01",
            },
            expect({"auditor"}, 201),
            None,
        ),
        (
            "post",
            f"audits/{a}/findings/1/response",
            {"owner": "J. Smith", "response": "A log from Monday"},
            expect({"contact"}, 200),
            None,
        ),
        (
            "post",
            f"audits/{a}/findings/2/review",
            {"accept": False, "note": "Who reviews it?"},
            expect({"auditor"}, 200),
            None,
        ),
        (
            "post",
            f"audits/{a}/findings/3/verification",
            {"note": "Log seen"},
            expect({"auditor"}, 200),
            None,
        ),
        (
            "post",
            f"audits/{a}/findings/99/verification",
            {"note": "Log seen"},
            expect(set(), 404, set()),
            None,
        ),
    ]


def test_every_finding_endpoint_for_every_role(fieldwork: AuditWorld) -> None:
    """F1 open, F2 proposed, F3 accepted: the contact answers F1, the assigned auditor
    rejects F2's plan and verifies F3; a finding that does not exist is 404 for everyone."""
    from assay.audits.findings import (
        FindingInput,
        corrective_action_respond,
        corrective_action_review,
        finding_raise,
    )
    from assay.audits.selectors import action_get

    w = fieldwork
    office = sampled_offices(w.audit)[0]
    for n in (1, 2, 3):
        finding_raise(
            by=w["auditor"],
            audit=w.audit,
            data=FindingInput(office, "S1.1", "minor", f"F{n}", "seen", due_on=dt.date(2013, 4, 1)),
        )
    for n in (2, 3):
        action = action_get(w["contact"], w.audit.pk, n)
        corrective_action_respond(by=w["contact"], action=action, owner="J", response="plan")
    corrective_action_review(
        by=w["auditor"], action=action_get(w["auditor"], w.audit.pk, 3), accept=True, note=""
    )
    for method, path, body, table, files in _finding_endpoints(w):
        matrix(w, method, path, body, table, files=files)
