"""The claims API: a refused claim answers 422 ``refused`` with every reason (a sanction
suspending claims here), the path from claim to certificate, and every role's status."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from assay.claims.models import Certificate
from tests.eqa.helpers import apply
from tests.world import ROLES, World

from .helpers import agreed, awarding_body, claim_403, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: World) -> World:
    awarding_body(world)
    return world


def call(world: World, name: str | None, method: str, path: str, body: Any = None) -> Any:
    client = Client()
    if name:
        client.force_login(world.user(name))
    if method == "get":
        return client.get(path)
    return client.post(path, body or {}, content_type="application/json")


def test_a_claim_refused_by_a_sanction_answers_every_reason(w: World) -> None:
    agreed(w)
    apply(w, level="claims_suspended")
    response = call(
        w,
        "carol",
        "post",
        f"/api/v1/centres/{w.north.pk}/claims",
        {"registration": w.dan.pk, "kind": "unit", "units": ["403", "401"]},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "refused"
    assert [d["code"] for d in error["details"]] == ["unit-not-achieved", "claims-suspended"]
    assert "Assessment records missing for 12 candidates" in error["details"][1]["message"]


def test_the_path_through_the_api(w: World) -> None:
    agreed(w)
    base = f"/api/v1/centres/{w.north.pk}/claims"
    ready = call(w, "carol", "get", f"{base}/ready").json()["items"]
    dan = next(r for r in ready if r["registration"] == w.dan.pk)
    assert dan["units"] == ["403"] and dan["units_allowed"] and not dan["qualification_allowed"]
    made = call(
        w, "carol", "post", base, {"registration": w.dan.pk, "kind": "unit", "units": ["403"]}
    )
    assert made.status_code == 201 and made.json()["status"] == "draft"
    cid = made.json()["id"]
    sent = call(w, "carol", "post", f"{base}/batches", {"claims": [cid]})
    assert sent.status_code == 201 and sent.json()["claims"] == [cid]
    queue = call(w, "abby", "get", "/api/v1/claims/queue").json()["items"]
    assert [c["id"] for c in queue] == [cid]
    unconfirmed = call(w, "abby", "post", f"/api/v1/claims/{cid}/approve", {})
    assert unconfirmed.status_code == 422
    approved = call(w, "abby", "post", f"/api/v1/claims/{cid}/approve", {"confirm": True})
    assert approved.status_code == 201
    cert = approved.json()
    assert cert["units"] == [
        {
            "position": 1,
            "unit_code": "403",
            "unit_title": "Champion customer service",
            "level": 4,
            "credit": 10,
        }
    ]
    assert call(w, "dan", "get", f"/api/v1/claims/certificates/{cert['id']}").status_code == 200
    assert call(w, "dora", "get", f"/api/v1/claims/certificates/{cert['id']}").status_code == 404
    revoke = f"/api/v1/claims/certificates/{cert['id']}/revoke"
    assert (
        call(
            w, "carol", "post", revoke, {"kind": "malpractice", "reason": "x", "confirm": True}
        ).status_code
        == 403
    )
    bad = call(
        w, "abby", "post", revoke, {"kind": "malpractice", "reason": "\u0007", "confirm": True}
    )
    assert bad.status_code == 422
    ok = call(
        w, "abby", "post", revoke, {"kind": "malpractice", "reason": "Copied", "confirm": True}
    )
    assert ok.status_code == 200 and ok.json()["revoked_kind"] == "malpractice"
    assert Certificate.objects.get().revoked_reason == "Copied"
    not_object = call(w, "abby", "post", revoke, [1])
    assert not_object.status_code == 422


def statuses(world: World, method: str, path: str, body: Any) -> dict[str, int]:
    got = {}
    for role, name in ROLES.items():
        with transaction.atomic():
            got[role] = call(world, name, method, path, body).status_code
            transaction.set_rollback(True)
    return got


def test_role_statuses(w: World) -> None:
    agreed(w)
    centre_staff = {
        "assessor-assigned",
        "assessor-not-assigned",
        "iv-assigned",
        "iv-not-assigned",
        "lead-iqa",
        "tutor",
        "ev-assigned",
    }
    ready = statuses(w, "get", f"/api/v1/centres/{w.north.pk}/claims/ready", None)
    for role, status in ready.items():
        if role == "anonymous":
            assert status == 401
        elif role == "centre-admin":
            assert status == 200
        elif role in centre_staff:
            assert status == 403, role
        else:
            assert status == 404, role
    claim, _ = submitted(w)
    got = statuses(w, "post", f"/api/v1/claims/{claim.pk}/query", {"text": "Which evidence?"})
    assert got["anonymous"] == 401
    for role in ("centre-admin", "lead-iqa", "ev-assigned"):
        assert got[role] == 403, role
    for role in ("candidate-self", "tutor", "iv-assigned", "admin-other-centre", "ev-not-assigned"):
        assert got[role] == 404, role
    assert (
        call(w, "abby", "post", f"/api/v1/claims/{claim.pk}/query", {"text": "Which?"}).status_code
        == 200
    )


def test_a_draft_is_not_the_awarding_bodys_yet(w: World) -> None:
    agreed(w)
    claim = claim_403(w)
    assert call(w, "abby", "get", f"/api/v1/claims/{claim.pk}").status_code == 404
    assert call(w, "carol", "get", f"/api/v1/claims/{claim.pk}").status_code == 200
    assert call(w, "carol", "get", "/api/v1/claims/queue").status_code == 403


def test_claim_lists_do_not_grow_in_queries(w: World) -> None:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assay.claims.services import batch_submit, claim_approve, claim_create
    from assay.registrations.prior_learning import credit_transfer_record
    from assay.registrations.services import registration_create
    from tests.world import adult

    carol, abby = w.user("carol"), w.user("abby")

    def one_more(n: int) -> None:
        reg = registration_create(
            by=carol,
            centre=w.north,
            qualification_key="4430-04",
            candidate_input=adult(f"Extra{n}"),
            registered_on=dt.date(2012, 9, 3),
        )
        credit_transfer_record(by=carol, registration=reg, unit="401", certificate_reference="C")
        claim = claim_create(by=carol, registration=reg, kind="unit", units=["401"])
        batch_submit(by=carol, centre=w.north, claims=[claim])
        claim.refresh_from_db()
        if n % 2:
            claim_approve(by=abby, claim=claim, confirmed=True)

    def counted(name: str, path: str) -> int:
        client = Client()
        client.force_login(w.user(name))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    lists = [("carol", f"/api/v1/centres/{w.north.pk}/claims"), ("abby", "/api/v1/claims/queue")]
    one_more(0)
    one_more(1)
    before = [counted(name, path) for name, path in lists]
    for n in range(2, 6):
        one_more(n)
    assert [counted(name, path) for name, path in lists] == before
