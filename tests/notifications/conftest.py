"""The portfolio world of ``tests/portfolios/world.py`` (Dan the candidate, Alice assessing
403, Bob assessing 401, Lena the lead IQA, Carol the centre administrator), with email
addresses for everyone but Carol, and ``commit``: run a block as one committed transaction."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from tests.portfolios.world import world  # noqa: F401 (the fixture)

EMAILS = {name: f"{name}@example.com" for name in ("dan", "alice", "bob", "lena", "sam")}


@pytest.fixture
def w(world: dict[str, Any], settings: Any) -> dict[str, Any]:  # noqa: F811
    settings.ASSAY_SITE_URL = "https://assay.example"
    for name, address in EMAILS.items():
        world[name].email = address
        world[name].save(update_fields=["email"])
    return world


@pytest.fixture
def commit(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list[Any]]],
) -> Callable[[], AbstractContextManager[list[Any]]]:
    """The test runs inside one transaction that never commits; this runs what a commit
    would run at the end of the block (the on_commit callbacks registered inside it)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
