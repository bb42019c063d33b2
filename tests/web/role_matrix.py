"""The role matrix's building blocks (an endpoint, the statuses every role gets, what to
expect), shared by the pages' role-matrix tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import Client

from tests.world import ROLES, World

# Who may see Dan's registration (ADR 0006).
SEES_DAN = {
    "candidate-self",
    "assessor-assigned",
    "iv-assigned",
    "lead-iqa",
    "centre-admin",
    "tutor",
    "employer-of-candidate",
    "ev-assigned",
}


def expect(visible: set[str], allowed: set[str], ok: int) -> dict[str, int]:
    """302 for anonymous, 404 outside ``visible``, ``ok`` for ``allowed``, else 403."""
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = 302
        elif role not in visible:
            table[role] = 404
        else:
            table[role] = ok if role in allowed else 403
    return table


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    headers: dict[str, str] = field(default_factory=dict)


def statuses(world: World, endpoint: Endpoint) -> dict[str, int]:
    """Each role's status for one request, each in a rolled-back savepoint."""
    got = {}
    for role, username in ROLES.items():
        client = Client()
        with transaction.atomic():
            if username:
                client.force_login(world.user(username))
            send = getattr(client, endpoint.method)
            response = send(endpoint.url(world), endpoint.data(world), headers=endpoint.headers)
            transaction.set_rollback(True)
        if username is None:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        got[role] = response.status_code
    return got
