"""The same evidence rules on both backends (the local disk and S3-compatible object storage
on SeaweedFS): streamed in and out, content addressed, never overwritten, nothing left by a cut-off
upload, downloads for those who may see the portfolio only, and a store that is down answers
with a message, never a server error."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import zipfile
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.accounts.services import token_create
from assay.errors import InvalidInput, StorageUnavailable
from assay.files.storage import CHUNK, content_address, open_evidence, store_upload, verify_stored
from assay.portfolios.export import portfolio_export_zip
from assay.portfolios.models import EvidenceItem
from tests.files.conftest import Backend, s3_storages
from tests.files.test_uploads import spooled
from tests.portfolios.test_storage import PDF, PNG, TEXT, WAV, Failing, Generated
from tests.world import World

MIB = 1024 * 1024


def read_back(name: str) -> bytes:
    with open_evidence(name) as fh:
        return b"".join(fh.chunks(CHUNK))


@pytest.mark.parametrize("data", [PNG, PDF, TEXT * 2000, WAV])
def test_a_stream_and_a_spooled_upload_are_stored_by_content_address(
    backend: Backend, data: bytes
) -> None:
    first = store_upload(io.BytesIO(data), original_name="a", expected_size=len(data))
    sha = hashlib.sha256(data).hexdigest()
    assert (first.sha256, first.size, first.created) == (sha, len(data), True)
    assert first.storage_name == content_address(sha)
    assert backend.keys() == [content_address(sha)]
    assert read_back(first.storage_name) == data
    assert verify_stored(first.storage_name, sha)
    # The web path: Django's spooled temporary file, inspected as it arrived; same answer.
    upload = spooled(data)
    again = store_upload(upload, original_name="b")
    assert (again.storage_name, again.created) == (first.storage_name, False)
    upload.close()
    assert list(backend.spool.iterdir()) == []


def test_a_spooled_upload_is_sent_from_its_temporary_file(backend: Backend) -> None:
    data = WAV + os.urandom(3 * MIB)
    upload = spooled(data)
    result = store_upload(upload, original_name="talk.wav", expected_size=len(data))
    assert result.created and result.media_type == "audio/wav"
    assert read_back(result.storage_name) == data
    upload.close()
    assert list(backend.spool.iterdir()) == []  # no second spool file was made


def test_an_object_is_read_forward_in_chunks(backend: Backend) -> None:
    data = os.urandom(3 * CHUNK + 5)
    stored = store_upload(io.BytesIO(WAV + data), original_name="talk.wav")
    with open_evidence(stored.storage_name) as fh:
        assert fh.seek(0, os.SEEK_END) == len(WAV + data)  # the length, as FileResponse asks
        assert fh.seek(0) == 0 and fh.tell() == 0
        assert fh.read(10) == WAV[:10] and fh.tell() == 10
        assert fh.read() == WAV[10:] + data
    with open_evidence(stored.storage_name) as fh:
        sizes = [len(c) for c in fh.chunks(CHUNK)]
        assert sum(sizes) == len(WAV + data) and max(sizes) == CHUNK and len(sizes) == 4
        if backend.seaweed is not None:  # the body is a network stream: no going back
            with pytest.raises(io.UnsupportedOperation):
                fh.seek(0)


def test_identical_content_is_never_overwritten(backend: Backend) -> None:
    first = store_upload(io.BytesIO(PDF), original_name="statement.pdf")
    before = default_storage.get_modified_time(first.storage_name)
    again = store_upload(io.BytesIO(PDF), original_name="copy.pdf")
    assert again.created is False and again.storage_name == first.storage_name
    assert default_storage.get_modified_time(first.storage_name) == before
    assert backend.keys() == [first.storage_name]


def test_a_cut_off_upload_leaves_nothing(backend: Backend) -> None:
    data = PNG + os.urandom(300_000)
    with pytest.raises(OSError, match="reset"):
        store_upload(Failing(data, 150_000), original_name="photo.png")
    with pytest.raises(InvalidInput, match=f"150,000 of {len(data):,} bytes"):
        store_upload(io.BytesIO(data[:150_000]), original_name="p.png", expected_size=len(data))
    assert backend.keys() == []
    assert list(backend.spool.iterdir()) == []


def test_memory_stays_flat_for_a_large_upload(backend: Backend) -> None:
    """64 MiB (eight 8 MiB parts of a multipart upload on S3) costs a small fixed amount of
    memory, a quarter of the file at most (a copy would cost all of it): it is streamed to a
    spool file, then sent part by part from the disk (on S3, four parts at once, each
    checksummed through 1 MiB buffers: some 9 MB measured, whatever the size). `assay bench
    upload --size 1G --storage s3` measures 1 GiB through the real server."""
    size = 64 * MIB
    # The first request to the store loads boto3's service models (some 25 MB, once per
    # process): made before measuring, so the peak is what the upload itself costs.
    default_storage.exists("warm-up")
    tracemalloc.start()
    try:
        result = store_upload(Generated(size), original_name="long.txt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.size, result.media_type, result.created) == (size, "text/plain", True)
    assert peak < 16 * MIB, f"peak Python allocation {peak:,} bytes"
    assert default_storage.size(result.storage_name) == size
    assert verify_stored(result.storage_name, result.sha256)
    assert list(backend.spool.iterdir()) == []


def test_a_multipart_upload_cut_off_half_way_leaves_nothing_in_the_bucket(
    s3_backend: Backend,
) -> None:
    """The connection to the store breaks while the second part is sent: boto3 aborts the
    multipart upload, no object and no unfinished upload is left, and the upload is refused
    with a message."""
    client = default_storage.connection.meta.client  # type: ignore[attr-defined]
    parts: list[int] = []
    store = s3_backend.seaweed

    def cut(params: dict[str, Any], **kwargs: Any) -> None:
        parts.append(len(parts) + 1)
        if len(parts) == 2:  # what botocore raises when the connection drops mid-request
            raise ConnectionClosedError(endpoint_url=store.endpoint_url)

    client.meta.events.register("before-call.s3.UploadPart", cut)
    try:
        with pytest.raises(InvalidInput, match="cannot be reached"):
            store_upload(Generated(20 * MIB), original_name="long.txt")
    finally:
        client.meta.events.unregister("before-call.s3.UploadPart", cut)
    assert 2 in parts
    assert s3_backend.keys() == []
    assert s3_backend.unfinished_uploads() == []
    assert list(s3_backend.spool.iterdir()) == []


# Downloads: only people who may see the portfolio, streamed, never cached.


def test_downloads_are_for_those_who_may_see_the_portfolio(
    backend: Backend, world: World, settings: Any
) -> None:
    dan = Client()
    dan.force_login(world.user("dan"))
    upload = SimpleUploadedFile("notes.txt", TEXT * 100, content_type="text/plain")
    form = {
        "method": "reflective_account",
        "started_on": "2013-01-07",
        "description": "Briefing the senior team on the returns policy",
        "context": "real_job",
        "file": upload,
    }
    response = dan.post(f"/registrations/{world.dan.pk}/portfolio/evidence", form)
    assert response.status_code == 302
    (stored,) = EvidenceItem.objects.latest("pk").files.all()
    assert backend.keys() == [stored.storage_name]
    path = f"/evidence/files/{stored.pk}/"
    for who in ("dan", "alice"):
        client = Client()
        client.force_login(world.user(who))
        download = client.get(path)
        assert download.status_code == 200
        assert "no-store" in download["Cache-Control"]
        assert download["Content-Disposition"].startswith("attachment")
        assert download["Content-Length"] == str(len(TEXT * 100))  # a progress bar
        assert b"".join(download.streaming_content) == TEXT * 100  # type: ignore[attr-defined]
    for who in ("dora", "arthur", "sue", "evan"):
        client = Client()
        client.force_login(world.user(who))
        assert client.get(path).status_code == 404, who
    assert Client().get(path).status_code == 302  # to sign in
    _, mine = token_create(user=world.user("dan"), name="phone")
    _, theirs = token_create(user=world.user("dora"), name="phone")
    api = f"/api/v1/evidence/files/{stored.pk}"
    answer = Client().get(api, HTTP_AUTHORIZATION=f"Bearer {mine}")
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content) == TEXT * 100  # type: ignore[attr-defined]
    assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 404
    assert Client().get(api).status_code == 401
    # The portfolio's ZIP export reads the file from the same store.
    out = io.BytesIO()
    names = portfolio_export_zip(world.user("dan"), world.dan.pk, out)
    with zipfile.ZipFile(out) as archive:
        (name,) = [n for n in names if n.endswith("notes.txt")]
        assert archive.read(name) == TEXT * 100


# A store that is down.


@pytest.fixture
def store_down(s3_backend: Backend, settings: Any) -> Backend:
    """The S3 backend pointed at a port nobody listens on (the disk has no such failure)."""
    from assay.bench.seaweedfs import free_ports

    (port,) = free_ports(1)
    entry = s3_storages(
        s3_backend.seaweed, s3_backend.prefix, endpoint_url=f"http://127.0.0.1:{port}"
    )
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    return s3_backend


def test_a_store_that_is_down_refuses_uploads_with_a_message(store_down: Backend) -> None:
    with pytest.raises(InvalidInput, match="the evidence store cannot be reached just now"):
        store_upload(io.BytesIO(PDF), original_name="statement.pdf")
    upload = spooled(PDF)
    with pytest.raises(InvalidInput, match="cannot be reached"):
        store_upload(upload, original_name="statement.pdf")
    with pytest.raises(StorageUnavailable):
        open_evidence(content_address(hashlib.sha256(PDF).hexdigest()))
    upload.close()
    assert list(store_down.spool.iterdir()) == []


def test_a_store_that_is_down_answers_503_not_500(
    s3_backend: Backend, world: World, settings: Any
) -> None:
    dan = Client()
    dan.force_login(world.user("dan"))
    upload = SimpleUploadedFile("notes.txt", TEXT, content_type="text/plain")
    form = {
        "method": "reflective_account",
        "started_on": "2013-01-07",
        "description": "Briefing the senior team on the returns policy",
        "context": "real_job",
    }
    url = f"/registrations/{world.dan.pk}/portfolio/evidence"
    assert dan.post(url, {**form, "file": upload}).status_code == 302
    (stored,) = EvidenceItem.objects.latest("pk").files.all()
    assert Client().get("/readyz").status_code == 200
    store_down = s3_storages(
        s3_backend.seaweed, s3_backend.prefix, endpoint_url="http://127.0.0.1:9"
    )
    settings.STORAGES = {**settings.STORAGES, "default": store_down}
    download = dan.get(f"/evidence/files/{stored.pk}/")
    assert download.status_code == 503
    assert "cannot be reached just now" in download.content.decode()
    _, token = token_create(user=world.user("dan"), name="phone")
    api = Client().get(f"/api/v1/evidence/files/{stored.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    # An upload is refused on the form with the message; no item is added.
    before = EvidenceItem.objects.count()
    again = SimpleUploadedFile("more.txt", TEXT + b"more", content_type="text/plain")
    refused = dan.post(url, {**form, "file": again})
    assert refused.status_code in {200, 400, 422}
    assert "cannot be reached just now" in refused.content.decode()
    assert EvidenceItem.objects.count() == before
    ready = Client().get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["storage"] == "failed"


def test_wrong_credentials_are_refused_by_the_store(s3_backend: Backend, settings: Any) -> None:
    """SeaweedFS checks the key: a wrong secret cannot write (so the tests' key is real)."""
    wrong = s3_storages(s3_backend.seaweed, s3_backend.prefix, secret_key="not-the-secret")
    settings.STORAGES = {**settings.STORAGES, "default": wrong}
    with pytest.raises(InvalidInput, match="cannot be reached"):
        store_upload(io.BytesIO(PDF), original_name="statement.pdf")
    assert Client().get("/readyz").status_code == 503
    assert s3_backend.keys() == []
