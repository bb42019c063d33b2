"""Request bodies are limited while they stream (assay/web/upload_limits.py), and the upload
temporary folder is swept (assay/portfolios/tempfiles.py, ``assay files sweep``).

Bodies are fed through an input stream that counts what the server read, so "refused before
reading" is asserted as bytes read, and "nothing spooled" as an empty temporary folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.accounts.services import token_create
from assay.bench.upload import free_port, wav_content
from assay.cli.main import main
from assay.portfolios.tempfiles import upload_temp_sweep
from assay.web.upload_limits import EVIDENCE_UPLOADS, RequestTooLarge, _CappedStream

MIB = 1024 * 1024
BOUNDARY = "assay-limit-test"
ASSAY = (sys.executable, "-c", "from assay.cli.main import main; main()")
CSRF = "0123456789abcdef0123456789abcdef"  # a valid unmasked CSRF secret


class CountingInput:
    """A request body of ``size`` bytes made on demand; counts what the server reads."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""
        self.read_bytes = 0

    def _fill(self, size: int) -> None:
        while len(self._buffer) < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                return
            self._buffer += chunk

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = 1 << 62
        self._fill(size)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.read_bytes += len(data)
        return data

    def readline(self, size: int = -1, /) -> bytes:
        self._fill(64 * 1024)
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        if size is not None and size >= 0:
            end = min(end, size)
        data, self._buffer = self._buffer[:end], self._buffer[end:]
        self.read_bytes += len(data)
        return data


def multipart_chunks(size: int, name: str = "talk.wav") -> tuple[Iterator[bytes], int]:
    """A multipart body with one WAV file part of ``size`` bytes, and its total length."""
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        yield from wav_content(size)
        yield tail

    return chunks(), len(head) + size + len(tail)


def post(client: Client, path: str, size: int, **extra: Any) -> tuple[Any, CountingInput]:
    chunks, length = multipart_chunks(size)
    body = CountingInput(chunks)
    response = client.post(
        path,
        data=b"",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        },
        **extra,
    )
    return response, body


@pytest.fixture
def temp_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "tmp-uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def bearer(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


# Refused before the body is read.


@pytest.mark.django_db
def test_an_anonymous_150_mib_post_to_the_sign_in_page_is_refused_unread(temp_dir: Path) -> None:
    # With a CSRF cookie, the CSRF check is what reads the body (for the token field).
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    response, body = post(client, "/accounts/login/", 150 * MIB)
    assert response.status_code == 413
    assert b"The request body is 157,28" in response.content
    assert b"the limit is 5,242,880 bytes" in response.content
    assert body.read_bytes == 0
    assert list(temp_dir.iterdir()) == []


def test_a_body_over_the_cap_to_the_api_is_refused_unread(
    world: dict[str, Any], temp_dir: Path, settings: Any
) -> None:
    from tests.portfolios.helpers import add

    item = add(world)
    settings.ASSAY_EVIDENCE_MAX_BYTES = 8 * MIB
    dan = bearer(world["dan"])
    # Signed in, evidence endpoint: the cap is the evidence limit plus the request cap.
    response, body = post(dan, f"/api/v1/evidence/{item.pk}/files", 14 * MIB)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and "the limit is 13,631,488 bytes" in error["message"]
    assert body.read_bytes == 0
    # Anonymous: the small cap everywhere, upload endpoints included.
    response, body = post(Client(), f"/api/v1/evidence/{item.pk}/files", 6 * MIB)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "Sign in to upload larger evidence files" in response.json()["error"]["message"]
    # Signed in, any other endpoint: the small cap.
    response, body = post(dan, f"/api/v1/registrations/{world['reg'].pk}/evidence", 6 * MIB)
    assert response.status_code == 413 and body.read_bytes == 0
    assert list(temp_dir.iterdir()) == []
    assert not item.files.exists()


# Stopped while streaming.


def test_an_evidence_file_over_the_limit_is_stopped_while_streaming(
    world: dict[str, Any], temp_dir: Path, settings: Any
) -> None:
    from assay.portfolios.models import EvidenceFile
    from tests.portfolios.helpers import add

    item = add(world)
    settings.ASSAY_EVIDENCE_MAX_BYTES = 3 * MIB  # above FILE_UPLOAD_MAX_MEMORY_SIZE: spooled
    dan = bearer(world["dan"])
    response, body = post(dan, f"/api/v1/evidence/{item.pk}/files", 6 * MIB)
    assert response.status_code == 413
    assert (
        "talk.wav is larger than the limit of 3,145,728 bytes"
        in (response.json()["error"]["message"])
    )
    assert body.read_bytes < 3 * MIB + 256 * 1024  # stopped at the limit, not at the end
    assert list(temp_dir.iterdir()) == []  # the partial temporary file was deleted
    assert not EvidenceFile.objects.exists()


def test_the_web_form_refuses_at_the_limit_and_keeps_no_item(
    world: dict[str, Any], temp_dir: Path, settings: Any
) -> None:
    from assay.portfolios.models import EvidenceItem

    settings.ASSAY_EVIDENCE_MAX_BYTES = 3 * MIB
    client = Client()
    client.force_login(world["dan"])
    before = EvidenceItem.objects.count()
    response, body = post(client, f"/registrations/{world['reg'].pk}/portfolio/evidence", 4 * MIB)
    assert response.status_code == 413
    assert b"larger than the limit of 3,145,728 bytes" in response.content
    assert body.read_bytes < 4 * MIB
    assert list(temp_dir.iterdir()) == []
    assert EvidenceItem.objects.count() == before  # the view never ran


def test_a_file_under_the_limit_is_spooled_and_stored(
    world: dict[str, Any], temp_dir: Path, settings: Any
) -> None:
    from tests.portfolios.helpers import add

    item = add(world)
    settings.ASSAY_EVIDENCE_MAX_BYTES = 4 * MIB
    response, body = post(bearer(world["dan"]), f"/api/v1/evidence/{item.pk}/files", 3 * MIB)
    assert response.status_code == 201, response.content
    assert response.json()["size"] == 3 * MIB
    assert body.read_bytes > 3 * MIB
    assert list(temp_dir.iterdir()) == []  # Django's and store_upload's files are gone


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["abc", "-5", ""])
def test_a_bad_content_length_is_no_error(temp_dir: Path, length: str) -> None:
    chunks, _ = multipart_chunks(6 * MIB)
    body = CountingInput(chunks)
    response = Client().post(
        "/accounts/login/",
        data=b"",
        content_type="application/octet-stream",
        **{"wsgi.input": body, "CONTENT_LENGTH": length, "CONTENT_TYPE": "multipart/form-data"},
    )
    assert response.status_code in {200, 400, 403}  # Django reads no body; never a 500
    assert body.read_bytes == 0 and list(temp_dir.iterdir()) == []


@pytest.mark.django_db
def test_any_method_with_a_large_body_is_refused_unread(temp_dir: Path) -> None:
    chunks, length = multipart_chunks(6 * MIB)
    body = CountingInput(chunks)
    response = Client().get(
        "/accounts/login/", **{"wsgi.input": body, "CONTENT_LENGTH": str(length)}
    )
    assert response.status_code == 413 and body.read_bytes == 0


def test_a_body_without_a_declared_length_is_counted_and_stopped() -> None:
    class Request:
        pass

    request: Any = Request()
    stream = _CappedStream(CountingInput(iter([b"x" * 1000] * 10)), 2500, request)
    assert len(stream.read(2000)) == 2000
    with pytest.raises(RequestTooLarge):
        stream.read(1000)
    assert "larger than 2,500 bytes" in request.assay_body_too_large


def test_every_evidence_upload_endpoint_is_known() -> None:
    from django.urls import resolve, reverse

    assert {"portfolio-evidence", "portfolio-attach", "audit-site-evidence"} <= EVIDENCE_UPLOADS
    reverse("api-v1:upload_file", kwargs={"item_id": 1})
    reverse("api-v1:evidence", kwargs={"audit_id": 1})
    # A GET on the same path (the audit's evidence list) must not take the POST's URL name.
    for name, kwargs in (
        ("api-v1:upload_file", {"item_id": 1}),
        ("api-v1:evidence", {"audit_id": 1}),
    ):
        assert resolve(reverse(name, kwargs=kwargs)).view_name in EVIDENCE_UPLOADS


# The sweep.


def _aged(path: Path, minutes: float, size: int = 10) -> Path:
    path.write_bytes(b"x" * size)
    past = time.time() - minutes * 60
    os.utime(path, (past, past))
    return path


def test_the_sweep_removes_old_files_and_keeps_fresh_ones(temp_dir: Path, settings: Any) -> None:
    old = _aged(temp_dir / "tmpabc.upload.wav", 61, size=1000)
    part = _aged(temp_dir / "assay-evidence-x.part", 120)
    fresh = _aged(temp_dir / "tmpdef.upload", 5)
    (temp_dir / "sub").mkdir()
    result = upload_temp_sweep()  # the default: 60 minutes
    assert (result.removed, result.removed_bytes, result.kept) == (2, 1010, 1)
    assert not old.exists() and not part.exists() and fresh.exists()
    assert (temp_dir / "sub").is_dir()
    assert upload_temp_sweep(0).removed == 1 and not fresh.exists()
    settings.FILE_UPLOAD_TEMP_DIR = None
    assert upload_temp_sweep(0).directory is None  # never the shared system folder
    with pytest.raises(ValueError):
        upload_temp_sweep(-1)


def test_the_command_and_serve_sweep(
    temp_dir: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _aged(temp_dir / "tmp1.upload", 30)
    kept = CliRunner().invoke(main, ["files", "sweep"])
    assert kept.exit_code == 0 and "removed 0" in kept.output and "kept 1" in kept.output
    done = CliRunner().invoke(main, ["files", "sweep", "--older-than", "10"])
    assert done.exit_code == 0 and "removed 1 (10 bytes)" in done.output
    assert not old.exists()
    bad = CliRunner().invoke(main, ["files", "sweep", "--older-than", "-1"])
    assert bad.exit_code == 2
    assert "MINUTES" in CliRunner().invoke(main, ["files", "sweep", "--help"]).output

    import django.core.management

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: calls.append(a))
    settings.ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES = 1
    stale = _aged(temp_dir / "tmp2.upload", 2)
    served = CliRunner().invoke(main, ["serve", "--dev", "--addr", "127.0.0.1:1"])
    assert served.exit_code == 0, served.output
    assert "removed 1" in served.output and not stale.exists()
    assert calls == [("runserver", "127.0.0.1:1")]
    import assay.cli.server

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(assay.cli.server, "run_gunicorn", started.append)
    stale = _aged(temp_dir / "tmp3.upload", 2)
    served = CliRunner().invoke(main, ["serve", "--addr", "127.0.0.1:1", "--workers", "3"])
    assert served.exit_code == 0, served.output
    assert "removed 1" in served.output and not stale.exists()
    assert [(o["bind"], o["workers"], o["preload_app"]) for o in started] == [
        (["127.0.0.1:1"], 3, True)
    ]


# The real server: refused without reading; partial files after kill -9 are swept.


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ASSAY_DATA_DIR=str(data_dir), ASSAY_ALLOWED_HOSTS="127.0.0.1")
    return subprocess.Popen(
        [*ASSAY, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # gunicorn's arbiter and its worker: killed together below
    )


def _kill(server: subprocess.Popen[bytes]) -> None:
    """kill -9 of the whole server: the arbiter and its workers."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def _start_post(port: int, length: int, first: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), 30)
    sock.sendall(
        (
            "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\nCookie: csrftoken={CSRF}\r\n\r\n"
        ).encode()
        + first
    )
    return sock


@pytest.mark.standalone
def test_a_real_server_refuses_unread_and_its_kill_9_leftovers_are_swept(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    temp = data_dir / "tmp-uploads"
    port = free_port()
    server = _serve(data_dir, port)
    try:
        _wait(port, server)
        # 150 MiB declared, 64 KiB sent: the 413 comes back at once and nothing is spooled.
        chunks, _ = multipart_chunks(150 * MIB)
        sock = _start_post(port, 150 * MIB, next(chunks) + next(chunks))
        answer = sock.recv(4096)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert list(temp.iterdir()) == []
        # A 4 MiB upload (under the cap, above the in-memory size) stopped half-way...
        chunks, length = multipart_chunks(4 * MIB)
        sock = _start_post(port, length, next(chunks))
        sent = 0
        for chunk in chunks:
            sock.sendall(chunk)
            sent += len(chunk)
            if sent >= 3 * MIB:
                break
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            partial = list(temp.iterdir())
            if partial and partial[0].stat().st_size >= 2 * MIB:
                break
            time.sleep(0.1)
        # ...and the server killed: the partial temporary file stays behind.
        _kill(server)
        sock.close()
        partial = list(temp.iterdir())
        assert len(partial) == 1 and partial[0].stat().st_size >= 2 * MIB, partial
    finally:
        if server.poll() is None:
            _kill(server)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ASSAY_DATA_DIR=str(data_dir))
    swept = subprocess.run(
        [*ASSAY, "files", "sweep", "--older-than", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert swept.returncode == 0, swept.stderr
    assert "removed 1" in swept.stdout
    assert list(temp.iterdir()) == []
