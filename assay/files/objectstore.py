"""Evidence on S3-compatible object storage (``ASSAY_STORAGE=s3``; docs/uploads.md).

django-storages' ``S3Storage`` with three changes that evidence needs:

- **Uploads go from the spool file by its path** (``upload_file``): boto3 then reads each part
  of the multipart upload from the disk as it sends it. ``upload_fileobj``, which the parent
  uses, copies every part into memory first (up to ten parts queued), so a 2 GB recording
  would cost tens of megabytes of the server's memory. A failed multipart upload is aborted by
  boto3 (s3transfer), so nothing of it stays in the bucket.
- **Downloads stream** (``get_object``'s body read in chunks): the parent's ``S3File`` copies
  the whole object into a temporary file (in memory with the default settings) before the
  first byte can be sent.
- **Nothing is overwritten**: ``file_overwrite`` is off, and ``store_upload`` checks that the
  content address is free before it saves.

Every failure of the store itself (down, wrong credentials, no bucket) surfaces as
``assay.errors.StorageUnavailable``: ``store_upload`` turns it into a refusal with a message,
a download into a 503 page (``assay.config.middleware``), ``/readyz`` into "unavailable".
"""

from __future__ import annotations

import io
from typing import Any

from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from assay.errors import StorageUnavailable

# What the client waits for before it reports the store unreachable: a probe or a request
# must not hang for boto3's default minute (and its retries) while a load balancer waits.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 60
ATTEMPTS = 3
# Parts of a multipart upload: 8 MiB each (a 2 GB file is some 250 parts of S3's 10,000), four
# sent at once, read from the spool file as they go (botocore checksums each through 1 MiB
# buffers): an upload of any size costs the server about 9 MB (tests/files/test_backends.py).
PART_BYTES = 8 * 1024 * 1024
PARTS_AT_ONCE = 4

# Errors of the object store itself, as boto3 raises them (network, credentials, bucket).
# boto3's own (S3UploadFailedError) wraps a ClientError met during a multipart upload.
STORE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError, Boto3Error)


class StreamedObject(File):
    """An object's body, read from the network as it is read from here (never spooled).

    It reads forward only, but tells its length the way a seekable file does: Django's
    ``FileResponse`` finds the size by seeking to the end and back before the first read, so
    a download from the bucket carries ``Content-Length`` (a progress bar for a 2 GB
    recording). Any seek after reading has begun, other than to where it is, is refused."""

    def __init__(self, body: Any, name: str, size: int) -> None:
        super().__init__(body, name=name)
        self.size = size
        self._body = body  # botocore's StreamingBody
        self._position = 0  # where a caller believes it is
        self._consumed = 0  # bytes actually read from the body

    def read(self, size: int = -1) -> bytes:
        if self._position != self._consumed:
            raise io.UnsupportedOperation("an object from the bucket is read forward only")
        data: bytes = self._body.read(None if size is None or size < 0 else size)
        self._consumed += len(data)
        self._position = self._consumed
        return data

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        target = base + offset
        if target != self._consumed and self._consumed:
            raise io.UnsupportedOperation("an object from the bucket is read forward only")
        self._position = target
        return target

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class EvidenceS3Storage(S3Storage):
    """See the module docstring."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("file_overwrite", False)
        if settings.get("client_config") is None:
            settings["client_config"] = Config(
                connect_timeout=CONNECT_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                retries={"max_attempts": ATTEMPTS, "mode": "standard"},
                s3={"addressing_style": settings.get("addressing_style") or "path"},
                signature_version="s3v4",
            )
        if settings.get("transfer_config") is None:
            settings["transfer_config"] = TransferConfig(
                multipart_threshold=PART_BYTES,
                multipart_chunksize=PART_BYTES,
                max_concurrency=PARTS_AT_ONCE,
            )
        super().__init__(**settings)

    def _save(self, name: str, content: Any) -> str:
        path = getattr(content, "temporary_file_path", None)
        try:
            if path is None:
                return str(super()._save(name, content))
            cleaned = clean_name(name)
            key = self._normalize_name(cleaned)
            params = self._get_write_parameters(key, content)
            params.pop("ContentEncoding", None)  # stored as sent, never compressed
            self.bucket.Object(key).upload_file(
                path(), ExtraArgs=params, Config=self.transfer_config
            )
        except STORE_ERRORS as exc:
            raise StorageUnavailable(_reason(exc)) from exc
        return str(cleaned)

    def exists(self, name: str) -> bool:
        try:
            return bool(super().exists(name))
        except STORE_ERRORS as exc:
            raise StorageUnavailable(_reason(exc)) from exc

    def delete(self, name: str) -> None:
        try:
            super().delete(name)
        except STORE_ERRORS as exc:
            raise StorageUnavailable(_reason(exc)) from exc

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode != "rb":
            raise ValueError("evidence objects are opened for reading only")
        key = self._normalize_name(clean_name(name))
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as exc:
            if _status(exc) == 404:
                raise FileNotFoundError(f"no object {key}") from exc
            raise StorageUnavailable(_reason(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(_reason(exc)) from exc
        return StreamedObject(answer["Body"], name, int(answer["ContentLength"]))

    def reachable(self) -> None:
        """Raise ``StorageUnavailable`` unless the bucket answers with these credentials (an
        object's absence would not tell a missing bucket from a missing file)."""
        try:
            self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
        except STORE_ERRORS as exc:
            raise StorageUnavailable(_reason(exc)) from exc


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
