"""Shared fixtures: the shipped catalogue imported once into the test database, fast hashing,
derandomised property tests, and (from ``tests/browser.py``) the browser fixtures."""

from __future__ import annotations

import fcntl
import html
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import transaction
from django.http import HttpResponse
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from assay.catalogue.models import (
    Criterion,
    CrosswalkEntry,
    EvidenceRequirement,
    NosArea,
    NosFunction,
    Outcome,
    Qualification,
    SpecFile,
    Unit,
    UnitGroup,
)
from assay.catalogue.services import catalogue_import_library
from tests.world import TODAY, World, build_world

# The browser fixtures (Chromium through Playwright) for the ``browser``-marked tests.
pytest_plugins = ["tests.browser"]

# Property tests are deterministic like every other test: the same examples on every run and
# machine (a failure found once is found again); no deadline, since CI machines are shared.
hypothesis_settings.register_profile("assay", derandomize=True, deadline=None)
hypothesis_settings.load_profile("assay")

_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``nodb`` every test that never opens the configured database (no ``django_db``
    marker, no database fixture, directly or through its fixtures): pure engines, parsers,
    and tests that start Assay on a data folder or scratch database of their own. CI's
    PostgreSQL pass leaves them out, since they would only repeat the SQLite pass."""
    for item in items:
        uses = set(getattr(item, "fixturenames", ())) & _DATABASE_FIXTURES
        if not uses and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.nodb)


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2 (hashes start with "argon2"), at test-sized cost: suites create many users."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1


IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


@pytest.fixture(autouse=True, scope="session")
def _immediate_tasks() -> Iterator[None]:
    """Background tasks run at once, inside the test, as they did before the worker existed;
    tests of the worker itself ask for ``database_tasks`` (tests/jobs/)."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture
def database_tasks(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks queued in the database, run by ``assay worker --once`` as in production.

    The worker calls ``close_old_connections()`` as it wakes (right for a long-lived process).
    Inside a test's transaction that closes the test's own connection on PostgreSQL (SQLite's
    in-memory test database is never closed), so here it leaves the connection be."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.conftest.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_anchor_log(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test appends chain heads to its own anchor log, never to the project's data dir."""
    settings.ASSAY_ANCHOR_LOG = tmp_path_factory.mktemp("anchors") / "anchors.log"


@pytest.fixture(autouse=True)
def _own_credential_key(
    settings: Any, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test signs credentials with a key of its own, never the project's data dir's."""
    monkeypatch.delenv("ASSAY_CREDENTIAL_KEY", raising=False)
    settings.ASSAY_CREDENTIAL_KEY = ""
    settings.ASSAY_CREDENTIAL_KEY_FILE = tmp_path_factory.mktemp("credkey") / "credential-key"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, with the library's specification files imported once: every
    database test starts with the catalogue, kept because each test's changes roll back."""
    with django_db_blocker.unblock():
        catalogue_import_library()


def _transactional(request: pytest.FixtureRequest) -> bool:
    """Whether pytest-django runs this test without a rollback (tables flushed afterwards)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _catalogue_after_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test (live server, browser) flushes every table when it ends; the next
    one imports the catalogue again, so that it too starts with it."""
    if _transactional(request) and "no_catalogue" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
        if not SpecFile.objects.exists():
            catalogue_import_library()


@pytest.fixture
def catalogue(db: None) -> None:
    """The library's specification files, imported (once per test database: see
    ``django_db_setup``). A transactional test flushes every table when it ends; when the next
    test on that worker is not transactional, the catalogue is imported again inside its own
    transaction (rolled back with it) so that it too starts with it."""
    if not SpecFile.objects.exists():
        catalogue_import_library()


@pytest.fixture
def no_catalogue(db: None) -> None:
    """An empty catalogue, for tests of importing and of the empty state (the deletion rolls
    back with the test)."""
    for model in (
        Criterion,
        EvidenceRequirement,
        Outcome,
        Unit,
        UnitGroup,
        Qualification,
        NosFunction,
        NosArea,
        CrosswalkEntry,
        SpecFile,
    ):
        model.objects.all().delete()


@pytest.fixture
def world(catalogue: None, settings: Any, tmp_path: Path) -> World:
    """The shared world (``tests/world.py``: Northgate and Southgate, a named person in every
    role) on the pinned date 01/03/2013; evidence files go to a temporary directory."""
    settings.ASSAY_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture(scope="module")
def module_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The shared world built once for a module whose tests leave it as they found it (each
    test's changes roll back to it, and none changes its objects in memory), in a transaction
    rolled back after the module's last test. A module uses it by overriding ``world``::

        @pytest.fixture
        def world(module_world: World, db: None) -> World:
            return module_world
    """
    with (
        override_settings(
            ASSAY_TODAY=TODAY,
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["tests.conftest.FastArgon2PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        if not SpecFile.objects.exists():  # after a transactional test's flush
            catalogue_import_library()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def page_text() -> object:
    """The response body with HTML entities decoded, so verbatim texts compare as printed."""

    def decode(response: HttpResponse) -> str:
        return html.unescape(response.content.decode())

    return decode


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory, testrun_uid: str) -> Path:
    """A data folder holding the full demo (`assay demo`, SQLite), built once per test run and
    shared by the xdist workers under a file lock. Read it or copy it (``demo_copy``); never
    write to it."""
    root = tmp_path_factory.getbasetemp().parent  # shared by the workers of one run
    folder = root / f"demo-{testrun_uid}"
    with (root / f"demo-{testrun_uid}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
            env.update(ASSAY_DATA_DIR=str(folder), ASSAY_TODAY="2013-03-01")
            env.pop("ASSAY_ANCHOR_LOG", None)
            assay = str(Path(sys.executable).parent / "assay")
            built = subprocess.run([assay, "demo"], env=env, capture_output=True, text=True)
            assert built.returncode == 0, built.stderr[-2000:]
            (folder / ".built").touch()
    return folder


def demo_copy(demo_folder: Path, target: Path) -> Path:
    """A writable copy of the shared demo folder (database, anchor log, evidence files)."""
    shutil.copytree(demo_folder, target, ignore=shutil.ignore_patterns(".built", "static"))
    return target
