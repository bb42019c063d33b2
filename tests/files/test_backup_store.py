"""``assay backup`` and ``assay restore`` carry the evidence on both stores: on object storage
the bucket's objects are streamed into the backup (a backup that skipped them would lose every
file), and a restore sends back what the bucket lost or holds damaged, checked against the
manifest, leaving other objects alone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from assay.engines.records import manifest as mf
from assay.files.storage import content_address, store_upload
from assay.records.backup import _media_copy, _media_restore

from .conftest import Backend

pytestmark = pytest.mark.nodb  # the store only; no database is opened


def _stored(text: str) -> str:
    data = text.encode() * 200
    return store_upload(io.BytesIO(data), original_name="note.txt").storage_name


def _manifest(entries: list[mf.Entry]) -> mf.Manifest:
    return mf.Manifest(
        created_at="2013-03-01T00:00:00+00:00",
        assay_version="test",
        engine="sqlite",
        database="database/assay.sqlite3",
        files=tuple(entries),
        checkpoints=(),
        notes=(),
    )


def test_backup_copies_every_stored_file_and_restore_puts_back_the_lost_one(
    backend: Backend, tmp_path: Path
) -> None:
    names = sorted([_stored("first witness statement\n"), _stored("second observation\n")])
    assert backend.keys() == names
    notes: list[str] = []
    root = tmp_path / "backup"
    root.mkdir()
    entries = list(_media_copy(Path(tmp_path / "media"), root, notes))
    assert notes == []
    assert [e.path for e in entries] == [f"media/{n}" for n in names]
    for entry in entries:
        assert content_address(entry.sha256) == entry.path.removeprefix("media/")
        assert (root / entry.path).stat().st_size == entry.size
    # The store loses one object and another is damaged behind Assay's back.
    lost, damaged = names
    backend.storage.delete(lost)
    backend.storage.delete(damaged)
    backend.storage.save(damaged, ContentFile(b"not what its address says"))
    extra = _stored("written after the backup\n")
    restored, unchanged, beyond = _media_restore(root, _manifest(entries))
    assert (restored, unchanged, beyond) == (2, 0, 1)
    assert backend.keys() == sorted([*names, extra])
    for entry in entries:
        name = entry.path.removeprefix("media/")
        with backend.storage.open(name, "rb") as handle:
            assert mf.hash_stream(handle) == (entry.size, entry.sha256)
    # Again: nothing to do.
    assert _media_restore(root, _manifest(entries)) == (0, 2, 1)


def test_a_damaged_object_is_left_out_of_the_backup_and_named(
    backend: Backend, tmp_path: Path
) -> None:
    good = _stored("kept\n")
    bad = content_address("0" * 64)
    backend.storage.save(bad, ContentFile(b"tampered"))
    root = tmp_path / "backup"
    root.mkdir()
    notes: list[str] = []
    entries = list(_media_copy(Path(tmp_path / "media"), root, notes))
    assert [e.path for e in entries] == [f"media/{good}"]
    assert notes == [f"media/{bad}: its content is not its address (damaged); left out"]
