"""The external verification API: every role's status on each endpoint, paging, and bad input
answering 422 with nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from assay.eqa.models import Sanction, Visit
from tests.eqa.helpers import REASON, apply, visit
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

READERS = {"centre-admin", "lead-iqa", "ev-assigned"}


def expect(ok: int, allowed: set[str]) -> dict[str, int]:
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = 401
        elif role not in READERS:
            table[role] = 404
        else:
            table[role] = ok if role in allowed else 403
    return table


def call(world: World, name: str | None, method: str, path: str, body: Any = None) -> Any:
    client = Client()
    if name:
        client.force_login(world.user(name))
    if method == "get":
        return client.get(path)
    return client.post(path, body or {}, content_type="application/json")


def statuses(world: World, method: str, path: Callable[[World], str], body: Any) -> dict[str, int]:
    got = {}
    for role, name in ROLES.items():
        with transaction.atomic():
            got[role] = call(world, name, method, path(world), body).status_code
            transaction.set_rollback(True)
    return got


VISIT = {"on": "2013-02-20", "mode": "on_site", "status": "planned", "sample_request": "401"}
SANCTION = {
    "level": "claims_suspended",
    "reason": REASON,
    "applied_on": "2013-02-01",
    "confirm": True,
}
LIFT = {"lifted_on": "2013-02-20", "reason": "Records found", "confirm": True}


def base(w: World) -> str:
    return f"/api/v1/centres/{w.north.pk}/eqa"


def findings_path(w: World) -> str:
    from tests.eqa.helpers import planned

    return f"{base(w)}/visits/{planned(w).pk}/findings"


FINDINGS = {"findings": "Sound", "risk": "low", "risk_reasons": "Consistent"}


def lift_path(w: World) -> str:
    return f"{base(w)}/sanctions/{apply(w).pk}/lift"


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("get", lambda w: f"{base(w)}/visits", None, expect(200, READERS)),
        ("post", lambda w: f"{base(w)}/visits", VISIT, expect(201, {"ev-assigned"})),
        ("post", lambda w: f"{base(w)}/sanctions", SANCTION, expect(201, {"ev-assigned"})),
        ("post", lift_path, LIFT, expect(200, {"ev-assigned"})),
        ("post", findings_path, FINDINGS, expect(200, {"ev-assigned"})),
    ],
    ids=["visits", "record visit", "apply", "lift", "findings"],
)
def test_role_matrix(world: World, method: str, path: Any, body: Any, expected: dict) -> None:
    assert statuses(world, method, path, body) == expected


def test_visits_paged_with_risk(world: World) -> None:
    for day in ("2013-01-10", "2013-01-20", "2013-02-20"):
        visit(world, on=dt.date.fromisoformat(day))
    first = call(world, "carol", "get", f"{base(world)}/visits?size=2").json()
    assert [v["on"] for v in first["items"]] == ["2013-02-20", "2013-01-20"]
    assert first["items"][0]["action_points"][0]["owner"] == "linda"
    assert first["risk"] == "medium" and first["direct_claims"] is False
    rest = call(world, "carol", "get", f"{base(world)}/visits?size=2&cursor={first['next']}").json()
    assert [v["on"] for v in rest["items"]] == ["2013-01-10"] and rest["next"] is None
    bad = call(world, "carol", "get", f"{base(world)}/visits?cursor=forged")
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": " \u200b "},
        {"applied_on": "2613-01-01"},
        {"applied_on": "1013-01-01"},
        {"confirm": False},
        {"level": "mild"},
    ],
)
def test_bad_sanction_changes_nothing(world: World, changes: dict) -> None:
    response = call(world, "eve", "post", f"{base(world)}/sanctions", {**SANCTION, **changes})
    assert response.status_code == 422
    assert Sanction.objects.count() == 0


def test_bad_lift_and_visit_change_nothing(world: World) -> None:
    s = apply(world)
    for changes in ({"reason": ""}, {"lifted_on": "2013-01-01"}, {"confirm": False}):
        response = call(
            world, "eve", "post", f"{base(world)}/sanctions/{s.pk}/lift", {**LIFT, **changes}
        )
        assert response.status_code == 422
    s.refresh_from_db()
    assert s.lifted_on is None
    bad = call(world, "eve", "post", f"{base(world)}/visits", {**VISIT, "on": "3013-01-01"})
    assert bad.status_code == 422 and Visit.objects.count() == 0


def test_lift_via_api_reopens_registration_and_another_centres_sanction_is_404(
    world: World,
) -> None:
    s = apply(world)
    other = f"/api/v1/centres/{world.south.pk}/eqa/sanctions/{s.pk}/lift"
    assert call(world, "evan", "post", other, LIFT).status_code == 404
    done = call(world, "eve", "post", f"{base(world)}/sanctions/{s.pk}/lift", LIFT)
    assert done.status_code == 200 and done.json()["lifted_by"] == "eve"
