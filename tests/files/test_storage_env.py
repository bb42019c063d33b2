"""``ASSAY_STORAGE`` picks the evidence store; an incomplete S3 configuration stops the start
with the names of what is missing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from assay.config.storage_env import DISK, S3_BACKEND, evidence_storage

S3 = {
    "ASSAY_STORAGE": "s3",
    "ASSAY_S3_ENDPOINT_URL": "http://127.0.0.1:8333",
    "ASSAY_S3_BUCKET": "evidence",
    "ASSAY_S3_ACCESS_KEY": "key",
    "ASSAY_S3_SECRET_KEY": "secret",
}


@pytest.mark.parametrize("env", [{}, {"ASSAY_STORAGE": ""}, {"ASSAY_STORAGE": "Disk "}])
def test_the_disk_is_the_default(env: dict[str, str]) -> None:
    assert evidence_storage(env) == DISK


def test_s3_is_configured_from_the_environment() -> None:
    entry = evidence_storage(S3)
    assert entry["BACKEND"] == S3_BACKEND
    options = entry["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == (
        "evidence",
        S3["ASSAY_S3_ENDPOINT_URL"],
    )
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert (options["region_name"], options["addressing_style"]) == ("us-east-1", "path")
    assert options["file_overwrite"] is False and options["default_acl"] is None
    aws = evidence_storage({**S3, "ASSAY_S3_ENDPOINT_URL": "", "ASSAY_S3_REGION": "eu-west-2"})
    assert aws["OPTIONS"]["endpoint_url"] is None
    assert aws["OPTIONS"]["region_name"] == "eu-west-2"


def test_missing_s3_settings_are_named() -> None:
    env = {**S3, "ASSAY_S3_BUCKET": "", "ASSAY_S3_SECRET_KEY": ""}
    del env["ASSAY_S3_ACCESS_KEY"]
    with pytest.raises(ImproperlyConfigured) as refused:
        evidence_storage(env)
    message = str(refused.value)
    for name in ("ASSAY_S3_BUCKET", "ASSAY_S3_ACCESS_KEY", "ASSAY_S3_SECRET_KEY"):
        assert name in message
    assert "ASSAY_S3_ENDPOINT_URL" in message and "docs/uploads.md" in message


def test_an_unknown_storage_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"use disk .* or s3"):
        evidence_storage({"ASSAY_STORAGE": "ftp"})
