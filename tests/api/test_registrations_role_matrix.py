"""Centre, registration and portfolio endpoints: every role against every operation."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

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

from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from tests.api.calls import CSV_OK, auth, new_candidate
from tests.fixtures_centre import ROLES, World, tokens, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


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
    Endpoint("ICS membership", "get", alice("/membership"), ALICE, ALICE),
    Endpoint("progression", "get", alice("/progression"), ALICE, ALICE),
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
