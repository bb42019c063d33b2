"""``assay bench upload --storage s3`` at a small size: a 128 MiB upload through the real
server (gunicorn, a throwaway SQLite folder) to a throwaway SeaweedFS is stored whole (the hash
read back from the bucket), and the server's memory grows by far less than the file. Memory and
hashes are asserted, never time."""

from __future__ import annotations

import pytest

from assay.bench.upload import MIB, upload_bench

SIZE = 128 * MIB


@pytest.mark.standalone
def test_a_128_mib_upload_to_the_bucket_is_stored_whole_and_the_server_stays_flat() -> None:
    result = upload_bench(SIZE, endpoint="api", storage="s3")
    assert result.status == 201, result.message
    assert result.storage == "s3"
    assert result.stored_size == SIZE
    assert result.stored_sha256 == result.client_sha256  # read back from the bucket
    # The growth is boto3 loading once per worker (some 40 MB, the same at 64 MiB, 256 MiB and
    # 1 GiB: docs/performance.md) plus a few MB of parts in flight; a copy would be SIZE.
    assert 0 < result.baseline_rss <= result.peak_rss
    assert result.growth < SIZE // 2, result.growth
