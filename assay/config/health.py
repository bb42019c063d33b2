"""``/healthz`` and ``/readyz``: what a load balancer or an orchestrator asks.

``healthz``: the process is up and answering (nothing else is touched, so a database outage does
not get every app process restarted). ``readyz``: this process can serve — the database answers,
every migration the code has is applied, and evidence storage is reachable and writable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str = ""


# Once every migration is applied it stays so for this process (new migrations come with new
# code, and so with a restart); the graph is not read again on every probe.
_migrated = False


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready", with its reason
        return Check("database", False, f"{type(exc).__name__}: {exc}")
    return Check("database", True)


def migrations_check() -> Check:
    global _migrated
    if _migrated:
        return Check("migrations", True)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return Check("migrations", False, f"{type(exc).__name__}: {exc}")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return Check("migrations", False, f"{len(plan)} not applied: {names}{more}")
    _migrated = True
    return Check("migrations", True)


def _writable_folder(path: Path) -> str:
    """ "" when files can be created in ``path`` (or, while it does not exist yet, in the
    nearest folder above it that does); else why not."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return f"{path} has no existing parent"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{probe} is not writable by this process"
    return ""


def storage_check() -> Check:
    """Local disk: the media and upload temporary folders are writable. Object storage
    (``assay.files.objectstore``): the bucket answers with our credentials (``reachable``),
    and uploads still spool to the temporary folder first. Any other backend: it answers an
    existence query."""
    reachable = getattr(default_storage, "reachable", None)
    try:
        folders = [Path(settings.FILE_UPLOAD_TEMP_DIR)]
        if callable(reachable):
            reachable()
        elif isinstance(default_storage, FileSystemStorage):
            folders.insert(0, Path(default_storage.location))
        else:
            default_storage.exists("readyz-probe")
        for folder in folders:
            problem = _writable_folder(folder)
            if problem:
                return Check("storage", False, problem)
    except Exception as exc:
        return Check("storage", False, f"{type(exc).__name__}: {exc}")
    return Check("storage", True)


def readiness() -> list[Check]:
    """The database first: the migrations check needs it."""
    database = database_check()
    if not database.ok:
        return [database, Check("migrations", False, "database unreachable"), storage_check()]
    return [database, migrations_check(), storage_check()]
