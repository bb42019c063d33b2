"""`assay serve` starts gunicorn: the application preloaded in the arbiter, N workers, JSON log
lines, the probes answering, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assay.bench.upload import free_port

ROOT = Path(__file__).resolve().parents[2]
ASSAY = (sys.executable, "-c", "from assay.cli.main import main; main()")


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


@pytest.mark.standalone
def test_serve_runs_gunicorn_with_workers_and_probes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(ASSAY_DATA_DIR=str(tmp_path / "data"), ASSAY_LOG_FORMAT="json")
    port = free_port()
    server = subprocess.Popen(
        [*ASSAY, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        # A fresh data folder: nothing migrated, so not ready.
        status, body = _get(f"http://127.0.0.1:{port}/readyz")
        assert status == 503 and json.loads(body)["checks"]["migrations"] == "failed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "upload temporary files" in out
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert any(m.startswith("Starting gunicorn") for m in messages)
    assert any("Using worker: gthread" in m for m in messages)
    assert sum(m.startswith("Booting worker") for m in messages) == 2
    assert any("not ready: migrations" in m for m in messages)
    assert all("request_id" in line and "time" in line for line in lines)
