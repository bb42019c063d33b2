"""The IQA report built by the worker: queued by a lead IQA or centre administrator for a
period, stored under its content address, downloaded by whoever asked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assay.jobs.models import Job, Kind, State
from tests.jobs.worker import run_worker
from tests.world import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def url(world: World) -> str:
    return f"/centres/{world.north.pk}/iqa/report-job"


def test_the_worker_builds_the_iqa_report_for_the_lead_iqa(
    world: World, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    linda = signed_in(world, "linda")
    assert 'id="iqa-report-job"' in linda.get(f"/centres/{world.north.pk}/iqa/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = linda.post(url(world), {"from": "2012-03-02", "to": "2013-03-01"})
    job = Job.objects.get()
    assert answer["Location"] == f"/jobs/{job.pk}/" and job.kind == Kind.IQA_REPORT
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.percent, job.result_type) == (State.DONE, 100, "application/pdf")
    assert job.result_filename == f"iqa-{world.north.pk}-2012-03-02-2013-03-01.pdf"
    pdf = linda.get(f"/jobs/{job.pk}/download")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert signed_in(world, "carol").get(f"/jobs/{job.pk}/download").status_code == 404


def test_others_queue_nothing_and_a_bad_period_is_refused(
    world: World, database_tasks: None
) -> None:
    assert signed_in(world, "sue").post(url(world)).status_code == 404  # another centre
    assert signed_in(world, "alice").post(url(world)).status_code == 403  # an assessor
    linda = signed_in(world, "linda")
    assert linda.post(url(world), {"from": "2013-03-01", "to": "2012-01-01"}).status_code == 400
    assert linda.post(url(world), {"format": "docx"}).status_code == 400
    assert not Job.objects.exists()
