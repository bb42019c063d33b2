"""Every claims page and form × every role of ``tests/world.py`` and the awarding body: the
exact status each gets (404 when the claim or centre is not theirs to see, 403 when it is but
the act is not theirs, 302 to sign in when anonymous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from assay.claims.models import Certificate, Claim
from tests.web.role_matrix import expect
from tests.world import ROLES, World

from .helpers import agreed, approved, awarding_body, submitted
from .routes import CLAIM_ROUTES, OTHER_ROUTES

pytestmark = pytest.mark.django_db

STAFF = {
    "assessor-assigned",
    "assessor-not-assigned",
    "iv-assigned",
    "iv-not-assigned",
    "lead-iqa",
    "centre-admin",
    "tutor",
    "ev-assigned",
}
CLAIM_READERS = {"centre-admin", "lead-iqa", "ev-assigned", "awarding-body"}
# The certificate: the candidate, staff who see Dan's registration, the awarding body. Iris
# (iv-not-assigned) was allocated a pick of Dan's in the draw, so she reads his registration.
CERT_READERS = {
    "candidate-self",
    "assessor-assigned",
    "iv-assigned",
    "iv-not-assigned",
    "lead-iqa",
    "centre-admin",
    "tutor",
    "ev-assigned",
    "awarding-body",
}


@pytest.fixture
def w(world: World) -> World:
    awarding_body(world)
    agreed(world)
    return world


def table(visible: set[str], allowed: set[str], ok: int) -> dict[str, int]:
    found = expect(visible - {"awarding-body"}, allowed, ok)
    found["awarding-body"] = (
        (ok if "awarding-body" in allowed else 403) if ("awarding-body" in visible) else 404
    )
    return found


def statuses(
    w: World, method: str, url: Callable[[World], str], data: dict[str, Any]
) -> dict[str, int]:
    roles: dict[str, str | None] = {**ROLES, "awarding-body": "abby"}
    got = {}
    for role, name in roles.items():
        client = Client()
        with transaction.atomic():
            if name:
                client.force_login(w.user(name))
            target = url(w)
            got[role] = getattr(client, method)(target, data).status_code
            transaction.set_rollback(True)
    return got


def north(path: str) -> Callable[[World], str]:
    return lambda w: f"/centres/{w.north.pk}/claims/{path}"


def a_claim(path: str = "") -> Callable[[World], str]:
    def url(w: World) -> str:
        claim = Claim.objects.filter(status="submitted").first() or submitted(w)[0]
        return f"/claims/{claim.pk}/{path}"

    return url


def a_certificate(w: World) -> str:
    cert = Certificate.objects.first() or approved(w)
    return f"/certificates/{cert.pk}.pdf"


CASES: dict[str, tuple[str, Callable[[World], str], dict[str, Any], dict[str, int]]] = {
    "centre claims page": ("get", north(""), {}, table(STAFF, {"centre-admin"}, 200)),
    "create claim": (
        "post",
        north("new"),
        {"registration": "0", "kind": "unit", "units": "403"},
        table(STAFF, {"centre-admin"}, 400),
    ),
    "live check": (
        "post",
        north("check"),
        {"registration": "0", "kind": "unit", "units": "403"},
        table(STAFF, {"centre-admin"}, 200),
    ),
    "send batch": ("post", north("batches"), {"claims": ""}, table(STAFF, {"centre-admin"}, 400)),
    "queue": (
        "get",
        lambda w: "/claims/queue/",
        {},
        {**table(set(ROLES), {"awarding-body"}, 200), "awarding-body": 200},
    ),
    "samples": (
        "get",
        lambda w: "/claims/samples/",
        {},
        {**table(set(ROLES), set(ROLES), 200), "awarding-body": 200},
    ),
    "claim page": ("get", a_claim(), {}, table(CLAIM_READERS, CLAIM_READERS, 200)),
    "query": (
        "post",
        a_claim("query"),
        {"query-text": "Which evidence?"},
        table(CLAIM_READERS, {"awarding-body"}, 302),
    ),
    "answer (not queried)": (
        "post",
        a_claim("answer"),
        {"answer-text": "The witness"},
        table(CLAIM_READERS, {"centre-admin"}, 400),
    ),
    "sample (not requested)": (
        "post",
        a_claim("sample"),
        {"sample-outcome": "satisfactory", "sample-text": "Fine"},
        table(CLAIM_READERS, {"ev-assigned"}, 400),
    ),
    "approve": (
        "post",
        a_claim("approve"),
        {"approve-confirm": "on"},
        table(CLAIM_READERS, {"awarding-body"}, 302),
    ),
    "reject (unconfirmed)": (
        "post",
        a_claim("reject"),
        {"reject-reason": "No"},
        table(CLAIM_READERS, {"awarding-body"}, 400),
    ),
    "replace certificate (unconfirmed)": (
        "post",
        lambda w: f"/claims/{(Certificate.objects.first() or approved(w)).claim_id}/replace",
        {"replace-reason": "Name misspelt"},
        table(CLAIM_READERS, {"awarding-body"}, 400),
    ),
    "certificate PDF": ("get", a_certificate, {}, table(CERT_READERS, CERT_READERS, 200)),
}


def _fix_anonymous(expected: dict[str, int]) -> dict[str, int]:
    return {**expected, "anonymous": 302}


@pytest.mark.parametrize("name", CASES)
def test_role_matrix(w: World, name: str) -> None:
    method, url, data, expected = CASES[name]
    assert statuses(w, method, url, data) == _fix_anonymous(expected)


def test_every_claims_route_is_in_the_matrix() -> None:
    from assay.web.urls import claims

    assert {str(p.pattern) for p in claims.urlpatterns} == {*CLAIM_ROUTES, *OTHER_ROUTES}
