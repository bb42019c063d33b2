"""Evidence files: streamed, content-addressed, typed from the content, never overwritten."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from assay.errors import InvalidInput
from assay.files.storage import (
    StoredFile,
    content_address,
    open_evidence,
    sanitise_name,
    store_upload,
    verify_stored,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1) + bytes(200)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = b"Reflective account: I calmed the customer, then checked the order.\n"
WAV = (
    b"RIFF"
    + struct.pack("<I", 36 + 800)
    + b"WAVEfmt "
    + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    + b"data"
    + struct.pack("<I", 800)
    + bytes(range(256)) * 3
    + bytes(32)
)
EXE = b"MZ\x90\x00" + bytes(1_000_000)


def zip_bytes(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": '<?xml version="1.0"?><Types><Override PartName="/word/document.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document'
        '.main+xml"/></Types>',
        "word/document.xml": "<w:document/>",
    }
)
XLSX = zip_bytes(
    {
        "[Content_Types].xml": '<Types><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "xl/workbook.xml": "<workbook/>",
    }
)


def ole_bytes(stream_name: str, directory_sectors: int = 1) -> bytes:
    """A minimal compound file (Word/Excel 97-2003 container) with 512-byte sectors: header,
    the FAT, then the directory (the root entry and one empty stream under it, then unused
    entries up to ``directory_sectors`` sectors)."""
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + directory_sectors:
        fat_sectors += 1
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header[44:52] = struct.pack("<II", fat_sectors, fat_sectors)  # FAT count, directory start
    header[56:76] = struct.pack("<IIIII", 4096, end, 0, end, 0)  # no mini FAT, no DIFAT
    header[76:512] = struct.pack("<109I", *range(fat_sectors), *[free] * (109 - fat_sectors))
    chain = [*range(fat_sectors + 1, fat_sectors + directory_sectors), end]
    entries = [0xFFFFFFFD] * fat_sectors + chain  # FAT sectors marked, then the chain
    entries += [free] * (128 * fat_sectors - len(entries))
    fat = struct.pack(f"<{len(entries)}I", *entries)

    def entry(name: str, kind: int, child: int) -> bytes:
        raw = (name + "\x00").encode("utf-16-le")
        links = struct.pack("<HBBIII", len(raw), kind, 1, nostream, nostream, child)
        return raw.ljust(64, b"\x00") + links + bytes(36) + struct.pack("<III", end, 0, 0)

    directory = entry("Root Entry", 5, 1) + entry(stream_name, 2, nostream)
    return bytes(header) + fat + directory.ljust(512 * directory_sectors, b"\x00")


@pytest.fixture
def storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "media")


@pytest.fixture
def spool_dir(tmp_path: Path, settings: Any) -> Path:
    """Where temporary files go, so tests can see that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def stored_files(storage: FileSystemStorage) -> list[Path]:
    return sorted(p for p in Path(storage.location).rglob("*") if p.is_file())


def store(data: bytes, name: str, storage: FileSystemStorage, **kwargs: Any) -> StoredFile:
    return store_upload(io.BytesIO(data), original_name=name, storage=storage, **kwargs)


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (PNG, "photo.png", "image/png"),
        (PDF, "witness statement.pdf", "application/pdf"),
        (TEXT, "reflection.txt", "text/plain"),
        ("név,érték\nÁgnes,3\n".encode(), "scores.csv", "text/plain"),
        (WAV, "discussion.wav", "audio/wav"),
        (
            DOCX,
            "plan.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (XLSX, "log.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ole_bytes("WordDocument"), "old.doc", "application/msword"),
        (ole_bytes("Workbook"), "old.xls", "application/vnd.ms-excel"),
        (ole_bytes("Book"), "excel5.xls", "application/vnd.ms-excel"),
    ],
)
def test_small_real_files_are_stored_by_content_address(
    data: bytes, name: str, media_type: str, storage: FileSystemStorage, spool_dir: Path
) -> None:
    result = store(data, name, storage)
    sha = hashlib.sha256(data).hexdigest()
    assert result == StoredFile(
        sha256=sha,
        size=len(data),
        media_type=media_type,
        original_name=name,
        storage_name=f"evidence/{sha[:2]}/{sha[2:4]}/{sha}",
        created=True,
    )
    assert Path(storage.path(result.storage_name)).read_bytes() == data
    assert list(spool_dir.iterdir()) == []
    with open_evidence(result.storage_name, storage=storage) as fh:
        assert fh.read() == data
    assert verify_stored(result.storage_name, sha, storage=storage)


def test_defaults_come_from_settings(storage: FileSystemStorage, settings: Any) -> None:
    assert settings.ASSAY_EVIDENCE_MAX_BYTES == 2 * 1024**3
    assert {"application/pdf", "audio/mpeg", "video/mp4", "text/plain"} <= set(
        settings.ASSAY_EVIDENCE_TYPES
    )
    settings.ASSAY_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(InvalidInput, match="limit of 100 bytes"):
        store(PNG, "photo.png", storage)
    settings.ASSAY_EVIDENCE_MAX_BYTES = 10_000
    settings.ASSAY_EVIDENCE_TYPES = ["application/pdf"]
    with pytest.raises(InvalidInput, match="image/png"):
        store(PNG, "photo.png", storage)
    assert store(PDF, "a.pdf", storage).created


class Counting(io.RawIOBase):
    """A stream that counts what was read from it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._data.readinto(buffer)
        self.read_bytes += n
        return n


def test_oversize_is_refused_reading_no_further_than_the_limit(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    stream = Counting(PNG + bytes(1_000_000))
    with pytest.raises(InvalidInput) as refused:
        store_upload(stream, original_name="big.png", max_bytes=100_000, storage=storage)
    assert "larger than the limit of 100,000 bytes" in str(refused.value)
    assert refused.value.errors.keys() == {"file"}
    assert stream.read_bytes == 100_001
    assert stored_files(storage) == []
    assert list(spool_dir.iterdir()) == []
    # exactly at the limit is fine
    assert store(PNG, "fits.png", storage, max_bytes=len(PNG)).size == len(PNG)


def test_declared_size_over_the_limit_is_refused_before_reading(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    stream = Counting(PNG)
    with pytest.raises(InvalidInput, match="the limit is 10 bytes"):
        store_upload(
            stream, original_name="a.png", max_bytes=10, expected_size=5000, storage=storage
        )
    assert stream.read_bytes == 0


def test_empty_file_is_refused(storage: FileSystemStorage, spool_dir: Path) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        store(b"", "nothing.txt", storage)
    assert stored_files(storage) == [] and list(spool_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "sniffed"),
    [
        (EXE, "application/vnd.microsoft.portable-executable"),
        (zip_bytes({"a.txt": "hello"}), "application/zip"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (TEXT + b"\x00" * 20_000, "application/octet-stream"),  # text head, binary body
        (ole_bytes("PowerPoint Document"), "application/x-ole-storage"),
        (ole_bytes("WordDocument")[:1000], "application/x-ole-storage"),  # cut off
        # A directory far larger than any document's is not read to the end, nor trusted.
        (ole_bytes("WordDocument", directory_sectors=6000), "application/x-ole-storage"),
    ],
)
def test_wrong_type_is_refused(
    data: bytes, sniffed: str, storage: FileSystemStorage, spool_dir: Path
) -> None:
    with pytest.raises(InvalidInput) as refused:
        store(data, "looks-fine.pdf", storage)
    assert f"holds {sniffed} content" in str(refused.value)
    assert stored_files(storage) == [] and list(spool_dir.iterdir()) == []


def test_barred_type_is_refused_once_the_head_is_read(storage: FileSystemStorage) -> None:
    stream = Counting(EXE)
    with pytest.raises(InvalidInput):
        store_upload(stream, original_name="setup.exe", storage=storage)
    assert stream.read_bytes < len(EXE) // 2


def test_the_name_never_decides_the_type(storage: FileSystemStorage, spool_dir: Path) -> None:
    renamed = store(PNG, "report.pdf", storage)
    assert (renamed.media_type, renamed.original_name) == ("image/png", "report.pdf")
    with pytest.raises(InvalidInput, match="holds image/png content"):
        store(PNG + b"x", "report.pdf", storage, allowed_types=frozenset({"application/pdf"}))
    assert stored_files(storage) == [Path(storage.path(renamed.storage_name))]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ann\\Desktop\\plan.docx", "plan.docx"),
        ("/abs/path/statement.pdf", "statement.pdf"),
        ("bad\x00name\r\n.txt", "badname.txt"),
        ("photo\u202egnp.exe", "photognp.exe"),  # right-to-left override removed
        ("..", "unnamed"),
        ("dir/", "unnamed"),
        ("  spaced name.pdf  ", "spaced name.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("y" * 300, "y" * 200),
    ],
)
def test_names_are_sanitised(given: str, kept: str) -> None:
    assert sanitise_name(given) == kept


def test_path_parts_never_reach_the_storage(storage: FileSystemStorage, spool_dir: Path) -> None:
    result = store(TEXT, "../../etc/passwd", storage)
    assert result.original_name == "passwd"
    assert stored_files(storage) == [Path(storage.path(content_address(result.sha256)))]


def test_identical_content_is_stored_once_and_never_overwritten(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    first = store(PDF, "statement.pdf", storage)
    path = Path(storage.path(first.storage_name))
    before = path.stat()
    again = store(PDF, "statement (copy).pdf", storage)
    assert again.created is False
    assert (again.storage_name, again.sha256) == (first.storage_name, first.sha256)
    assert again.original_name == "statement (copy).pdf"
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino, after.st_size) == (
        before.st_mtime_ns,
        before.st_ino,
        before.st_size,
    )
    assert path.read_bytes() == PDF
    assert stored_files(storage) == [path]
    assert list(spool_dir.iterdir()) == []


class Failing(io.RawIOBase):
    """A client that disconnects after ``good`` bytes."""

    def __init__(self, data: bytes, good: int) -> None:
        self._data = io.BytesIO(data)
        self._good = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._data.tell() >= self._good:
            raise OSError("connection reset by peer")
        view = memoryview(buffer)[: self._good - self._data.tell()]
        return self._data.readinto(view)


def test_upload_cut_off_half_way_leaves_nothing(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    data = PNG + os.urandom(300_000)
    with pytest.raises(OSError, match="reset"):
        store_upload(Failing(data, 150_000), original_name="photo.png", storage=storage)
    assert stored_files(storage) == []
    assert list(spool_dir.iterdir()) == []
    # a stream that simply ends early is caught by the declared size
    with pytest.raises(InvalidInput, match=f"150,000 of {len(data):,} bytes"):
        store_upload(
            io.BytesIO(data[:150_000]),
            original_name="photo.png",
            expected_size=len(data),
            storage=storage,
        )
    assert stored_files(storage) == []
    assert list(spool_dir.iterdir()) == []
    assert store_upload(
        io.BytesIO(data), original_name="photo.png", expected_size=len(data), storage=storage
    ).created


def test_uploaded_file_objects_are_read_from_the_start(
    storage: FileSystemStorage, spool_dir: Path
) -> None:
    upload = SimpleUploadedFile("a.wav", WAV, content_type="application/pdf")
    upload.read(10)
    result = store_upload(upload, original_name=upload.name or "", storage=storage)
    assert (result.media_type, result.size) == ("audio/wav", len(WAV))


def test_open_and_verify_accept_only_content_addresses(storage: FileSystemStorage) -> None:
    result = store(TEXT, "a.txt", storage)
    for bad in ("../secrets", "evidence/00/00/" + "0" * 63, "evidence/ab/cd/" + result.sha256):
        with pytest.raises(InvalidInput):
            open_evidence(bad, storage=storage)
    assert not verify_stored(result.storage_name, "f" * 64, storage=storage)
    missing = content_address("ab" * 32)
    assert not verify_stored(missing, "ab" * 32, storage=storage)
    Path(storage.path(result.storage_name)).write_bytes(TEXT + b"tampered")
    assert not verify_stored(result.storage_name, result.sha256, storage=storage)


class Generated(io.RawIOBase):
    """``size`` bytes of text made on the fly: nothing of it exists in memory at once."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._blocks = self._generate()
        self._pending = b""

    def _generate(self) -> Iterator[bytes]:
        n = 0
        while True:
            n += 1
            yield f"line {n}: the candidate explained the refund policy clearly.\n".encode() * 64

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        if not self._pending:
            self._pending = next(self._blocks)
        n = min(len(buffer), len(self._pending), self._left)
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self._left -= n
        return n


def test_memory_stays_flat_for_a_large_upload(storage: FileSystemStorage, spool_dir: Path) -> None:
    size = 200 * 1024 * 1024
    tracemalloc.start()
    try:
        result = store_upload(Generated(size), original_name="long.txt", storage=storage)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.size, result.media_type, result.created) == (size, "text/plain", True)
    assert peak < 5 * 1024 * 1024, f"peak Python allocation {peak:,} bytes"
    assert os.path.getsize(storage.path(result.storage_name)) == size
    assert list(spool_dir.iterdir()) == []
