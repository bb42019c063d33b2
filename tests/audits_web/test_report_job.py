"""The audit report PDF built by the worker: the button queues it, the job page shows its
progress (polled by htmx until it ends) and then a download link; only whoever asked (and
the awarding body's staff) sees the job or its file."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from assay.files.storage import verify_stored
from assay.jobs.models import Job, Kind, State
from tests.audits.world import AuditWorld, score_all, to_fieldwork
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_report_is_built_by_the_worker_and_downloaded_by_its_requester(
    aw: AuditWorld,
    client_as: Clients,
    database_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    contact = client_as("contact")
    assert 'id="audit-report-job"' in text(contact.get(f"/audits/{aw.audit.pk}/results/"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = contact.post(f"/audits/{aw.audit.pk}/report-job")
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.state, job.requested_by) == (
        Kind.AUDIT_REPORT,
        State.QUEUED,
        aw["contact"],
    )
    page = text(contact.get(f"/jobs/{job.pk}/"))
    assert "Queued" in page and 'hx-trigger="every 1s"' in page and 'value="0"' in page
    assert "job-download" not in page
    assert contact.get(f"/jobs/{job.pk}/download").status_code == 404  # nothing yet
    assert "ran 1 task(s)" in run_worker()
    status = text(contact.get(f"/jobs/{job.pk}/status"))
    assert "Done" in status and 'value="100"' in status and "hx-trigger" not in status
    assert f'href="/jobs/{job.pk}/download"' in status
    job.refresh_from_db()
    assert (
        job.result_type == "application/pdf" and job.result_filename == f"audit-{aw.audit.pk}.pdf"
    )
    assert verify_stored(job.result_name, job.result_name.rsplit("/", 1)[1])  # content address
    pdf = contact.get(f"/jobs/{job.pk}/download")
    body = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    assert pdf.status_code == 200 and body.startswith(b"%PDF")
    assert f'filename="audit-{aw.audit.pk}.pdf"' in pdf["Content-Disposition"]
    assert client_as("body_admin").get(f"/jobs/{job.pk}/").status_code == 404  # not theirs
    for role in ("contact_other", "auditor_other", "nobody"):
        who = client_as(role)
        for path in ("", "status", "download"):
            assert who.get(f"/jobs/{job.pk}/{path}").status_code == 404, (role, path)
    anonymous = client_as("anonymous").get(f"/jobs/{job.pk}/download")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_someone_who_cannot_see_the_audit_queues_nothing(
    aw: AuditWorld, client_as: Clients, database_tasks: None
) -> None:
    for role in ("contact_other", "nobody"):
        assert client_as(role).post(f"/audits/{aw.audit.pk}/report-job").status_code == 404
    assert client_as("contact").get(f"/audits/{aw.audit.pk}/report-job").status_code == 405
    anonymous = client_as("anonymous").post(f"/audits/{aw.audit.pk}/report-job")
    assert anonymous.status_code == 302
    assert not Job.objects.exists()


def test_a_superuser_sees_anyones_job(
    aw: AuditWorld, client_as: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.models import User

    to_fieldwork(aw)
    score_all(aw, 7)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend: built now
        client_as("contact").post(f"/audits/{aw.audit.pk}/report-job")
    job = Job.objects.get()
    assert job.state == State.DONE
    staff = Client()
    staff.force_login(User.objects.create_user("staffer", is_superuser=True))
    assert staff.get(f"/jobs/{job.pk}/download").status_code == 200
