"""The evidence store on both backends: the local disk and S3-compatible object storage (a
SeaweedFS server on loopback, started here once per test process — each xdist worker runs its
own on free ports — and killed when the session ends). Each test gets a key prefix of its own
in the session's bucket, so it sees an empty store."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from assay.bench.seaweedfs import SeaweedFS, seaweedfs
from assay.config.storage_env import evidence_storage

BACKENDS = ("disk", "s3")


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as store:
        yield store


@dataclass
class Backend:
    """The default storage on one backend, and what it holds."""

    kind: str
    storage: Storage
    spool: Path
    seaweed: SeaweedFS | None = None
    prefix: str = ""

    def keys(self) -> list[str]:
        """Every stored name (content addresses), whatever the backend."""
        if isinstance(self.storage, FileSystemStorage):
            root = Path(self.storage.location)
            return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        assert self.seaweed is not None
        listed = self.seaweed.client().list_objects_v2(
            Bucket=self.seaweed.bucket, Prefix=self.prefix + "/"
        )
        return sorted(o["Key"].removeprefix(self.prefix + "/") for o in listed.get("Contents", []))

    def unfinished_uploads(self) -> list[str]:
        """Multipart uploads begun and neither completed nor aborted (none on a disk)."""
        if self.seaweed is None:
            return []
        listed = self.seaweed.client().list_multipart_uploads(
            Bucket=self.seaweed.bucket, Prefix=self.prefix + "/"
        )
        return [u["Key"] for u in listed.get("Uploads", [])]


def s3_storages(seaweed: SeaweedFS, prefix: str, **options: Any) -> dict[str, Any]:
    entry = evidence_storage(seaweed.env())
    entry["OPTIONS"] = {**entry["OPTIONS"], "location": prefix, **options}
    return entry


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Backend:
    """Django's default storage on the disk or on SeaweedFS for this test."""
    return _backend(request.param, request, settings, tmp_path)


@pytest.fixture
def s3_backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Backend:
    """Django's default storage on SeaweedFS: for what only an object store has (multipart
    uploads, an endpoint that does not answer, credentials)."""
    return _backend("s3", request, settings, tmp_path)


def _backend(kind: str, request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Backend:
    spool = tmp_path / "tmp"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.MEDIA_ROOT = tmp_path / "media"
    if kind == "disk":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"file_permissions_mode": 0o644},
            },
        }
        return Backend("disk", default_storage, spool)
    store: SeaweedFS = request.getfixturevalue("seaweed")
    prefix = "t-" + secrets.token_hex(6)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storages(store, prefix)}
    return Backend("s3", default_storage, spool, store, prefix)
