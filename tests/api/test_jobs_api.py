"""The job endpoints: a portfolio export queued through the API, run by the worker, followed
and downloaded with the same token; anyone else's job answers 404."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from assay.accounts.services import token_create
from tests.jobs.worker import run_worker
from tests.world import World

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def test_an_export_job_through_the_api(
    world: World, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    dan, client = bearer(world.user("dan")), Client()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/v1/registrations/{world.dan.pk}/portfolio/export-jobs", **dan)
    assert started.status_code == 202
    body = started.json()
    assert (body["kind"], body["state"], body["download"]) == ("portfolio_zip", "queued", None)
    job = f"/api/v1/jobs/{body['id']}"
    assert client.get(f"{job}/download", **dan).status_code == 404  # not built yet
    run_worker()
    done = client.get(job, **dan).json()
    assert (done["state"], done["percent"], done["download"]) == ("done", 100, f"{job}/download")
    archive = client.get(done["download"], **dan)
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    data = b"".join(archive.streaming_content)  # type: ignore[attr-defined]
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()[0] == "index.html"
    for other in ("alice", "sue"):
        them = bearer(world.user(other))
        assert client.get(job, **them).status_code == 404
        assert client.get(f"{job}/download", **them).status_code == 404
    assert client.get(job).status_code == 401


def test_a_stranger_starts_no_export(world: World, database_tasks: None) -> None:
    answer = Client().post(
        f"/api/v1/registrations/{world.dan.pk}/portfolio/export-jobs", **bearer(world.user("sue"))
    )
    assert answer.status_code == 404
    assert Client().get("/api/v1/jobs/999999", **bearer(world.user("sue"))).status_code == 404
