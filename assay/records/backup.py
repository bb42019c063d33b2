"""Backup and restore: the database, the evidence store and copies of the anchors, with a
manifest of SHA-256 sums (docs/backup.md).

A backup is taken in an order that keeps it consistent while Assay keeps running: first a copy
of the anchor log and the checkpoint export (everything they name is committed, so it is in the
snapshot taken next), then the database snapshot (SQLite's online backup API, or ``pg_dump``,
each a single consistent read), then the evidence files (content-addressed and never changed,
so every file the snapshot refers to is already there). The manifest is written last and the
directory renamed into place, so a directory with a manifest is a finished backup.

A restore checks every file against the manifest before it changes anything, restores the
evidence files (by content address, each verified on the way) and then the database in one
transaction, and runs ``records_verify`` against the live anchor log, which it never touches:
decisions recorded after the backup show as missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections

from assay import clock
from assay.engines.records import manifest as mf
from assay.files.storage import PREFIX as EVIDENCE_PREFIX
from assay.records.services import (
    Report,
    anchor_log_files,
    anchor_log_path,
    checkpoint_export_lines,
    records_verify,
)

DATABASE_DIR = "database"
MEDIA_DIR = "media"
ANCHORS_DIR = "anchors"
ANCHOR_COPY = f"{ANCHORS_DIR}/anchors.log"
CHECKPOINT_COPY = f"{ANCHORS_DIR}/checkpoints.jsonl"
SQLITE_COPY = f"{DATABASE_DIR}/assay.sqlite3"
POSTGRES_COPY = f"{DATABASE_DIR}/assay.sql"
# A restore waits this long for a lock on PostgreSQL before giving up (nothing is changed then):
# a running server's open transaction would otherwise make it wait without end.
PG_LOCK_TIMEOUT = "10s"


class BackupRefused(Exception):
    """The backup or restore cannot go ahead; ``problems`` says every reason. Nothing changed."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did, and what ``records_verify`` found afterwards."""

    manifest: mf.Manifest
    media_restored: int
    media_unchanged: int
    media_extra: int
    migrations_applied: int
    anchor_log: Path
    anchor_log_exists: bool
    report: Report


# --- the configured database -----------------------------------------------------------------


def engine_name() -> str:
    """ "sqlite" or "postgresql": the engine of the configured (default) database."""
    vendor = connections["default"].vendor
    if vendor not in mf.ENGINES:
        raise BackupRefused([f"backups of a {vendor} database are not supported"])
    return vendor


def _sqlite_path() -> Path:
    name = str(connections["default"].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupRefused(["the database is in memory: there is no file to back up"])
    return Path(name)


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured PostgreSQL database (the same account and
    database Django uses, so a test database is the one backed up in a test)."""
    conf: dict[str, Any] = connections["default"].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if conf.get(key):
            env[variable] = str(conf[key])
    sslmode = (conf.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        raise BackupRefused(
            [f"{name} is not installed (Debian: apt-get install postgresql-client)"]
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupRefused([f"{what} failed: {detail[-1] if detail else done.returncode}"])


# --- backup ----------------------------------------------------------------------------------


def backup_create(target: Path) -> mf.Manifest:
    """Write a backup of the configured database, the evidence store and the anchors into the
    new directory ``target`` (which must not exist, or be empty); return its manifest."""
    target = target.absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused([f"{target} already exists and is not an empty directory"])
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if target.resolve().is_relative_to(media_root):
        raise BackupRefused([f"{target} is inside the evidence store {media_root}"])
    engine = engine_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        manifest = _backup_into(staging, engine, media_root)
        (staging / mf.NAME).write_text(manifest.as_json(), encoding="utf-8")
        _fsync_tree(staging)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _backup_into(root: Path, engine: str, media_root: Path) -> mf.Manifest:
    (root / ANCHORS_DIR).mkdir()
    (root / DATABASE_DIR).mkdir()
    notes: list[str] = []
    created_at = clock.now().isoformat()
    # 1. The anchors, before the snapshot: whatever they name is already committed.
    if not anchor_logs_copy(root / ANCHOR_COPY):
        notes.append(f"there was no anchor log at {anchor_log_path()}")
    lines = list(checkpoint_export_lines())
    (root / CHECKPOINT_COPY).write_text("".join(lines), encoding="utf-8")
    checkpoints = tuple(
        {k: entry[k] for k in ("seq", "at", "root", "hash")}
        for entry in (json.loads(line) for line in lines)
    )
    # 2. The database: one consistent snapshot.
    if engine == "sqlite":
        database = SQLITE_COPY
        _sqlite_snapshot(_sqlite_path(), root / database)
    else:
        database = POSTGRES_COPY
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=plain",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(root / database),
            ],
            _pg_env(),
            "pg_dump",
        )
    # 3. The evidence store: files are only ever added, so the snapshot's are all here.
    entries = [mf.entry_for(root, root / database)]
    entries.extend(_media_copy(media_root, root, notes))
    for name in (ANCHOR_COPY, CHECKPOINT_COPY):
        if (root / name).exists():
            entries.append(mf.entry_for(root, root / name))
    return mf.Manifest(
        created_at=created_at,
        assay_version=_assay_version(),
        engine=engine,
        database=database,
        files=tuple(sorted(entries, key=lambda e: e.path)),
        checkpoints=checkpoints,
        notes=tuple(notes),
    )


def _assay_version() -> str:
    try:
        return metadata.version("assay")
    except metadata.PackageNotFoundError:
        return "unknown"


def anchor_logs_copy(dest: Path) -> bool:
    """Copy every live anchor log's complete lines into ``dest`` (with a directory of per-host
    logs, one after another: heads merge the same way whichever file they came from). False
    when there is none yet."""
    copied = [_anchor_log_copy(path, dest) for path in anchor_log_files()]
    return any(copied)


def _anchor_log_copy(source: Path, dest: Path) -> bool:
    """Copy the anchor log's complete lines under a shared lock (appends take it exclusively,
    so no half-written line is copied). False when there is no anchor log yet."""
    try:
        handle = source.open("rb")
    except FileNotFoundError:
        return False
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        try:
            data = handle.read()
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    with dest.open("ab") as out:
        out.write(data[: data.rfind(b"\n") + 1])
    return True


def _sqlite_snapshot(source: Path, dest: Path) -> None:
    """SQLite's online backup API: every page in one step under one read transaction, so the
    copy is the database as of one moment while writers go on (WAL). The copy is switched to
    a rollback journal so it is one self-contained file."""
    if not source.is_file():
        raise BackupRefused([f"there is no database at {source}: nothing to back up"])
    src = sqlite3.connect(source, timeout=float(getattr(settings, "SQLITE_BUSY_TIMEOUT", 20)))
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def in_bucket() -> bool:
    """True when evidence lives in an S3-compatible bucket (``ASSAY_STORAGE=s3``), not on disk."""
    backend = str(settings.STORAGES.get("default", {}).get("BACKEND", ""))
    return backend.endswith("EvidenceS3Storage")


def _bucket_names() -> Iterator[str]:
    """Every evidence object's name in the bucket (listed a page at a time by boto3)."""
    bucket = getattr(default_storage, "bucket")  # noqa: B009 (an S3 storage's boto3 Bucket)
    location = str(getattr(default_storage, "location", "") or "").strip("/")
    above = f"{location}/" if location else ""
    for item in bucket.objects.filter(Prefix=f"{above}{EVIDENCE_PREFIX}/"):
        yield str(item.key)[len(above) :]


def _media_copy(media_root: Path, root: Path, notes: list[str]) -> Iterator[mf.Entry]:
    """Copy every file of the evidence store (the disk, or the bucket object by object,
    streamed), hashing it on the way. Evidence whose content is no longer its address
    (damaged) is left out and named in the notes."""
    if in_bucket():
        sources: Iterator[tuple[str, Any]] = (
            (name, lambda name=name: default_storage.open(name, "rb")) for name in _bucket_names()
        )
    elif media_root.is_dir():
        sources = (
            (path.relative_to(media_root).as_posix(), lambda path=path: path.open("rb"))
            for path in mf.files_under(media_root)
        )
    else:
        return
    for name, opener in sources:
        relative = f"{MEDIA_DIR}/{name}"
        dest = root / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        with opener() as source, dest.open("wb") as sink:
            size, sha256 = mf.hash_stream(source, sink)
        entry = mf.Entry(relative, size, sha256)
        if mf.address_mismatch(entry):
            notes.append(f"{relative}: its content is not its address (damaged); left out")
            dest.unlink()
            continue
        yield entry


def _fsync_tree(root: Path) -> None:
    for path in mf.files_under(root):
        with path.open("rb") as handle:
            os.fsync(handle.fileno())


# --- check and restore -----------------------------------------------------------------------


def backup_check(source: Path) -> mf.Manifest:
    """Read the manifest and check every file against it; BackupRefused naming each problem."""
    try:
        manifest = mf.read(source)
    except mf.ManifestError as error:
        raise BackupRefused([str(error)]) from error
    problems = mf.check(source, manifest)
    if problems:
        raise BackupRefused(problems)
    return manifest


def backup_restore(source: Path) -> Restored:
    """Restore the backup in ``source`` over the configured database and evidence store, after
    checking all of it; then verify every chain against the live anchor log (left untouched)."""
    source = source.absolute()
    manifest = backup_check(source)
    engine = engine_name()
    if manifest.engine != engine:
        raise BackupRefused(
            [
                f"this is a backup of a {manifest.engine} database; the configured database is "
                f"{engine} (DATABASE_URL): restore it into the same kind"
            ]
        )
    database = next(e for e in manifest.files if e.path == manifest.database)
    media_restored, media_unchanged, media_extra = _media_restore(source, manifest)
    connections.close_all()
    if engine == "sqlite":
        _sqlite_restore(source / database.path, database, _sqlite_path())
    else:
        _pg_restore(source / database.path, database)
    connections.close_all()
    applied = _migrate_if_behind()
    anchors = [source / p for p in (ANCHOR_COPY, CHECKPOINT_COPY) if (source / p).exists()]
    live_log = anchor_log_path()
    report = records_verify(anchor_files=anchors)
    return Restored(
        manifest=manifest,
        media_restored=media_restored,
        media_unchanged=media_unchanged,
        media_extra=media_extra,
        migrations_applied=applied,
        anchor_log=live_log,
        anchor_log_exists=live_log.exists(),
        report=report,
    )


def _verified_copy(source: Path, dest: Path, entry: mf.Entry) -> None:
    """Copy ``source`` to ``dest`` checking size and SHA-256 on the way (the backup could have
    changed since it was checked); a mismatch removes ``dest`` and refuses."""
    with source.open("rb") as reader, dest.open("wb") as sink:
        size, sha256 = mf.hash_stream(reader, sink)
        sink.flush()
        os.fsync(sink.fileno())
    if (size, sha256) != (entry.size, entry.sha256):
        dest.unlink()
        raise BackupRefused([f"{entry.path} changed while it was being restored"])


def _bucket_restore(source: Path, manifest: mf.Manifest) -> tuple[int, int, int]:
    """The bucket's side of ``_media_restore``: an object the bucket lacks, or holds with
    other content, is sent again from the backup (checked against the manifest on the way);
    objects beyond the backup are left alone."""
    entries = mf.under(manifest.files, MEDIA_DIR)
    restored = unchanged = 0
    wanted: set[str] = set()
    for entry in entries:
        name = entry.path[len(MEDIA_DIR) + 1 :]
        wanted.add(name)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as live:
                if mf.hash_stream(live) == (entry.size, entry.sha256):
                    unchanged += 1
                    continue
            default_storage.delete(name)  # damaged: its address says what it must hold
        fd, temporary = tempfile.mkstemp(prefix=".restore-")
        os.close(fd)
        try:
            _verified_copy(source / entry.path, Path(temporary), entry)
            with open(temporary, "rb") as handle:
                default_storage.save(name, File(handle, name=name))
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        restored += 1
    extra = sum(1 for name in _bucket_names() if name not in wanted)
    return restored, unchanged, extra


def _media_restore(source: Path, manifest: mf.Manifest) -> tuple[int, int, int]:
    """Put back every evidence file of the backup that the live store lacks or holds damaged
    (temporary file, then rename); files the store has beyond the backup are left alone."""
    if in_bucket():
        return _bucket_restore(source, manifest)
    media_root = Path(settings.MEDIA_ROOT)
    entries = mf.under(manifest.files, MEDIA_DIR)
    restored = unchanged = 0
    wanted: set[str] = set()
    for entry in entries:
        relative = entry.path[len(MEDIA_DIR) + 1 :]
        wanted.add(relative)
        live = media_root / relative
        if (
            live.is_file()
            and not live.is_symlink()
            and mf.hash_file(live)
            == (
                entry.size,
                entry.sha256,
            )
        ):
            unchanged += 1
            continue
        live.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".restore-", dir=live.parent)
        os.close(fd)
        try:
            _verified_copy(source / entry.path, Path(temporary), entry)
            os.replace(temporary, live)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        restored += 1
    extra = 0
    if media_root.is_dir():
        extra = sum(
            1
            for p in mf.files_under(media_root)
            if p.relative_to(media_root).as_posix() not in wanted
        )
    return restored, unchanged, extra


def _sqlite_restore(copy: Path, entry: mf.Entry, live: Path) -> None:
    """Copy the backup beside the live database, check it, then write it over the live one
    with the online backup API: one transaction, so readers see the old or the new database,
    and a crash leaves the old one. (Renaming a file over a database in WAL mode would let
    SQLite replay the old write-ahead log into the new file.)"""
    live.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{live.name}.restore-", dir=live.parent)
    os.close(fd)
    try:
        _verified_copy(copy, Path(temporary), entry)
        restored = sqlite3.connect(temporary)
        try:
            result = restored.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                raise BackupRefused([f"{entry.path} is not a sound SQLite database: {result}"])
            has_migrations = restored.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
            if not has_migrations:
                raise BackupRefused([f"{entry.path} is not an Assay database"])
            target = sqlite3.connect(
                live, timeout=float(getattr(settings, "SQLITE_BUSY_TIMEOUT", 20))
            )
            try:
                restored.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupRefused([f"restoring {entry.path} failed: {error}"]) from error
        finally:
            restored.close()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _pg_restore(copy: Path, entry: mf.Entry) -> None:
    """Drop and recreate the ``public`` schema and replay the dump, all in one transaction
    (``psql --single-transaction``): any error leaves the database as it was."""
    if mf.hash_file(copy) != (entry.size, entry.sha256):
        raise BackupRefused([f"{entry.path} changed while it was being restored"])
    env = _pg_env()
    env["PGOPTIONS"] = f"-c lock_timeout={PG_LOCK_TIMEOUT}"
    _run(
        [
            _pg_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            "--command=DROP SCHEMA IF EXISTS public CASCADE",
            "--command=CREATE SCHEMA public",
            f"--file={copy}",
        ],
        env,
        "psql (restoring the database; it was left as it was)",
    )


def _migrate_if_behind() -> int:
    """A backup from an older Assay lacks the newer migrations: apply them so the restored
    database fits this code. Returns how many were applied."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", verbosity=0, interactive=False)
    return len(plan)
