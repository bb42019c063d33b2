"""Shared fixtures: the shipped catalogue imported into the test database, fast hashing, and
derandomised property tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from hypothesis import settings as hypothesis_settings

from assay.catalogue.services import catalogue_import_library

# Property tests are deterministic like every other test: the same examples on every run and
# machine (a failure found once is found again); no deadline, since CI machines are shared.
hypothesis_settings.register_profile("assay", derandomize=True, deadline=None)
hypothesis_settings.load_profile("assay")


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2 (hashes start with "argon2"), at test-sized cost: suites create many users."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.conftest.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_anchor_log(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test appends chain heads to its own anchor log, never to the project's data dir."""
    settings.ASSAY_ANCHOR_LOG = tmp_path_factory.mktemp("anchors") / "anchors.log"


@pytest.fixture
def catalogue(db: None) -> None:
    """The library's specification files, imported."""
    catalogue_import_library()
