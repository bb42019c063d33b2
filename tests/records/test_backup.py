"""``assay backup`` / ``assay restore`` end to end, as an operator runs them: the real console
script in a subprocess against its own data directory (SQLite) or its own scratch PostgreSQL
database, never the project's data. Records and evidence are made by a small script through the
real services (``record_append``, ``checkpoint_write``, files under their content address)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSAY = shutil.which("assay", path=str(ROOT / ".venv" / "bin"))

# Appends one record per chain name given; "checkpoint" writes a checkpoint; "file=TEXT" puts
# TEXT into the evidence store under its content address.
ACT = """
import hashlib, os, sys
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
import django
django.setup()
from django.conf import settings
from django.db import transaction
from assay.records.services import checkpoint_write, record_append
for arg in sys.argv[1:]:
    if arg == "checkpoint":
        checkpoint_write()
    elif arg.startswith("file="):
        data = arg[5:].encode()
        sha = hashlib.sha256(data).hexdigest()
        path = Path(settings.MEDIA_ROOT) / "evidence" / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        with transaction.atomic():
            record_append(arg, kind="note", payload={"note": arg}, by=None)
"""

pytestmark = pytest.mark.standalone  # its own data folder: not the configured database


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert ASSAY, "the assay console script is not installed in .venv"
    return subprocess.run([ASSAY, *args], env=env, capture_output=True, text=True, check=False)


def act(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-c", ACT, *args], env=env, check=True, capture_output=True)


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def evidence(root: Path, text: str) -> Path:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return root / "evidence" / sha[:2] / sha[2:4] / sha


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): digest(p) for p in sorted(root.rglob("*")) if p.is_file()}


def site_env(site: Path) -> dict[str, str]:
    """A site: its data directory, and its anchor log kept apart from it (as docs advise)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ASSAY_ANCHOR_LOG"}}
    env["ASSAY_DATA_DIR"] = str(site / "data")
    env["ASSAY_ANCHOR_LOG"] = str(site / "anchors" / "anchors.log")
    return env


# --- SQLite ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per module: two records in chain t:1, a checkpoint, one evidence file,
    and a backup of all that in site/backup."""
    site = tmp_path_factory.mktemp("site")
    env = site_env(site)
    migrate(env)
    act(env, "t:1", "t:1", "file=first evidence", "checkpoint")
    done = run(env, "backup", str(site / "backup"))
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture
def site(base_site: Path, tmp_path: Path) -> Path:
    """This test's own copy of the site and its backup."""
    shutil.copytree(base_site, tmp_path / "site")
    return tmp_path / "site"


def chain_lengths(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT chain, COUNT(*) FROM records_chainrecord GROUP BY chain")
        return dict(rows.fetchall())


def test_backup_writes_a_manifest_of_every_file(site: Path) -> None:
    backup = site / "backup"
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["format"] == "assay-backup" and manifest["version"] == 1
    assert manifest["database"] == {"engine": "sqlite", "path": "database/assay.sqlite3"}
    paths = {f["path"]: f for f in manifest["files"]}
    media = evidence(Path("media"), "first evidence").as_posix()
    assert set(paths) == {
        "anchors/anchors.log",
        "anchors/checkpoints.jsonl",
        "database/assay.sqlite3",
        media,
    }
    for path, entry in paths.items():
        assert digest(backup / path) == entry["sha256"]
        assert (backup / path).stat().st_size == entry["size"]
    assert [c["seq"] for c in manifest["checkpoints"]] == [1]
    assert len(manifest["checkpoints"][0]["root"]) == 64
    assert chain_lengths(backup / "database" / "assay.sqlite3") == {"t:1": 2}
    # The anchor copy names the two records; no partial backup directory is left behind.
    assert (backup / "anchors" / "anchors.log").read_text().count('"type":"head"') == 2
    assert sorted(p.name for p in site.iterdir()) == ["anchors", "backup", "data"]


def test_round_trip_reports_records_made_after_the_backup_missing(site: Path) -> None:
    env = site_env(site)
    done = run(env, "restore", "--check", str(site / "backup"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")

    # Right after the backup, a restore finds everything.
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok: 2 records in 1 chains" in done.stdout

    # A decision after the backup, a new chain and a new file; then the restore.
    act(env, "t:1", "t:2", "file=later evidence")
    live_log = (site / "anchors" / "anchors.log").read_bytes()
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "t:1: record 3 missing (anchored with 3, the database has 2)" in done.stdout
    assert "t:2: the whole chain is missing" in done.stdout
    assert "1 newer ones left in place" in done.stdout
    assert chain_lengths(site / "data" / "assay.sqlite3") == {"t:1": 2}
    # The live anchor log is the anchor kept apart: never overwritten by a restore.
    assert (site / "anchors" / "anchors.log").read_bytes() == live_log
    assert evidence(site / "data" / "media", "later evidence").exists()
    assert not [p for p in (site / "data").iterdir() if ".restore-" in p.name]


def test_restore_brings_back_a_lost_database_and_evidence(site: Path) -> None:
    env = site_env(site)
    data = site / "data"
    for name in ("assay.sqlite3", "assay.sqlite3-wal", "assay.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    shutil.rmtree(data / "media")
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "evidence files: 1 restored" in done.stdout
    assert evidence(data / "media", "first evidence").read_text() == "first evidence"
    assert chain_lengths(data / "assay.sqlite3") == {"t:1": 2}


def _flip_byte(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _tamper_database(backup: Path) -> str:
    _flip_byte(backup / "database" / "assay.sqlite3", 5000)
    return "database/assay.sqlite3: its SHA-256 differs from the manifest's"


def _tamper_media(backup: Path) -> str:
    path = evidence(backup / "media", "first evidence")
    _flip_byte(path, 0)
    return f"{path.relative_to(backup).as_posix()}: its SHA-256 differs from the manifest's"


def _remove_media(backup: Path) -> str:
    path = evidence(backup / "media", "first evidence")
    path.unlink()
    return f"{path.relative_to(backup).as_posix()}: missing"


def _truncate_database(backup: Path) -> str:
    path = backup / "database" / "assay.sqlite3"
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - 4096)
    return f"database/assay.sqlite3: {size - 4096:,} bytes, the manifest says {size:,}"


def _extra_file(backup: Path) -> str:
    (backup / "media" / "stray.txt").write_text("not from the backup")
    return "media/stray.txt: not in the manifest"


def _path_outside(backup: Path) -> str:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"].append({"path": "../data/assay.sqlite3", "size": 1, "sha256": "0" * 64})
    (backup / "manifest.json").write_text(json.dumps(manifest))
    return "'../data/assay.sqlite3': not a safe relative path"


def _no_manifest(backup: Path) -> str:
    (backup / "manifest.json").unlink()
    return "has no manifest.json"


@pytest.mark.parametrize(
    "tamper",
    [
        _tamper_database,
        _tamper_media,
        _remove_media,
        _truncate_database,
        _extra_file,
        _path_outside,
        _no_manifest,
    ],
)
def test_a_backup_that_differs_from_its_manifest_is_refused_and_nothing_changes(
    site: Path, tamper: object
) -> None:
    env = site_env(site)
    act(env, "t:1", "file=later evidence")  # so that a restore would change something
    expected = tamper(site / "backup")  # type: ignore[operator]
    before = tree(site / "data"), tree(site / "anchors")
    for args in (["--check"], ["--yes"]):
        done = run(env, "restore", *args, str(site / "backup"))
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stdout == ""
        assert expected in done.stderr
        assert "nothing was restored" in done.stderr
    assert (tree(site / "data"), tree(site / "anchors")) == before
    assert chain_lengths(site / "data" / "assay.sqlite3") == {"t:1": 3}


def test_backup_refuses_a_directory_that_is_not_empty(site: Path) -> None:
    env = site_env(site)
    before = tree(site / "backup")
    done = run(env, "backup", str(site / "backup"))
    assert done.returncode == 2
    assert "already exists and is not an empty directory" in done.stderr
    assert tree(site / "backup") == before
    done = run(env, "backup", str(site / "data" / "media" / "inside"))
    assert done.returncode == 2
    assert "is inside the evidence store" in done.stderr


def test_restore_asks_before_replacing_the_database(site: Path) -> None:
    env = site_env(site)
    act(env, "t:1")
    done = run(env, "restore", str(site / "backup"))  # no --yes, no terminal: not confirmed
    assert done.returncode == 2
    assert "not confirmed; nothing was restored" in done.stderr
    assert chain_lengths(site / "data" / "assay.sqlite3") == {"t:1": 3}


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_server() -> tuple[str, str, str, str]:
    """Host, port, user and a name stem for scratch databases: DATABASE_URL's server when it
    is PostgreSQL (the stem keeps CI's clean-up pattern), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlparse(url)
        return (
            parts.hostname or "127.0.0.1",
            str(parts.port or 5432),
            parts.username or "postgres",
            (parts.path.lstrip("/") or "assay") + "_backup",
        )
    return "127.0.0.1", "5432", "postgres", "assay_backup_test"


@pytest.fixture
def pg_site(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], list[str]]]:
    host, port, user, stem = _pg_server()
    psql = shutil.which("psql") or "/usr/bin/psql"
    ready = shutil.which("pg_isready") or "/usr/bin/pg_isready"
    if not Path(psql).exists() or not Path(ready).exists():
        pytest.skip("the PostgreSQL client is not installed")
    if subprocess.run([ready, "-h", host, "-p", port, "-q"], check=False).returncode != 0:
        pytest.skip(f"no PostgreSQL server at {host}:{port}")
    name = f"{stem}_{os.getpid()}"
    admin = [psql, "-h", host, "-p", port, "-U", user, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run([*admin, "-c", f'DROP DATABASE IF EXISTS "{name}"', "postgres"], check=True)
    subprocess.run([*admin, "-c", f'CREATE DATABASE "{name}"', "postgres"], check=True)
    env = site_env(tmp_path)
    env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{name}"
    try:
        yield tmp_path, env, [*admin, "-At", name]
    finally:
        subprocess.run(
            [*admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', "postgres"],
            check=False,
        )


def test_postgresql_round_trip(pg_site: tuple[Path, dict[str, str], list[str]]) -> None:
    site, env, query = pg_site

    def lengths() -> dict[str, int]:
        sql = "SELECT chain, COUNT(*) FROM records_chainrecord GROUP BY chain ORDER BY chain"
        out = subprocess.run([*query, "-c", sql], check=True, capture_output=True, text=True)
        return {c: int(n) for c, n in (line.split("|") for line in out.stdout.split())}

    migrate(env)
    act(env, "t:1", "t:1", "file=first evidence", "checkpoint")
    done = run(env, "backup", str(site / "backup"))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((site / "backup" / "manifest.json").read_text())
    assert manifest["database"] == {"engine": "postgresql", "path": "database/assay.sql"}

    act(env, "t:1", "t:2", "file=later evidence")
    assert lengths() == {"t:1": 3, "t:2": 1}
    # A damaged dump is refused before the database is touched.
    dump = site / "backup" / "database" / "assay.sql"
    original = dump.read_bytes()
    dump.write_bytes(original.replace(b"t:1", b"t:9", 1))
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 2 and "database/assay.sql" in done.stderr
    assert lengths() == {"t:1": 3, "t:2": 1}

    dump.write_bytes(original)
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "t:1: record 3 missing (anchored with 3, the database has 2)" in done.stdout
    assert "t:2: the whole chain is missing" in done.stdout
    assert lengths() == {"t:1": 2}
    # The restored database takes new records where the backup left off.
    act(env, "t:1")
    assert lengths() == {"t:1": 3}

    # A SQLite backup is not restored into PostgreSQL.
    manifest["database"]["engine"] = "sqlite"
    (site / "backup" / "manifest.json").write_text(json.dumps(manifest))
    done = run(env, "restore", "--yes", str(site / "backup"))
    assert done.returncode == 2
    assert "this is a backup of a sqlite database" in done.stderr
