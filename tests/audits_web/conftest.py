"""The audit world of tests/audits (built through the services), and clients signed in as
each of its people."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.audits.world import AuditWorld, aw  # noqa: F401  (re-exported fixture)


@pytest.fixture
def client_as(aw: AuditWorld) -> Callable[[str], Client]:  # noqa: F811
    """A client signed in as one of the world's people ("anonymous": not signed in)."""

    def sign_in(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(aw[role])
        return client

    return sign_in
