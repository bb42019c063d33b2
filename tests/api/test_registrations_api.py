"""Centre and registration endpoints: the role matrix, then what each endpoint answers."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from assay.centres.models import Competence
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from assay.registrations.models import Candidate, Refusal, Registration, StatusChange
from tests.factories import CG
from tests.fixtures_centre import ROLES, World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None


ANONYMOUS = ("anonymous", "bad_token", "revoked_token")
SEES_CENTRE = {
    "assessor_assigned",
    "assessor_other",
    "iv_assigned",
    "iv_other",
    "lead_iqa",
    "centre_admin",
    "tutor",
    "ev_assigned",
    "awarding_body",
}
SEES_ALICE = {
    "candidate_self",
    "assessor_assigned",
    "iv_assigned",
    "lead_iqa",
    "centre_admin",
    "tutor",
    "employer_contact",
    "ev_assigned",
    "awarding_body",
}
ADMINS = {"centre_admin", "awarding_body"}
WRITERS = frozenset({"candidate_self", "assessor_assigned"})

CSV_OK = (
    "first_name,last_name,date_of_birth,job_kind,qualification\nDan,Dixon,1975-02-03,paid,4430-04\n"
)


def new_candidate(**overrides: Any) -> dict[str, Any]:
    body = {
        "first_name": "Dan",
        "last_name": "Dixon",
        "date_of_birth": "1975-02-03",
        "job_kind": "paid",
        "job_role": "Head of customer service",
        "qualification": CG,
    }
    return {**body, **overrides}


@dataclass(frozen=True)
class Endpoint:
    """One operation of the matrix: who succeeds (``ok``) with which status; the others who
    can see the object get 403, everyone else 404, and the unauthenticated 401."""

    name: str
    method: str
    template: str  # the OpenAPI path, with an optional query
    ok: frozenset[str]
    sees: frozenset[str]
    success: int = 200
    body: Callable[[World, str], dict[str, Any]] | None = None
    upload: bool = False


def north(suffix: str = "") -> str:
    return "/api/v1/centres/{centre_id}" + suffix


def alice(suffix: str = "") -> str:
    return "/api/v1/registrations/{registration_id}" + suffix


def person(suffix: str) -> str:
    """The people endpoints try iv_assigned, who has a V1 record (``extra["competence"]``)."""
    return north("/people/{user_id}" + suffix)


def path_of(endpoint: Endpoint, w: World) -> str:
    """North, Alice's registration, her RPL claim and iv_assigned's V1 record are the objects
    every role tries."""
    ids = {
        "centre_id": w.north.pk,
        "registration_id": w.registration.pk,
        "claim_id": w.claim.pk,
        "user_id": w["iv_assigned"].pk,
        "competence_id": w.extra["competence"].pk,
        **{
            f"{name}_id": w.extra[name].pk
            for name in ("item", "file", "mapping")
            if name in w.extra
        },
        "unit": "401",
    }
    return endpoint.template.format(**ids)


def portfolio_objects(w: World) -> None:
    """An evidence item of Alice's with a file and a proposed mapping to 401 1.1."""
    if "item" in w.extra:
        return
    item = evidence_add(
        by=w["candidate_self"],
        registration=w.registration,
        method="observation",
        started_on=dt.date(2013, 1, 7),
        description="Ran the weekly team briefing",
        context="real_job",
    )
    w.extra["item"] = item
    w.extra["file"] = evidence_file_attach(
        by=w["candidate_self"], item=item, upload=io.BytesIO(b"notes\n"), original_name="n.txt"
    )
    w.extra["mapping"] = mapping_propose(
        by=w["candidate_self"], item=item, unit="401", target="1.1"
    )


def capacity(role: str) -> str:
    return {"candidate_self": "candidate", "candidate_other": "candidate"}.get(
        role, "employer" if role == "employer_contact" else "assessor"
    )


CENTRE = frozenset(SEES_CENTRE)
ALICE = frozenset(SEES_ALICE)
ENDPOINTS = [
    Endpoint("list centres", "get", "/api/v1/centres", frozenset(ROLES), CENTRE),
    Endpoint("centre dashboard", "get", north(), CENTRE, CENTRE),
    Endpoint(
        "record anchors",
        "get",
        north("/anchors"),
        frozenset({"centre_admin", "awarding_body", "lead_iqa", "ev_assigned"}),
        CENTRE,
    ),
    Endpoint("centre registrations", "get", north("/registrations"), CENTRE, CENTRE),
    Endpoint("export", "get", north("/registrations/export"), CENTRE, CENTRE),
    Endpoint(
        "register",
        "post",
        north("/registrations"),
        frozenset(ADMINS),
        CENTRE,
        201,
        lambda w, r: new_candidate(),
    ),
    Endpoint(
        "entry check",
        "post",
        north("/registrations/check"),
        frozenset(ADMINS),
        CENTRE,
        200,
        lambda w, r: new_candidate(),
    ),
    Endpoint(
        "bulk dry run",
        "post",
        north("/bulk?dry_run=true"),
        frozenset(ADMINS),
        CENTRE,
        200,
        upload=True,
    ),
    Endpoint("bulk import", "post", north("/bulk"), frozenset(ADMINS), CENTRE, 201, upload=True),
    Endpoint(
        "record A/V unit",
        "post",
        person("/competence"),
        frozenset(ADMINS),
        CENTRE,
        201,
        lambda w, r: {"role": "assessor", "av_unit": "A1", "started_on": "2012-09-01"},
    ),
    Endpoint(
        "mark A/V unit achieved",
        "post",
        person("/competence/{competence_id}/achieved"),
        frozenset(ADMINS),
        CENTRE,
        200,
        lambda w, r: {"achieved_on": "2013-02-01"},
    ),
    Endpoint(
        "log CPD",
        "post",
        person("/cpd"),
        frozenset({"iv_assigned", *ADMINS}),
        CENTRE,
        201,
        lambda w, r: {"on": "2013-02-20", "hours": 2.5, "activity": "Sampling workshop"},
    ),
    Endpoint(
        "add site",
        "post",
        north("/sites"),
        frozenset(ADMINS),
        CENTRE,
        201,
        lambda w, r: {"name": "Quayside", "address": "1 Quay Street"},
    ),
    Endpoint("registration", "get", alice(), ALICE, ALICE),
    Endpoint(
        "status",
        "post",
        alice("/status"),
        frozenset({"centre_admin", "lead_iqa", "awarding_body"}),
        ALICE,
        200,
        lambda w, r: {"status": "in_progress", "reason": "induction done", "confirm": True},
    ),
    Endpoint(
        "extend",
        "post",
        alice("/extensions"),
        frozenset(ADMINS),
        ALICE,
        201,
        lambda w, r: {"new_end": "2016-01-31", "reason": "long illness"},
    ),
    Endpoint(
        "plan",
        "put",
        alice("/plan"),
        frozenset(ADMINS),
        ALICE,
        200,
        lambda w, r: {
            "units": [{"unit": "401", "assessor_id": w["assessor_assigned"].pk}, {"unit": "402"}],
            "internal_verifier_id": w["iv_assigned"].pk,
        },
    ),
    Endpoint(
        "plan complete (most reuse)",
        "post",
        alice("/plan/complete"),
        ALICE,
        ALICE,
        200,
        lambda w, r: {"have": ["401"], "objective": "most-reuse"},
    ),
    Endpoint("portfolio", "get", alice("/portfolio"), ALICE, ALICE),
    Endpoint("portfolio export", "get", alice("/portfolio/export"), ALICE, ALICE),
    Endpoint(
        "add evidence",
        "post",
        alice("/evidence"),
        WRITERS,
        ALICE,
        201,
        lambda w, r: {
            "method": "reflective_account",
            "started_on": "2013-01-10",
            "description": "Account of the stock-take",
            "context": "real_job",
        },
    ),
    Endpoint(
        "upload evidence file",
        "post",
        "/api/v1/evidence/{item_id}/files",
        WRITERS,
        ALICE,
        201,
        upload=True,
    ),
    Endpoint("download evidence file", "get", "/api/v1/evidence/files/{file_id}", ALICE, ALICE),
    Endpoint(
        "propose mapping",
        "post",
        "/api/v1/evidence/{item_id}/mappings",
        frozenset({"candidate_self"}),
        ALICE,
        201,
        lambda w, r: {"unit": "401", "target": "1.2"},
    ),
    Endpoint(
        "decide mapping",
        "post",
        "/api/v1/mappings/{mapping_id}/decision",
        frozenset({"assessor_assigned"}),
        ALICE,
        200,
        lambda w, r: {"confirm": True, "expected_seq": 0},
    ),
    Endpoint(
        "judge criterion",
        "post",
        alice("/units/{unit}/judgements"),
        frozenset({"assessor_assigned"}),
        ALICE,
        201,
        lambda w, r: {"criterion": "1.1", "met": False, "feedback": "More", "expected_seq": 0},
    ),
    Endpoint(
        "record span",
        "post",
        alice("/units/{unit}/span"),
        frozenset({"assessor_assigned"}),
        ALICE,
        201,
        lambda w, r: {"sufficient_days": 30, "expected_seq": 0},
    ),
    Endpoint(
        "confirm all proposals of an item",
        "post",
        alice("/units/{unit}/confirm-all"),
        frozenset({"assessor_assigned"}),
        ALICE,
        201,
        lambda w, r: {"item": w.extra["item"].pk, "expected_seq": 0},
    ),
    # The assessor may judge several met, but nothing is confirmed yet: 422 with the reason.
    Endpoint(
        "judge several criteria met",
        "post",
        alice("/units/{unit}/judgements/met"),
        frozenset({"assessor_assigned"}),
        ALICE,
        422,
        lambda w, r: {"criteria": ["1.1"], "expected_seq": 0},
    ),
    Endpoint(
        "read the assessor's declaration",
        "get",
        alice("/units/{unit}/declaration"),
        frozenset({"assessor_assigned"}),
        ALICE,
        200,
    ),
    # The assessor may sign off, but nothing is evidenced yet: 422 with every reason.
    Endpoint(
        "sign off unit",
        "post",
        alice("/units/{unit}/sign-off"),
        frozenset({"assessor_assigned"}),
        ALICE,
        422,
        lambda w, r: {"expected_seq": 0},
    ),
    # Lead IQA and centre administrators may reopen, but 401 is not signed off: 422.
    Endpoint(
        "reopen unit",
        "post",
        alice("/units/{unit}/reopen"),
        frozenset({"centre_admin", "lead_iqa", "awarding_body"}),
        ALICE,
        422,
        lambda w, r: {"reason": "sampling found a gap", "expected_seq": 0},
    ),
    Endpoint("decisions", "get", alice("/decisions"), ALICE, ALICE),
    Endpoint(
        "sign",
        "post",
        alice("/signatures"),
        frozenset({"candidate_self", "assessor_assigned", "employer_contact"}),
        ALICE,
        201,
        lambda w, r: {"document": "induction", "capacity": capacity(r), "text": "I agree."},
    ),
    Endpoint(
        "claim RPL",
        "post",
        alice("/rpl"),
        frozenset({"candidate_self", *ADMINS}),
        ALICE,
        201,
        lambda w, r: {"unit": "403", "evidence": "Employer's training record"},
    ),
    Endpoint(
        "credit transfer",
        "post",
        alice("/credit-transfers"),
        frozenset({"assessor_assigned", *ADMINS}),
        ALICE,
        201,
        lambda w, r: {"unit": "310", "certificate_reference": "CG-4430-0042"},
    ),
    Endpoint(
        "decide RPL",
        "post",
        "/api/v1/rpl/{claim_id}/decision",
        frozenset({"assessor_assigned"}),
        ALICE,
        200,
        lambda w, r: {"accept": True},
    ),
    Endpoint(
        "initial assessment",
        "post",
        alice("/initial-assessment"),
        frozenset({"tutor", *ADMINS}),
        ALICE,
        200,
        lambda w, r: {"training_needs": "IT", "job_role": {"leads_team_or_department": True}},
    ),
    Endpoint(
        "link sign-in",
        "put",
        alice("/account"),
        frozenset(ADMINS),
        ALICE,
        200,
        lambda w, r: {"user_id": w.extra["spare"].pk},
    ),
    Endpoint(
        "set employer contact",
        "put",
        alice("/employer-contact"),
        frozenset(ADMINS),
        ALICE,
        200,
        lambda w, r: {"user_id": w["employer_contact"].pk},
    ),
]


def auth(token: str | None) -> dict[str, str]:
    return {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def send(client: Client, endpoint: Endpoint, w: World, role: str, token: str | None) -> Any:
    path = path_of(endpoint, w)
    if endpoint.upload:
        upload = SimpleUploadedFile("rows.csv", CSV_OK.encode(), content_type="text/csv")
        return client.post(path, {"file": upload}, **auth(token))
    body = endpoint.body(w, role) if endpoint.body else None
    return client.generic(
        endpoint.method.upper(),
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        **auth(token),
    )


def expected(endpoint: Endpoint) -> dict[str, int]:
    result = dict.fromkeys(ANONYMOUS, 401)
    for role in ROLES:
        if role in endpoint.ok:
            result[role] = endpoint.success
        else:
            result[role] = 403 if role in endpoint.sees else 404
    return result


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_role_matrix(endpoint: Endpoint, world: World, tokens: dict[str, str]) -> None:
    """Every role against the endpoint, each in a savepoint rolled back afterwards."""
    client = Client()
    actual = {}
    portfolio_objects(world)
    for role in (*ANONYMOUS, *ROLES):
        token = None if role == "anonymous" else tokens[role]
        with transaction.atomic():
            response = send(client, endpoint, world, role, token)
            actual[role] = response.status_code
            if response.status_code >= 400:
                assert set(response.json()) == {"error"}, (role, response.content)
            transaction.set_rollback(True)
    assert actual == expected(endpoint)


def test_every_new_operation_is_in_the_matrix() -> None:
    from assay.api.api import api

    doc = api.get_openapi_schema()
    operations = {
        (method, path)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if {"centres", "registrations", "portfolios"} & set(op.get("tags", []))
    }
    tried = {(e.method, e.template.split("?")[0]) for e in ENDPOINTS}
    assert operations == tried


# --- what the endpoints answer ----------------------------------------------------------------


def get(w: World, role: str, path: str, tokens: dict[str, str]) -> Any:
    return Client().get(path, **auth(tokens[role]))


def post(w: World, role: str, path: str, body: dict[str, Any], tokens: dict[str, str]) -> Any:
    return Client().post(path, body, content_type="application/json", **auth(tokens[role]))


def test_centre_lists_follow_the_roles(world: World, tokens: dict[str, str]) -> None:
    def names(role: str) -> list[str]:
        return [c["name"] for c in get(world, role, "/api/v1/centres", tokens).json()]

    assert names("centre_admin") == ["North Training"]
    assert names("admin_other_centre") == ["South Skills"]
    assert names("candidate_self") == [] and names("employer_contact") == []
    assert names("awarding_body") == ["North Training", "South Skills"]
    row = get(world, "iv_assigned", "/api/v1/centres", tokens).json()[0]
    assert row["roles"] == ["internal_verifier"] and row["number"] == "N1001"


def test_candidate_list_is_narrowed_to_the_callers_candidates(
    world: World, tokens: dict[str, str]
) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"

    def who_is_listed(role: str) -> set[str]:
        return {r["candidate"]["first_name"] for r in get(world, role, path, tokens).json()}

    assert who_is_listed("centre_admin") == {"Alice", "Bob"}
    assert who_is_listed("ev_assigned") == {"Alice", "Bob"}
    assert who_is_listed("assessor_assigned") == {"Alice"}
    assert who_is_listed("iv_other") == {"Bob"}


def test_forbidden_answers_exactly_like_missing(world: World, tokens: dict[str, str]) -> None:
    pk = world.registration.pk
    forbidden = get(world, "assessor_other", f"/api/v1/registrations/{pk}", tokens)
    missing = get(world, "assessor_other", "/api/v1/registrations/999999", tokens)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": f"no registration {pk}",
            "details": [],
        }
    }
    assert missing.json()["error"]["message"] == "no registration 999999"
    other = get(world, "admin_other_centre", f"/api/v1/centres/{world.north.pk}", tokens)
    assert other.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": f"no centre {world.north.pk}",
        "details": [],
    }


def test_dashboard_counts_approvals_and_staff_deadlines(
    world: World, tokens: dict[str, str]
) -> None:
    import datetime as dt

    Competence.objects.create(
        user=world["assessor_other"], role="assessor", av_unit="A1", started_on=dt.date(2011, 6, 1)
    )
    Competence.objects.create(
        user=world["assessor_assigned"],
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2011, 1, 1),
        achieved_on=dt.date(2012, 1, 1),
    )
    data = get(world, "centre_admin", f"/api/v1/centres/{world.north.pk}", tokens).json()
    assert data["today"] == "2013-03-01"
    assert data["registrations"]["total"] == 2
    assert data["registrations"]["by_status"]["registered"] == 2
    assert {a["qualification"]: a["in_force"] for a in data["approvals"]} == {
        "4430-04": True,
        "EDEXCEL-L3-NVQ-CS": True,
    }
    staff = {m["person"]["username"]: m for m in data["staff"]}
    assert staff["assessor_other"]["competence"][0]["status"] == "overdue"
    assert staff["assessor_other"]["can_take_new_candidates"] is False
    assert staff["assessor_assigned"]["competence"][0]["status"] == "qualified"
    assert any("overdue" in w for w in data["warnings"])
    mine = get(world, "assessor_assigned", f"/api/v1/centres/{world.north.pk}", tokens).json()
    assert mine["registrations"]["total"] == 1


def test_register_answers_the_registration(world: World, tokens: dict[str, str]) -> None:
    response = post(
        world,
        "centre_admin",
        f"/api/v1/centres/{world.north.pk}/registrations",
        new_candidate(held_qualifications=["X-1"], registered_on="2013-02-01"),
        tokens,
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["candidate"]["first_name"] == "Dan"
    assert data["candidate"]["held_qualifications"] == ["X-1"]
    assert data["qualification"]["code"] == CG and data["status"] == "registered"
    assert data["registered_on"] == "2013-02-01" and data["end_date"] == "2015-02-01"
    assert [h["to_status"] for h in data["history"]] == ["registered"]
    assert data["history"][0]["by"]["username"] == "centre_admin"
    assert Registration.objects.filter(pk=data["id"], created_by=world["centre_admin"]).exists()


def test_a_refusal_lists_every_reason_and_saves_nothing(
    world: World, tokens: dict[str, str]
) -> None:
    before = Candidate.objects.count()
    response = post(
        world,
        "centre_admin",
        f"/api/v1/centres/{world.north.pk}/registrations",
        new_candidate(date_of_birth="1996-01-01", job_kind="none", held_qualifications=[CG]),
        tokens,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "refused"
    assert [d["code"] for d in error["details"]] == [
        "under-minimum-age",
        "already-holds",
        "no-real-job",
    ]
    assert all(d["message"] for d in error["details"])
    assert Candidate.objects.count() == before
    assert Refusal.objects.filter(centre=world.north, candidate_name="Dan Dixon").count() == 1


def test_entry_check_decides_without_saving_or_logging(
    world: World, tokens: dict[str, str]
) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations/check"
    allowed = post(world, "centre_admin", path, new_candidate(), tokens).json()
    assert allowed == {"allowed": True, "reasons": []}
    late = post(world, "centre_admin", path, new_candidate(registered_on="2014-08-01"), tokens)
    assert late.json()["allowed"] is False
    assert [r["code"] for r in late.json()["reasons"]] == ["after-last-registration"]
    assert Refusal.objects.count() == 0 and Candidate.objects.count() == 3


def test_bad_input_is_422_with_details_per_field(world: World, tokens: dict[str, str]) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    missing = post(world, "centre_admin", path, {"first_name": "Dan"}, tokens)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid"
    assert {d["loc"][-1] for d in missing.json()["error"]["details"]} >= {
        "last_name",
        "date_of_birth",
        "qualification",
    }
    unborn = post(world, "centre_admin", path, new_candidate(date_of_birth="2020-01-01"), tokens)
    assert unborn.status_code == 422
    assert unborn.json()["error"]["details"][0]["field"] == "date_of_birth"
    plan = Client().put(
        f"/api/v1/registrations/{world.registration.pk}/plan",
        {"units": [{"unit": "999"}, {"unit": "401", "assessor_id": world["tutor"].pk}]},
        content_type="application/json",
        **auth(tokens["centre_admin"]),
    )
    assert plan.status_code == 422
    assert plan.json()["error"]["details"] == [
        {"field": "unit 999", "message": "unknown unit '999' in 4430-04"},
        {"field": "assessor 401", "message": "not an assessor at this centre"},
    ]
    unknown_qual = post(world, "centre_admin", path, new_candidate(qualification="NOPE"), tokens)
    assert unknown_qual.status_code == 404
    assert unknown_qual.json()["error"]["message"] == "unknown qualification 'NOPE'"


def test_registration_detail_and_the_write_operations(world: World, tokens: dict[str, str]) -> None:
    base = f"/api/v1/registrations/{world.registration.pk}"
    detail = get(world, "candidate_self", base, tokens).json()
    assert detail["plan"]["units"][0]["unit"] == "401"
    assert detail["plan"]["units"][0]["assessor"]["username"] == "assessor_assigned"
    assert detail["internal_verifier"]["username"] == "iv_assigned"
    assert detail["plan"]["check"]["met"] is False
    assert detail["rpl_claims"][0]["accepted"] is None
    assert detail["next_statuses"] == ["in_progress", "withdrawn", "transferred", "expired"]

    start = {"status": "in_progress", "reason": "induction done", "confirm": True}
    status = post(world, "lead_iqa", f"{base}/status", start, tokens)
    assert status.json()["from_status"] == "registered" and status.json()["by"]["username"] == (
        "lead_iqa"
    )
    wrong = post(world, "lead_iqa", f"{base}/status", {**start, "status": "registered"}, tokens)
    assert wrong.status_code == 422 and wrong.json()["error"]["details"][0]["field"] == "status"

    plan = (
        Client()
        .put(
            f"{base}/plan",
            {
                "units": [
                    {"unit": "401", "assessor_id": world["assessor_assigned"].pk},
                    {"unit": "410"},
                ]
            },
            content_type="application/json",
            **auth(tokens["centre_admin"]),
        )
        .json()
    )
    assert plan["check"]["counted_units"] and plan["internal_verifier_id"] is None

    signed = post(
        world,
        "employer_contact",
        f"{base}/signatures",
        {"document": "learning_contract", "capacity": "employer", "text": "Agreed."},
        tokens,
    ).json()
    assert signed["signer"]["username"] == "employer_contact"
    assert signed["ip_address"] == "127.0.0.1" and len(signed["text_sha256"]) == 64

    decision = post(
        world,
        "assessor_assigned",
        f"/api/v1/rpl/{world.claim.pk}/decision",
        {"accept": True},
        tokens,
    ).json()
    assert decision["accepted"] is True and decision["decided_by"]["username"] == (
        "assessor_assigned"
    )
    again = post(
        world,
        "assessor_assigned",
        f"/api/v1/rpl/{world.claim.pk}/decision",
        {"accept": False},
        tokens,
    )
    assert again.status_code == 422

    assessment = post(
        world,
        "tutor",
        f"{base}/initial-assessment",
        {"support_needs": "dyslexia", "job_role": {"plans_or_implements_strategy": True}},
        tokens,
    ).json()
    assert assessment["recommended_level"] == 4 and assessment["reasons"]

    after = get(world, "ev_assigned", base, tokens).json()
    assert [h["to_status"] for h in after["history"]] == ["registered", "in_progress"]
    assert after["signatures"][0]["document"] == "learning_contract"
    assert "402" in after["plan"]["check"]["counted_units"] or after["rpl_claims"][0]["accepted"]
    assert after["initial_assessment"]["support_needs"] == "dyslexia"
    assert StatusChange.objects.filter(registration=world.registration).count() == 2


def test_export_csv_and_xlsx(world: World, tokens: dict[str, str]) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations/export"
    response = get(world, "centre_admin", path, tokens)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="candidates-N1001.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["first_name"], r["qualification"]) for r in rows] == [
        ("Alice", "4430-04"),
        ("Bob", "EDEXCEL-L3-NVQ-CS"),
    ]
    mine = get(world, "assessor_assigned", path, tokens)
    assert len(list(csv.DictReader(io.StringIO(b"".join(mine.streaming_content).decode())))) == 1
    xlsx = get(world, "centre_admin", path + "?format=xlsx", tokens)
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "first_name" and values[1][0] == "Alice" and len(values) == 3


def bulk_post(world: World, tokens: dict[str, str], name: str, content: bytes, dry: bool) -> Any:
    path = f"/api/v1/centres/{world.north.pk}/bulk" + ("?dry_run=true" if dry else "")
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return Client().post(path, {"file": upload}, **auth(tokens["centre_admin"]))


def test_bulk_dry_run_import_and_wrong_files(world: World, tokens: dict[str, str]) -> None:
    bad = (CSV_OK + "Eve,Evans,31/02/1990,paid,4430-04\nFay,Fox,1999-01-01,paid,NOPE\n").encode()
    report = bulk_post(world, tokens, "rows.csv", bad, dry=True)
    assert report.status_code == 200
    body = report.json()
    assert body["dry_run"] is True and body["rows"] == 3 and body["ok"] is False
    assert [e["row"] for e in body["errors"]] == [3, 4]
    refused = bulk_post(world, tokens, "rows.csv", bad, dry=False)
    assert refused.status_code == 422
    assert [d["field"] for d in refused.json()["error"]["details"]] == ["row 3", "row 4"]
    assert Candidate.objects.count() == 3
    done = bulk_post(world, tokens, "rows.csv", CSV_OK.encode(), dry=False)
    assert done.status_code == 201 and done.json()["imported"] == 1
    png = bulk_post(world, tokens, "rows.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), dry=True)
    assert png.status_code == 422 and "not UTF-8" in png.json()["error"]["message"]
    fake = bulk_post(world, tokens, "rows.xlsx", CSV_OK.encode(), dry=True)
    assert fake.status_code == 422 and "not an Excel workbook" in fake.json()["error"]["message"]


def test_session_auth_for_the_browser_with_csrf(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["centre_admin"])
    assert browser.get("/api/v1/centres").status_code == 200
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    no_csrf = browser.post(path, new_candidate(), content_type="application/json")
    assert no_csrf.status_code == 403 and no_csrf.json()["error"]["status"] == 403
    token = "a" * 32  # any 32-character secret: the header must match the cookie
    browser.cookies["csrftoken"] = token
    ok = browser.post(
        path, new_candidate(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201


def test_anonymous_post_without_csrf_is_401_not_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    assert client.post(path, new_candidate(), content_type="application/json").status_code == 401


def test_openapi_documents_the_new_paths_and_the_bearer_scheme(world: World) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/centres",
        "/api/v1/centres/{centre_id}",
        "/api/v1/centres/{centre_id}/registrations",
        "/api/v1/centres/{centre_id}/registrations/check",
        "/api/v1/centres/{centre_id}/registrations/export",
        "/api/v1/centres/{centre_id}/bulk",
        "/api/v1/registrations/{registration_id}",
        "/api/v1/registrations/{registration_id}/status",
        "/api/v1/registrations/{registration_id}/extensions",
        "/api/v1/registrations/{registration_id}/plan",
        "/api/v1/registrations/{registration_id}/signatures",
        "/api/v1/registrations/{registration_id}/rpl",
        "/api/v1/registrations/{registration_id}/initial-assessment",
        "/api/v1/rpl/{claim_id}/decision",
    } <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    op = doc["paths"]["/api/v1/registrations/{registration_id}"]["get"]
    assert {"TokenAuth": []} in op["security"]
    assert "RegistrationDetail" in doc["components"]["schemas"]
    assert "401" in op["responses"] and "404" in op["responses"]
    bulk = doc["paths"]["/api/v1/centres/{centre_id}/bulk"]["post"]
    assert "multipart/form-data" in bulk["requestBody"]["content"]
    assert "security" not in doc["paths"]["/api/v1/qualifications"]["get"]
