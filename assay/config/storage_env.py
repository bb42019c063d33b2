"""Where evidence and report files live, chosen by the environment (docs/uploads.md).

``ASSAY_STORAGE=disk`` (the default): ``MEDIA_ROOT`` on the local disk. ``ASSAY_STORAGE=s3``:
an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph …) through
``assay.files.objectstore``, configured by ``ASSAY_S3_*``. A missing setting refuses to load
with the names of everything that is missing, so no process starts half configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

BACKENDS = ("disk", "s3")
S3_REQUIRED = ("ASSAY_S3_BUCKET", "ASSAY_S3_ACCESS_KEY", "ASSAY_S3_SECRET_KEY")
DISK = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "assay.files.objectstore.EvidenceS3Storage"
# Downloads stream through Django (ADR 0023); no view hands out a signed link. Should
# ``url()`` ever be called, its link is signed and lives a minute.
LINK_SECONDS = 60


def evidence_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """``STORAGES["default"]`` for this environment."""
    kind = env.get("ASSAY_STORAGE", "disk").strip().lower() or "disk"
    if kind not in BACKENDS:
        raise ImproperlyConfigured(
            f"ASSAY_STORAGE={kind!r} is not a storage: use disk (the default) or s3"
        )
    if kind == "disk":
        return dict(DISK)
    missing = [name for name in S3_REQUIRED if not env.get(name)]
    if missing:
        raise ImproperlyConfigured(
            f"ASSAY_STORAGE=s3 needs {', '.join(missing)} (and ASSAY_S3_ENDPOINT_URL for a "
            "store other than AWS); see docs/uploads.md"
        )
    options: dict[str, Any] = {
        "bucket_name": env["ASSAY_S3_BUCKET"],
        "access_key": env["ASSAY_S3_ACCESS_KEY"],
        "secret_key": env["ASSAY_S3_SECRET_KEY"],
        "endpoint_url": env.get("ASSAY_S3_ENDPOINT_URL") or None,
        "region_name": env.get("ASSAY_S3_REGION") or "us-east-1",
        "addressing_style": env.get("ASSAY_S3_ADDRESSING_STYLE") or "path",
        "location": "",
        "file_overwrite": False,
        "default_acl": None,  # private: the bucket's own policy, never public-read
        "querystring_auth": True,
        "querystring_expire": LINK_SECONDS,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
