"""``assay bench upload`` at a small size: a 64 MiB upload through the real server (a child
process on a throwaway database) is stored whole, and the server's memory grows by far less
than the file. Memory and hashes are asserted, never time."""

from __future__ import annotations

import hashlib
import io

import pytest
from click.testing import CliRunner

from assay.bench.upload import (
    MIB,
    multipart,
    parse_size,
    upload_bench,
    wav_content,
    wav_header,
)
from assay.cli.main import main
from assay.files.storage import store_upload

SIZE = 64 * MIB


@pytest.mark.standalone
def test_a_64_mib_upload_is_stored_whole_and_the_server_stays_flat() -> None:
    result = upload_bench(SIZE, endpoint="web")
    assert result.status == 302, result.message  # the attach form redirects to the portfolio
    assert result.stored_size == SIZE
    assert result.stored_sha256 == result.client_sha256
    expected = hashlib.sha256(b"".join(wav_content(SIZE))).hexdigest()
    assert result.client_sha256 == expected
    # Streamed to disk: the server's resident memory grows by a small fraction of the file
    # (a copy in memory would show at least SIZE).
    assert 0 < result.baseline_rss <= result.peak_rss
    assert result.growth < SIZE // 8, result.growth


@pytest.mark.standalone
def test_the_command_prints_the_figures_and_fails_on_a_refused_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = CliRunner().invoke(main, ["bench", "upload", "--size", "4M", "--endpoint", "api"])
    assert out.exit_code == 0, out.output
    for line in ("HTTP 201", "server RSS:", "RSS growth:", "hash matches:    yes", "peak under"):
        assert line in out.output
    # Barred by type on the server: the upload fails, nothing is stored, the exit status is 1.
    monkeypatch.setenv("ASSAY_EVIDENCE_TYPES", "application/pdf")
    refused = CliRunner().invoke(main, ["bench", "upload", "--size", "1M", "--endpoint", "api"])
    assert refused.exit_code == 1, refused.output
    assert "HTTP 422" in refused.output and "(no file stored)" in refused.output
    bad = CliRunner().invoke(main, ["bench", "upload", "--size", "lots"])
    assert bad.exit_code == 2 and "not a size" in bad.output


def test_the_generated_file_passes_the_type_sniffing(settings: object, tmp_path: object) -> None:
    from django.core.files.storage import FileSystemStorage

    stored = store_upload(
        io.BytesIO(b"".join(wav_content(100_000))),
        original_name="discussion.wav",
        storage=FileSystemStorage(location=str(tmp_path)),
    )
    assert stored.media_type == "audio/wav" and stored.size == 100_000


def test_the_body_is_the_announced_length() -> None:
    body = multipart(300_000)
    assert sum(len(part) for part in body.parts()) == body.length
    assert wav_header(300_000)[:4] == b"RIFF" and len(wav_header(300_000)) == 44


@pytest.mark.parametrize(
    ("text", "size"), [("1G", 1024**3), ("64M", 64 * MIB), ("512k", 512 * 1024), ("100", 100)]
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "-1M", "1T", "M"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)
