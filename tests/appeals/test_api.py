"""The appeal endpoints: every role against each (tests/world.py), the walk through the API,
bad input that changes nothing, and a bad cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from assay.appeals.models import Appeal
from assay.records.models import ChainRecord
from tests.appeals.test_pages import AT_NORTH, CANDIDATE, OVERSEERS, judgement, lodged
from tests.portfolios.helpers import client_for
from tests.web.role_matrix import SEES_DAN
from tests.world import ROLES, World

SEES_APPEALS = SEES_DAN - {"employer-of-candidate"}  # an appeal is not the employer's

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


def table(visible: set[str], allowed: set[str], ok: int) -> dict[str, int]:
    """401 without a token, 404 outside ``visible``, ``ok`` for ``allowed``, else 403."""
    return {
        role: 401
        if role == "anonymous"
        else 404
        if role not in visible
        else ok
        if role in allowed
        else 403
        for role in ROLES
    }


def of_appeal(path: str = "") -> Callable[[World], str]:
    def url(w: World) -> str:
        return f"{API}/registrations/{w.dan.pk}/appeals/{lodged(w).pk}{path}"

    return url


CASES: dict[str, tuple[str, Callable[[World], str], Callable[[World], Any], dict[str, int]]] = {
    "lodge": (
        "post",
        lambda w: f"{API}/registrations/{w.dan.pk}/appeals",
        lambda w: {"decision_id": judgement(w).pk, "grounds": "I did show it"},
        table(SEES_APPEALS, CANDIDATE, 201),
    ),
    "get": ("get", of_appeal(), lambda w: None, table(SEES_APPEALS, SEES_APPEALS, 200)),
    "decide": (
        "post",
        of_appeal("/decide"),
        lambda w: {"upheld": False, "reasons": "No briefing shown"},
        table(SEES_APPEALS, {"assessor-assigned"}, 200),
    ),
    "escalate (open: refused)": (
        "post",
        of_appeal("/escalate"),
        lambda w: {"reason": "Please"},
        table(SEES_APPEALS, CANDIDATE, 422),
    ),
    "withdraw": (
        "post",
        of_appeal("/withdraw"),
        lambda w: {"reason": "Changed my mind"},
        table(SEES_APPEALS, CANDIDATE, 200),
    ),
    "centre list": (
        "get",
        lambda w: f"{API}/centres/{w.north.pk}/appeals",
        lambda w: None,
        table(AT_NORTH, OVERSEERS, 200),
    ),
    "complaints list": (
        "get",
        lambda w: f"{API}/centres/{w.north.pk}/complaints",
        lambda w: None,
        table(AT_NORTH, OVERSEERS, 200),
    ),
    "complain": (
        "post",
        lambda w: f"{API}/centres/{w.north.pk}/complaints",
        lambda w: {"text": "Nobody answers"},
        table(AT_NORTH, AT_NORTH, 201),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_role_matrix(world: World, name: str) -> None:
    from django.test import Client

    method, url, body, expected = CASES[name]
    got = {}
    for role, username in ROLES.items():
        with transaction.atomic():
            client = client_for(world.user(username)) if username else Client()
            target = url(world)
            data = body(world)
            if method == "get":
                response = client.get(target)
            else:
                response = client.post(target, data, content_type="application/json")
            got[role] = response.status_code
            transaction.set_rollback(True)
    assert got == expected


def test_the_walk_and_bad_input(world: World) -> None:
    dan, alice = client_for(world.user("dan")), client_for(world.user("alice"))
    decision = judgement(world)
    base = f"{API}/registrations/{world.dan.pk}/appeals"
    refused = dan.post(
        base, {"decision_id": decision.pk, "grounds": "\u200b"}, content_type="application/json"
    )
    assert refused.status_code == 422 and not Appeal.objects.exists()
    made = dan.post(
        base, {"decision_id": decision.pk, "grounds": "I did"}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    appeal = made.json()
    assert (appeal["stage"], appeal["status"], appeal["due_on"]) == (
        "assessor_review",
        "open",
        "2013-03-15",
    )
    before = ChainRecord.objects.count()
    bad = alice.post(
        f"{base}/{appeal['id']}/decide",
        {"upheld": False, "reasons": "ok\x1b[2J"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and ChainRecord.objects.count() == before
    wrong = alice.post(
        f"{base}/{appeal['id']}/decide",
        {"upheld": False, "reasons": "No", "stage": "centre"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "not the centre stage" in wrong.json()["error"]["message"]
    done = alice.post(
        f"{base}/{appeal['id']}/decide",
        {"upheld": False, "reasons": "No briefing shown", "stage": "assessor_review"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    up = dan.post(
        f"{base}/{appeal['id']}/escalate", {"reason": "Ask Ian"}, content_type="application/json"
    )
    assert up.json()["stage"] == "iqa_review"
    assert [h["kind"] for h in up.json()["history"]] == ["lodged", "decided", "escalated"]
    carol = client_for(world.user("carol"))
    listed = carol.get(f"{API}/centres/{world.north.pk}/appeals?size=1").json()
    assert [a["id"] for a in listed["items"]] == [appeal["id"]]


def test_a_bad_cursor_answers_400(world: World) -> None:
    carol = client_for(world.user("carol"))
    for path in ("appeals", "complaints"):
        answer = carol.get(f"{API}/centres/{world.north.pk}/{path}?cursor=nonsense")
        assert answer.status_code == 400, answer.content
