"""Shared fixtures: the shipped catalogue imported into the test database, fast hashing, and
derandomised property tests."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from hypothesis import settings as hypothesis_settings

from assay.catalogue.services import catalogue_import_library

# The browser fixtures (Chromium through Playwright) for the ``browser``-marked tests.
pytest_plugins = ["tests.browser"]

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
