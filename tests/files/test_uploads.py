"""Uploads hashed while Django spools them, then linked (not copied) to their content address:
the same answers and refusals as a stream, one file on disk, nothing overwritten."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from assay.errors import InvalidInput
from assay.files.storage import content_address, store_upload
from assay.files.uploads import InspectedUpload, InspectingUploadHandler
from tests.portfolios.test_storage import DOCX, EXE, PDF, PNG, TEXT, WAV


@pytest.fixture
def storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "media", file_permissions_mode=0o644)


@pytest.fixture
def spool_dir(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def spooled(data: bytes, name: str = "upload.bin", chunk: int = 64 * 1024) -> InspectedUpload:
    """What Django's parser hands the view: the handler fed chunk by chunk."""
    handler = InspectingUploadHandler()
    handler.new_file("file", name, "application/octet-stream", len(data))
    for start in range(0, len(data), chunk):
        handler.receive_data_chunk(data[start : start + chunk], start)
    return handler.file_complete(len(data))


def stored_files(storage: FileSystemStorage) -> list[Path]:
    return sorted(p for p in Path(storage.location).rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (TEXT * 2000, "text/plain"),  # longer than the head: the text check follows it all
        (WAV, "audio/wav"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_a_spooled_upload_is_linked_to_its_address_not_copied(
    data: bytes, media_type: str, storage: FileSystemStorage, spool_dir: Path
) -> None:
    upload = spooled(data)
    temporary = Path(upload.temporary_file_path())
    result = store_upload(upload, original_name="evidence", storage=storage)
    sha = hashlib.sha256(data).hexdigest()
    assert (result.sha256, result.size, result.media_type, result.created) == (
        sha,
        len(data),
        media_type,
        True,
    )
    assert result.storage_name == content_address(sha)
    path = Path(storage.path(result.storage_name))
    assert path.stat().st_ino == temporary.stat().st_ino  # one file, two names
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not the temporary file's 0600
    upload.close()  # what Django does when the request ends
    assert not temporary.exists()
    assert path.read_bytes() == data
    assert stored_files(storage) == [path]
    assert list(spool_dir.iterdir()) == []


def test_identical_content_keeps_the_stored_file(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    first = store_upload(spooled(PDF), original_name="a.pdf", storage=storage)
    path = Path(storage.path(first.storage_name))
    before = path.stat()
    again_upload = spooled(PDF)
    again = store_upload(again_upload, original_name="b.pdf", storage=storage)
    assert again.created is False and again.storage_name == first.storage_name
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert after.st_ino != os.stat(again_upload.temporary_file_path()).st_ino
    # and a stream of the same content finds it too
    assert store_upload(SimpleUploadedFile("c.pdf", PDF), original_name="c.pdf", storage=storage)
    assert stored_files(storage) == [path]


def test_a_name_taken_in_the_meantime_is_never_replaced(
    storage: FileSystemStorage, spool_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request stores the same content between the check and the link: theirs stays."""
    upload = spooled(PNG)
    path = Path(storage.path(content_address(hashlib.sha256(PNG).hexdigest())))
    real_link = os.link

    def racing_link(source: str, target: str) -> None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(PNG)  # the other request's identical file
        real_link(source, target)

    monkeypatch.setattr(os, "link", racing_link)
    result = store_upload(upload, original_name="p.png", storage=storage)
    assert result.created is False
    assert path.stat().st_ino != os.stat(upload.temporary_file_path()).st_ino


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (PNG + bytes(5000), {"max_bytes": 5000}, "larger than the limit of 5,000 bytes"),
        (b"", {}, "is empty"),
        (PNG, {"expected_size": len(PNG) + 10}, f"{len(PNG):,} of {len(PNG) + 10:,} bytes"),
        (EXE, {}, "holds application/vnd.microsoft.portable-executable content"),
        (TEXT * 2000 + b"\x00" + TEXT, {}, "holds application/octet-stream content"),
        (PNG, {"allowed_types": frozenset({"application/pdf"})}, "holds image/png content"),
    ],
)
def test_refusals_are_the_same_and_store_nothing(
    data: bytes, kwargs: dict[str, Any], message: str, storage: FileSystemStorage, spool_dir: Path
) -> None:
    upload = spooled(data, "x.bin")
    with pytest.raises(InvalidInput, match=message):
        store_upload(upload, original_name="x.bin", storage=storage, **kwargs)
    # the stream path answers the same
    with pytest.raises(InvalidInput, match=message):
        store_upload(
            SimpleUploadedFile("x.bin", data), original_name="x.bin", storage=storage, **kwargs
        )
    assert stored_files(storage) == []
    upload.close()
    assert list(spool_dir.iterdir()) == []


def test_without_hard_links_the_file_is_copied(
    storage: FileSystemStorage, spool_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another file system (or one without hard links): the stream path copies and re-hashes."""

    def no_link(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    upload = spooled(WAV)
    result = store_upload(upload, original_name="d.wav", storage=storage)
    path = Path(storage.path(result.storage_name))
    assert result.created and path.read_bytes() == WAV
    assert path.stat().st_ino != os.stat(upload.temporary_file_path()).st_ino
    assert result.sha256 == hashlib.sha256(WAV).hexdigest()


def test_django_spools_large_uploads_through_the_inspecting_handler(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    """The configured handlers: a file above FILE_UPLOAD_MAX_MEMORY_SIZE arrives inspected."""
    data = WAV + bytes(3 * 1024 * 1024)
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("talk.wav", data)})
    upload = request.FILES["file"]
    assert isinstance(upload, InspectedUpload)
    assert upload.inspection.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.inspection.size == len(data)
    result = store_upload(
        upload, original_name="talk.wav", storage=storage, expected_size=upload.size
    )
    assert result.created and result.media_type == "audio/wav"
    stored = os.stat(storage.path(result.storage_name))
    assert stored.st_ino == os.stat(upload.temporary_file_path()).st_ino
