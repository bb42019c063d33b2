"""The manifest of a backup directory: every file's path, size and SHA-256, checked before a
restore touches anything.

Plain Python (no Django): the backup service writes the files, this module describes and
checks them. The manifest catches a copy that is incomplete, truncated or corrupted on its way
to the backup disk; it is not a signature (whoever can edit a file can edit the manifest too).
Rewritten records are caught after the restore by the anchor log kept outside the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "assay-backup"
VERSION = 1
NAME = "manifest.json"
CHUNK = 1024 * 1024
ENGINES = ("sqlite", "postgresql")

_SHA256 = re.compile(r"[0-9a-f]{64}")
# The evidence store's content address (assay/files/storage.py): evidence/ab/cd/<sha256>.
_ADDRESS = re.compile(r"media/evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


class ManifestError(ValueError):
    """The manifest cannot be read or is not one this version of Assay writes."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of the backup, by its path relative to the backup directory (POSIX form)."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What ``manifest.json`` holds. ``database`` is the path of the database copy among
    ``files``; ``checkpoints`` the checkpoint log's Merkle roots at the time of the backup."""

    created_at: str
    assay_version: str
    engine: str
    database: str
    files: tuple[Entry, ...]
    checkpoints: tuple[Mapping[str, Any], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "assay_version": self.assay_version,
            "database": {"engine": self.engine, "path": self.database},
            "checkpoints": [dict(c) for c in self.checkpoints],
            "notes": list(self.notes),
            "files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in self.files],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.files)


def hash_stream(source: IO[bytes], sink: IO[bytes] | None = None) -> tuple[int, str]:
    """Size and SHA-256 of a stream read in chunks, copying it to ``sink`` on the way."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return size, digest.hexdigest()


def hash_file(path: Path) -> tuple[int, str]:
    with path.open("rb") as handle:
        return hash_stream(handle)


def entry_for(root: Path, path: Path) -> Entry:
    """The manifest entry of ``path``, a file inside the backup directory ``root``."""
    size, sha256 = hash_file(path)
    return Entry(path.relative_to(root).as_posix(), size, sha256)


def address_mismatch(entry: Entry) -> bool:
    """True for an evidence file (``media/evidence/ab/cd/<sha256>``) whose content does not
    hash to its address; other files have no address to match."""
    address = _ADDRESS.fullmatch(entry.path)
    if address is None:
        return False
    return not (
        address[3] == entry.sha256
        and address[3][:2] == address[1]
        and address[3][2:4] == address[2]
    )


def unsafe_path(path: str) -> bool:
    """A path that could reach outside the backup (or the live store) when joined to it."""
    pure = PurePosixPath(path)
    return (
        not path
        or "\\" in path
        or pure.is_absolute()
        or any(part in {"", ".", ".."} for part in path.split("/"))
        or path == NAME
    )


def parse(text: str) -> Manifest:
    """The manifest in ``text``; ManifestError when it is not JSON, not ours or malformed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"{NAME} is not JSON ({error.msg}, line {error.lineno})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f"{NAME} is not an Assay backup manifest")
    if data.get("version") != VERSION:
        raise ManifestError(
            f"{NAME} has format version {data.get('version')!r}; this Assay reads {VERSION}"
        )
    try:
        database = data["database"]
        files = tuple(
            Entry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"]
        )
        manifest = Manifest(
            created_at=str(data["created_at"]),
            assay_version=str(data["assay_version"]),
            engine=str(database["engine"]),
            database=str(database["path"]),
            files=files,
            checkpoints=tuple(dict(c) for c in data.get("checkpoints", [])),
            notes=tuple(str(n) for n in data.get("notes", [])),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ManifestError(f"{NAME} is malformed ({error!r})") from error
    if manifest.engine not in ENGINES:
        raise ManifestError(f"{NAME} names an unknown database engine {manifest.engine!r}")
    return manifest


def read(directory: Path) -> Manifest:
    path = directory / NAME
    if not directory.is_dir():
        raise ManifestError(f"{directory} is not a directory")
    if not path.is_file():
        raise ManifestError(f"{directory} has no {NAME}: not an Assay backup (or not finished)")
    return parse(path.read_text(encoding="utf-8"))


def files_under(directory: Path) -> Iterator[Path]:
    """Every regular file below ``directory`` in a stable order (symbolic links are skipped:
    a backup holds copies, never pointers)."""
    for base, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(names):
            path = Path(base) / name
            if path.is_file() and not path.is_symlink():
                yield path


def check(directory: Path, manifest: Manifest) -> list[str]:
    """Every way the files in ``directory`` differ from ``manifest``: unsafe or duplicate
    paths, files missing, of another size or another SHA-256, evidence whose content is not
    its address, and files the manifest does not list. Empty when the backup is whole."""
    problems: list[str] = []
    listed: set[str] = set()
    if manifest.database not in {e.path for e in manifest.files}:
        problems.append(f"the database copy {manifest.database} is not among the listed files")
    for entry in manifest.files:
        if unsafe_path(entry.path):
            problems.append(f"{entry.path!r}: not a safe relative path")
            continue
        if entry.path in listed:
            problems.append(f"{entry.path}: listed twice")
            continue
        listed.add(entry.path)
        if not _SHA256.fullmatch(entry.sha256):
            problems.append(f"{entry.path}: the manifest's SHA-256 is not 64 hex digits")
            continue
        if address_mismatch(entry):
            problems.append(f"{entry.path}: evidence whose SHA-256 is not its address")
        path = directory / entry.path
        if not path.is_file():
            problems.append(f"{entry.path}: missing")
            continue
        size, sha256 = hash_file(path)
        if size != entry.size:
            problems.append(f"{entry.path}: {size:,} bytes, the manifest says {entry.size:,}")
        elif sha256 != entry.sha256:
            problems.append(f"{entry.path}: its SHA-256 differs from the manifest's")
    for path in files_under(directory):
        relative = path.relative_to(directory).as_posix()
        if relative != NAME and relative not in listed:
            problems.append(f"{relative}: not in the manifest")
    return problems


def under(files: Sequence[Entry], prefix: str) -> list[Entry]:
    """The entries below ``prefix/`` (e.g. the media files)."""
    return [e for e in files if e.path.startswith(prefix.rstrip("/") + "/")]
