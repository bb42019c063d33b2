"""The backup manifest (plain Python): what it reads, and every way a backup can differ."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from assay.engines.records import manifest as mf


def _backup(root: Path, files: dict[str, bytes]) -> mf.Manifest:
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    manifest = mf.Manifest(
        created_at="2013-03-01T09:00:00+00:00",
        assay_version="0.1.0",
        engine="sqlite",
        database="database/assay.sqlite3",
        files=tuple(mf.entry_for(root, root / p) for p in sorted(files)),
        checkpoints=({"seq": 1, "at": "x", "root": "a" * 64, "hash": "b" * 64},),
    )
    (root / mf.NAME).write_text(manifest.as_json())
    return manifest


def _address(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return f"media/evidence/{sha[:2]}/{sha[2:4]}/{sha}"


def test_a_whole_backup_reads_back_and_checks_clean(tmp_path: Path) -> None:
    written = _backup(tmp_path, {"database/assay.sqlite3": b"db", _address(b"ev"): b"ev"})
    assert mf.read(tmp_path) == written
    assert mf.check(tmp_path, written) == []
    assert [e.path for e in mf.under(written.files, "media")] == [_address(b"ev")]
    assert written.total_bytes == 4


def test_every_difference_is_named(tmp_path: Path) -> None:
    manifest = _backup(
        tmp_path,
        {"database/assay.sqlite3": b"db", _address(b"ev"): b"ev", "anchors/anchors.log": b"x\n"},
    )
    (tmp_path / "database/assay.sqlite3").write_bytes(b"dB")
    (tmp_path / _address(b"ev")).unlink()
    (tmp_path / "anchors/anchors.log").write_bytes(b"x\ny\n")
    (tmp_path / "stray").write_bytes(b"")
    assert mf.check(tmp_path, manifest) == [
        "anchors/anchors.log: 4 bytes, the manifest says 2",
        "database/assay.sqlite3: its SHA-256 differs from the manifest's",
        f"{_address(b'ev')}: missing",
        "stray: not in the manifest",
    ]


def test_evidence_must_be_at_its_own_address(tmp_path: Path) -> None:
    wrong = _address(b"other")
    manifest = _backup(tmp_path, {"database/assay.sqlite3": b"db", wrong: b"ev"})
    assert mf.check(tmp_path, manifest) == [f"{wrong}: evidence whose SHA-256 is not its address"]


@pytest.mark.parametrize(
    "path", ["../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\..\\b", "", "manifest.json"]
)
def test_unsafe_paths_are_refused(path: str) -> None:
    assert mf.unsafe_path(path)


def test_listed_twice_and_database_not_listed(tmp_path: Path) -> None:
    manifest = _backup(tmp_path, {"database/other": b"db"})
    problems = mf.check(tmp_path, dataclasses.replace(manifest, files=manifest.files * 2))
    assert "the database copy database/assay.sqlite3 is not among the listed files" in problems
    assert "database/other: listed twice" in problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", r"manifest\.json is not JSON"),
        ("[]", "not an Assay backup manifest"),
        (json.dumps({"format": "assay-backup", "version": 2}), "format version 2"),
        (json.dumps({"format": "assay-backup", "version": 1}), "is malformed"),
    ],
)
def test_unreadable_manifests_are_refused(text: str, message: str) -> None:
    with pytest.raises(mf.ManifestError, match=message):
        mf.parse(text)


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    manifest = _backup(tmp_path, {"database/assay.sqlite3": b"db"})
    data = json.loads(manifest.as_json())
    data["database"]["engine"] = "oracle"
    with pytest.raises(mf.ManifestError, match="unknown database engine 'oracle'"):
        mf.parse(json.dumps(data))


def test_a_directory_without_a_manifest_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(mf.ManifestError, match=r"has no manifest\.json"):
        mf.read(tmp_path)
    with pytest.raises(mf.ManifestError, match="is not a directory"):
        mf.read(tmp_path / "nowhere")
