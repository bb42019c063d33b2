"""The IQA API and CLI: each role's status on every endpoint, a verification and a draw
through them, and the CLI's refusals changing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from assay.accounts.services import token_create
from assay.portfolios.models import Decision
from assay.portfolios.records import unit_signed_off
from assay.verification.models import SampleDraw, SamplePick, Verification
from tests.cli.helpers import run
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db


def call(world: World, who: str | None, method: str, path: str, body: Any = None) -> Any:
    headers = {}
    if who is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_create(user=world.user(who), name='t')[1]}"
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, path, data, content_type="application/json", **headers)


def statuses(world: World, method: str, path: str, body: Any = None) -> dict[str, int]:
    got = {}
    for role, who in ROLES.items():
        with transaction.atomic():
            got[role] = call(world, who, method, path, body).status_code
            transaction.set_rollback(True)
    return got


def table(ok: set[str], sees: set[str], success: int) -> dict[str, int]:
    return {
        role: 401 if who is None else success if role in ok else 403 if role in sees else 404
        for role, who in ROLES.items()
    }


IQA = {"iv-assigned", "iv-not-assigned", "lead-iqa"}
LEAD = {"lead-iqa", "centre-admin"}
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
DRAW = {"qualification": "4430-04", "period_start": "2012-03-02", "period_end": "2013-03-01"}


def ians_pick(world: World) -> SamplePick:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("ian"))
    return pick


def test_api_role_matrix(world: World) -> None:
    pick = ians_pick(world)
    row = pick.draw
    queue = statuses(world, "GET", "/api/v1/iqa/queue")
    assert queue == {r: 401 if w is None else 200 if r in IQA else 403 for r, w in ROLES.items()}
    assert statuses(world, "GET", f"/api/v1/iqa/draws/{row.pk}") == table(LEAD, set(), 200)
    verify = statuses(
        world, "POST", f"/api/v1/iqa/picks/{pick.pk}/verify", {"outcome": "agree", "feedback": "ok"}
    )
    seen = {"iv-assigned", "lead-iqa", "centre-admin"}
    assert verify == table({"iv-assigned", "lead-iqa"}, seen, 200)
    draws = statuses(world, "POST", f"/api/v1/centres/{world.north.pk}/iqa/draws", DRAW)
    assert draws == table(LEAD, STAFF, 201)
    assert not Verification.objects.exists() and SampleDraw.objects.count() == 1


def test_api_verify_action_required_reopens(world: World) -> None:
    pick = ians_pick(world)
    body = {"outcome": "action_required", "feedback": "Thin on 2.3", "due_on": "2013-03-20"}
    answer = call(world, "ian", "POST", f"/api/v1/iqa/picks/{pick.pk}/verify", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["pick"]["outcome"] == "action_required"
    assert not unit_signed_off(world.dan, "403")
    blank = call(
        world, "ian", "POST", f"/api/v1/iqa/picks/{pick.pk}/verify", {**body, "feedback": " "}
    )
    assert blank.status_code == 422 and Verification.objects.count() == 1


def test_api_draw_reads_back(world: World) -> None:
    sign_off_403(world)
    made = call(
        world, "linda", "POST", f"/api/v1/centres/{world.north.pk}/iqa/draws", {**DRAW, "seed": 3}
    )
    assert made.status_code == 201, made.content
    listed = call(world, "carol", "GET", f"/api/v1/iqa/draws/{made.json()['id']}/picks?size=1")
    assert listed.status_code == 200, listed.content
    picks = listed.json()["items"]
    assert made.json()["picks"] >= len(picks) == 1
    assert made.json()["seed"] == 3 and any(p["unit"] == "403" for p in picks)
    assert all(p["reasons"] for p in picks)
    assert made.json()["cells"] and all(
        c["rag"] in {"red", "amber", "green"} for c in made.json()["cells"]
    )
    read = call(world, "carol", "GET", f"/api/v1/iqa/draws/{made.json()['id']}")
    assert read.json() == made.json()
    stranger = call(world, "sue", "GET", f"/api/v1/iqa/draws/{made.json()['id']}/picks")
    assert stranger.status_code == 404
    forged = call(world, "carol", "GET", f"/api/v1/iqa/draws/{made.json()['id']}/picks?cursor=x")
    assert forged.status_code == 400
    bad = call(
        world,
        "linda",
        "POST",
        f"/api/v1/centres/{world.north.pk}/iqa/draws",
        {**DRAW, "period_end": "2011-01-01"},
    )
    assert bad.status_code == 422 and SampleDraw.objects.count() == 1


def test_cli_draw_queue_verify(world: World) -> None:
    sign_off_403(world)
    args = ["iqa", "draw", "--centre", "0042", "--qualification", "4430-04"]
    args += ["--from", "2012-03-02", "--to", "2013-03-01", "--seed", "9"]
    code, out, err = run(*args, "--as", "linda")
    assert code == 0, err
    assert "seed 9" in out and "trainee assessor" in out
    pick = pick_403(SampleDraw.objects.get())
    iv = type(world.user("ian")).objects.get(pk=pick.verifier_id).username
    code, out, err = run("iqa", "queue", "--as", iv)
    assert code == 0 and f"pick {pick.pk}:" in out, err
    before = Decision.objects.count()
    code, out, err = run(
        "iqa", "verify", str(pick.pk), "--agree", "--feedback", "Fine", "--as", "alice"
    )
    assert code == 2 and "no IQA pick" in err
    code, out, err = run("iqa", "verify", str(pick.pk), "--action-required", "--feedback", "x")
    assert code == 2  # --as is required
    code, out, err = run(
        "iqa", "verify", str(pick.pk), "--action-required", "--feedback", "Redo", "--as", iv
    )
    assert code == 2 and "due_on" in err
    assert Decision.objects.count() == before
    code, out, err = run(
        "iqa", "verify", str(pick.pk), "--agree", "--feedback", "Sound", "--as", iv
    )
    assert code == 0 and "agreed" in out, err
    code, out, err = run("iqa", "draw", *args[2:], "--as", "ian")
    assert code == 2 and "not allowed" in err and SampleDraw.objects.count() == 1
