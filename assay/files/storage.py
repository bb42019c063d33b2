"""Evidence files: streamed in, named by their SHA-256, never overwritten.

Uploads can be hours of audio or video of a professional discussion, so nothing here reads a
whole file into memory: the stream is copied in 64 KiB chunks to a temporary file while it is
hashed and counted. Only when the whole stream has arrived, within the size limit, and its type
(sniffed from the content, never from the name) is allowed, is it saved under its content
address ``evidence/ab/cd/<sha256>`` through Django's storage API, so object storage can replace
the local disk. An upload that fails or is cut off half-way never reaches the storage.

A large web upload arrives already spooled and inspected (``assay.files.uploads``: Django's
temporary file, hashed as it was written). With a local file-system storage that one file is
hard-linked to its content address after the same checks, neither read nor written again; with
object storage (``assay.files.objectstore``) that file is sent as a multipart upload, part by
part from the disk.

The same content is stored once: a second upload of it finds the object already there and
leaves it untouched (``created=False``). The size, type and original name are returned for the
caller to keep beside the address; the storage holds the bytes only. A store that cannot be
reached refuses the upload with a message (``InvalidInput``), never a server error.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import hmac
import io
import logging
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import olefile
import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from assay.errors import InvalidInput, StorageUnavailable

CHUNK = 64 * 1024
HEAD = 8 * 1024  # what the sniffer looks at; every signature we accept sits in the first bytes
MAX_NAME = 200
PREFIX = "evidence"
_ADDRESS = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
# Bytes that do not occur in plain text (tab, line feed, form feed, carriage return do).
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = olefile.MAGIC
# Directory bytes the OLE sniffer reads at most (8,192 entries; a document needs a handful).
OLE_DIRECTORY_BYTES = 1024 * 1024
OCTET = "application/octet-stream"

log = logging.getLogger("assay.files")

# One name per type, whatever spelling the sniffer's database uses.
_ALIASES = {"audio/wave": "audio/wav", "audio/vnd.wave": "audio/wav", "audio/x-wav": "audio/wav"}
# The main part of an Office Open XML package, as its [Content_Types].xml declares it.
_OOXML = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    b"application/vnd.ms-word.document.macroEnabled.main+xml": (
        "application/vnd.ms-word.document.macroEnabled.12"
    ),
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml": (
        "application/vnd.ms-excel.sheet.macroEnabled.12"
    ),
}


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An evidence file in storage; ``created`` is False when identical content was there."""

    sha256: str
    size: int
    media_type: str
    original_name: str
    storage_name: str
    created: bool

    def row_fields(self) -> dict[str, object]:
        """The columns every file row keeps (portfolio evidence, audit site evidence)."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "original_name": self.original_name,
            "storage_name": self.storage_name,
        }


def content_address(sha256: str) -> str:
    """Where content with this SHA-256 lives: ``evidence/ab/cd/<sha256>`` (fan-out by prefix
    keeps directories small on a local disk)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise InvalidInput({"sha256": "not a SHA-256 in lowercase hex"})
    return f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def sanitise_name(name: str) -> str:
    """The original file name, safe to show and to offer as a download name: the last path
    part only (either slash), no control or formatting characters (a right-to-left override
    can disguise ``gpj.exe`` as ``exe.jpg``), at most ``MAX_NAME`` characters keeping the
    extension. The name is only a label: the storage name is the content address."""
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/")
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Cs"})
    text = text.rsplit("/", 1)[-1].strip()
    if text in {"", ".", ".."}:
        return "unnamed"
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            text = stem[: MAX_NAME - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:MAX_NAME]
    return text


def evidence_max_bytes() -> int:
    return int(settings.ASSAY_EVIDENCE_MAX_BYTES)


def evidence_types() -> frozenset[str]:
    return frozenset(settings.ASSAY_EVIDENCE_TYPES)


class _TextCheck:
    """Follows the whole stream: is it UTF-8 without the bytes that plain text never holds?"""

    def __init__(self) -> None:
        self.ok = True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if not self.ok:
            return
        try:
            self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.ok = False
            return
        if _NOT_TEXT.search(chunk):
            self.ok = False


def _sniff_head(head: bytes) -> str:
    """The type the first bytes show. Zip and OLE containers need the whole file (see
    ``_sniff_container``); text is provisional until the whole stream was checked."""
    if head.startswith(_ZIP):
        return "application/zip"
    if head.startswith(_OLE):
        return "application/x-ole-storage"
    best = ("", 0.0)
    with contextlib.suppress(puremagic.PureError, ValueError):
        for match in puremagic.magic_string(head):
            if match.mime_type:
                best = (match.mime_type, match.confidence)
                break
    text = _TextCheck()
    text.feed(head)
    # Plain text wins over weak two- or three-byte signatures ("BM…", "ID3…" in prose);
    # a real signature such as "%PDF-" (confidence 0.4 and up) wins over text.
    if text.ok and best[1] < 0.4:
        return "text/plain"
    if not best[0]:
        return OCTET
    mime = _ALIASES.get(best[0], best[0])
    if mime == "application/ogg":
        mime = _ogg_kind(head)
    return mime


def _ogg_kind(head: bytes) -> str:
    """An Ogg file's first page names its codec: Vorbis/Opus/FLAC/Speex audio or Theora video."""
    first_packet = head[28:40]
    if any(tag in first_packet for tag in (b"vorbis", b"OpusHead", b"FLAC", b"Speex")):
        return "audio/ogg"
    if b"theora" in first_packet:
        return "video/ogg"
    return "application/ogg"


def _sniff_container(path: str, head_type: str) -> str:
    """Look inside a zip or OLE file for what it really is (Word, Excel, or something else)."""
    if head_type == "application/zip":
        return _ooxml_type(path)
    return _ole_type(path)


def _ooxml_type(path: str) -> str:
    """An Office Open XML document is a zip whose ``[Content_Types].xml`` names its main part;
    any other zip stays ``application/zip`` (refused by default: it could hold anything)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("[Content_Types].xml") as entry:
            declared = entry.read(1024 * 1024)  # bounded: a zip bomb cannot inflate here
    # zipfile signals an unsupported compression method with NotImplementedError: not a stub.
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, ValueError):
        return "application/zip"
    for main_part, media_type in _OOXML.items():
        if main_part in declared:
            return media_type
    return "application/zip"


def _ole_type(path: str) -> str:
    """Word 97-2003 and Excel 97-2003 share one container (OLE compound file); its directory
    names the main stream: ``WordDocument`` or ``Workbook``/``Book``. olefile reads the
    directory through ``_Bounded``, so a hostile directory chain cannot make it load the file."""
    try:
        with open(path, "rb") as fh:
            budget = os.fstat(fh.fileno()).st_size // 64 + OLE_DIRECTORY_BYTES
            with olefile.OleFileIO(_Bounded(fh, budget)) as ole:
                names = {entry[-1] for entry in ole.listdir(streams=True, storages=True)}
    # olefile signals a broken or hostile file with OSError (OleFileError), but a damaged
    # structure can also surface as struct, index or value errors: either way, not a document.
    except Exception:
        return "application/x-ole-storage"
    if "WordDocument" in names:
        return "application/msword"
    if names & {"Workbook", "Book"}:
        return "application/vnd.ms-excel"
    return "application/x-ole-storage"


class _Bounded:
    """The file as olefile reads it (sized reads, seek, tell), refusing to hand over more than
    ``budget`` bytes in all: a 64th of the file (its allocation tables take at most a 128th)
    plus ``OLE_DIRECTORY_BYTES`` of directory."""

    closed = False

    def __init__(self, fh: IO[bytes], budget: int) -> None:
        self._fh = fh
        self._left = budget

    def read(self, size: int) -> bytes:
        if size > self._left:
            raise OSError("the compound file's directory is larger than a document's")
        data = self._fh.read(size)
        self._left -= len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()


def _chunks(stream: IO[bytes] | File, limit: int) -> Iterator[bytes]:
    """The stream in chunks of at most ``CHUNK``, reading at most one byte past ``limit`` (enough
    to know it is too large). An uploaded file is read from its start, as ``File.chunks`` does."""
    if isinstance(stream, File):
        with contextlib.suppress(AttributeError, io.UnsupportedOperation):
            stream.seek(0)
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(CHUNK, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk


class _Spooled(File):
    """The finished temporary file; ``temporary_file_path`` lets a FileSystemStorage move it
    into place (one rename on the same disk) instead of copying it again."""

    def __init__(self, fh: IO[bytes], path: str) -> None:
        super().__init__(fh, name=os.path.basename(path))
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


class Inspection:
    """What storing needs to know of a stream, learnt chunk by chunk as it passes: its size,
    SHA-256, first ``HEAD`` bytes (for the sniffer) and whether it is still plain text. Feeding
    never refuses anything (an upload handler must not fail half-way through a request);
    ``store_upload`` judges the result."""

    def __init__(self) -> None:
        self.size = 0
        self.head = b""
        self.text = _TextCheck()
        self._digest = hashlib.sha256()

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._digest.update(chunk)
        if len(self.head) < HEAD:
            self.head += chunk[: HEAD - len(self.head)]
        self.text.feed(chunk)  # stops looking at the first byte that is not text

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": message})


def store_upload(
    stream: IO[bytes] | File,
    *,
    original_name: str,
    max_bytes: int | None = None,
    allowed_types: frozenset[str] | None = None,
    storage: Storage | None = None,
    expected_size: int | None = None,
) -> StoredFile:
    """Store an uploaded evidence file under its content address; see the module docstring.

    ``max_bytes``/``allowed_types`` default to ``ASSAY_EVIDENCE_MAX_BYTES`` and
    ``ASSAY_EVIDENCE_TYPES``; ``storage`` to Django's default storage. ``expected_size`` is the
    size the client declared: a stream that ends before (or runs past) it was cut off or is not
    the file announced, and is refused. Every refusal raises InvalidInput and stores nothing.
    """
    limit = evidence_max_bytes() if max_bytes is None else max_bytes
    allowed = evidence_types() if allowed_types is None else allowed_types
    target = default_storage if storage is None else storage
    name = sanitise_name(original_name)
    if expected_size is not None and expected_size > limit:
        raise _refuse(f"{name} is {expected_size:,} bytes; the limit is {limit:,} bytes")

    inspected = getattr(stream, "inspection", None)
    spooled = _temporary_path(stream)
    try:
        if isinstance(inspected, Inspection) and spooled:
            if not isinstance(target, FileSystemStorage):
                return _send_inspected(
                    inspected, spooled, name, limit, allowed, target, expected_size
                )
            linked = _store_inspected(
                inspected, spooled, name, limit, allowed, target, expected_size
            )
            if linked is not None:
                return linked
        return _store_stream(stream, name, limit, allowed, target, expected_size)
    except StorageUnavailable as exc:
        log.warning("evidence store unavailable while storing %s: %s", name, exc)
        raise _refuse(
            f"{name} was not stored: the evidence store cannot be reached just now. "
            "Nothing was kept; try again in a few minutes"
        ) from exc


def _check_size(name: str, size: int, limit: int, expected_size: int | None) -> None:
    if size > limit:
        raise _refuse(f"{name} is larger than the limit of {limit:,} bytes")
    if size == 0:
        raise _refuse(f"{name} is empty")
    if expected_size is not None and size != expected_size:
        raise _refuse(
            f"{name} arrived with {size:,} of {expected_size:,} bytes: the upload was "
            "cut off or is not the file announced; send it again"
        )


def _temporary_path(stream: object) -> str | None:
    """The path of an upload Django spooled to disk (``TemporaryUploadedFile``), else None."""
    method = getattr(stream, "temporary_file_path", None)
    if method is None:
        return None
    path = method()
    return path if isinstance(path, str) and os.path.isfile(path) else None


def _store_inspected(
    inspected: Inspection,
    path: str,
    name: str,
    limit: int,
    allowed: frozenset[str],
    target: FileSystemStorage,
    expected_size: int | None,
) -> StoredFile | None:
    """An upload hashed while Django spooled it (``assay.files.uploads``): check it as
    ``_store_stream`` would, then hard-link that one temporary file to its content address (no
    second write, no second read). ``os.link`` never replaces an existing name, so content
    already stored stays as it is. None when the link is impossible (another file system, no
    hard links): the caller then copies."""
    media_type = _inspected_type(inspected, path, name, limit, allowed, expected_size)
    sha256 = inspected.sha256
    address = content_address(sha256)
    final = target.path(address)
    if os.path.exists(final):
        return StoredFile(sha256, inspected.size, media_type, name, address, False)
    _make_directory(target, os.path.dirname(final))
    try:
        os.link(path, final)
    except FileExistsError:  # someone stored the same content a moment ago; theirs is identical
        return StoredFile(sha256, inspected.size, media_type, name, address, False)
    except OSError:
        return None
    if target.file_permissions_mode is not None:
        os.chmod(final, target.file_permissions_mode)  # the temporary file was private (0600)
    return StoredFile(sha256, inspected.size, media_type, name, address, True)


def _inspected_type(
    inspected: Inspection,
    path: str,
    name: str,
    limit: int,
    allowed: frozenset[str],
    expected_size: int | None,
) -> str:
    """The checks ``_store_stream`` makes, on what the upload handler learnt; the type."""
    _check_size(name, inspected.size, limit, expected_size)
    head, head_type, text = inspected.head, None, None
    if len(head) >= HEAD:
        head_type, text = _classify_head(head, allowed, name)
        if text is not None:
            text = inspected.text  # the whole stream, followed as it arrived
    media_type = _final_type(path, head, head_type, text)
    if media_type not in allowed:
        raise _refuse(_type_message(name, media_type))
    return media_type


def _send_inspected(
    inspected: Inspection,
    path: str,
    name: str,
    limit: int,
    allowed: frozenset[str],
    target: Storage,
    expected_size: int | None,
) -> StoredFile:
    """An inspected upload to a storage other than the local disk: after the same checks,
    Django's temporary file itself is saved (no second spool file)."""
    media_type = _inspected_type(inspected, path, name, limit, allowed, expected_size)
    address = content_address(inspected.sha256)
    with open(path, "rb") as fh:
        created = _save_new(target, address, _Spooled(fh, path))
    return StoredFile(inspected.sha256, inspected.size, media_type, name, address, created)


def _save_new(target: Storage, address: str, content: File) -> bool:
    """Save ``content`` at ``address`` unless something is there already; whether it was
    saved. Content addressed: what is there is the same content, and is left untouched."""
    if target.exists(address):
        return False
    content.seek(0)
    saved = target.save(address, content)
    if saved != address:
        # Someone stored the same content a moment ago; theirs is identical.
        target.delete(saved)
        return False
    return True


def _make_directory(target: FileSystemStorage, directory: str) -> None:
    """The address's folders, with the storage's folder permissions (as ``_save`` makes them)."""
    mode = target.directory_permissions_mode
    if mode is None:
        os.makedirs(directory, exist_ok=True)
        return
    old = os.umask(0o777 & ~mode)
    try:
        os.makedirs(directory, mode, exist_ok=True)
    finally:
        os.umask(old)


def _store_stream(
    stream: IO[bytes] | File,
    name: str,
    limit: int,
    allowed: frozenset[str],
    target: Storage,
    expected_size: int | None,
) -> StoredFile:
    """Copy ``stream`` to a spool file while hashing and sniffing it, then save the spool
    under its content address (a rename on a local disk)."""
    fd, path = tempfile.mkstemp(
        prefix="assay-evidence-", suffix=".part", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    try:
        with os.fdopen(fd, "w+b") as spool:
            digest = hashlib.sha256()
            size = 0
            head = b""
            head_type: str | None = None
            text: _TextCheck | None = None
            for chunk in _chunks(stream, limit):
                size += len(chunk)
                if size > limit:
                    raise _refuse(f"{name} is larger than the limit of {limit:,} bytes")
                digest.update(chunk)
                spool.write(chunk)
                if head_type is None:
                    take = HEAD - len(head)
                    head += chunk[:take]
                    if len(head) < HEAD:
                        continue
                    head_type, text = _classify_head(head, allowed, name)
                    chunk = chunk[take:]
                if text is not None and chunk:
                    text.feed(chunk)
            _check_size(name, size, limit, expected_size)
            spool.flush()
            media_type = _final_type(path, head, head_type, text)
            if media_type not in allowed:
                raise _refuse(_type_message(name, media_type))
            sha256 = digest.hexdigest()
            address = content_address(sha256)
            created = _save_new(target, address, _Spooled(spool, path))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    return StoredFile(sha256, size, media_type, name, address, created)


def _classify_head(
    head: bytes, allowed: frozenset[str], name: str
) -> tuple[str, _TextCheck | None]:
    """Sniff once the head is in; refuse at once when the type is already known to be barred
    (no need to read the rest of a 2 GB executable)."""
    head_type = _sniff_head(head)
    if head_type == "text/plain":
        text = _TextCheck()
        text.feed(head)
        return head_type, text
    if head_type not in {"application/zip", "application/x-ole-storage"} and (
        head_type not in allowed
    ):
        raise _refuse(_type_message(name, head_type))
    return head_type, None


def _final_type(path: str, head: bytes, head_type: str | None, text: _TextCheck | None) -> str:
    """The type of the whole file, once it has all arrived."""
    if head_type is None:  # the whole file is shorter than the head
        head_type = _sniff_head(head)
        if head_type == "text/plain":
            text = _TextCheck()
            text.feed(head)
    if text is not None:
        text.feed(b"", final=True)
        return "text/plain" if text.ok else OCTET
    if head_type in {"application/zip", "application/x-ole-storage"}:
        return _sniff_container(path, head_type)
    return head_type


def _type_message(name: str, media_type: str) -> str:
    return (
        f"{name} holds {media_type} content, which is not accepted as evidence "
        "(the type is read from the file's content, not its name)"
    )


def _check_address(storage_name: str) -> str:
    match = _ADDRESS.match(storage_name)
    if not match or match[3][:2] != match[1] or match[3][2:4] != match[2]:
        raise InvalidInput({"storage_name": "not an evidence content address"})
    return match[3]


def open_evidence(storage_name: str, *, storage: Storage | None = None) -> File:
    """Open a stored evidence file for reading (the caller closes it). Only content addresses
    are accepted, so a name from a request can never reach another file in the storage.
    Whether this person may see it is the caller's check."""
    _check_address(storage_name)
    target = default_storage if storage is None else storage
    return target.open(storage_name, "rb")


def verify_stored(storage_name: str, sha256: str, *, storage: Storage | None = None) -> bool:
    """True when the stored object exists and still hashes to ``sha256`` (read in chunks)."""
    if _check_address(storage_name) != sha256:
        return False
    target = default_storage if storage is None else storage
    digest = hashlib.sha256()
    try:
        with target.open(storage_name, "rb") as fh:
            for chunk in fh.chunks(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return hmac.compare_digest(digest.hexdigest(), sha256)
