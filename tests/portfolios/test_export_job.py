"""The portfolio ZIP export built by the worker: its progress (files written of files in all)
on the job, the archive stored under its content address, downloaded only by whoever asked;
and ``assay portfolio export --progress`` on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.cli.main import main
from assay.jobs.models import Job, Kind, State
from tests.jobs.worker import run_worker
from tests.portfolios.test_export import check_zip, portfolio_with_files

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_builds_the_zip_and_only_the_requester_downloads_it(
    world: dict[str, Any], database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    w, reg = world, world["reg"]
    rows = portfolio_with_files(w)
    dan = signed_in(w["dan"])
    assert (
        'id="portfolio-export-job"'
        in dan.get(f"/registrations/{reg.pk}/portfolio/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = dan.post(f"/registrations/{reg.pk}/portfolio/export-job")
    job = Job.objects.get()
    assert answer["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.state, job.total) == (Kind.PORTFOLIO_ZIP, State.QUEUED, 0)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (State.DONE, 4, 4, 100)
    assert job.result_type == "application/zip" and job.result_text.endswith("3 evidence file(s)")
    download = dan.get(f"/jobs/{job.pk}/download")
    check_zip(b"".join(download.streaming_content), rows)  # type: ignore[attr-defined]
    for other in ("alice", "carol"):  # they may see the portfolio, but did not ask
        assert signed_in(w[other]).get(f"/jobs/{job.pk}/download").status_code == 404
    assert signed_in(w["sam"]).get(f"/jobs/{job.pk}/download").status_code == 200


def test_a_stranger_queues_no_export(
    world: dict[str, Any], database_tasks: None, django_user_model: Any
) -> None:
    stranger = signed_in(django_user_model.objects.create_user("nobody"))
    answer = stranger.post(f"/registrations/{world['reg'].pk}/portfolio/export-job")
    assert answer.status_code == 404 and not Job.objects.exists()


def test_the_cli_export_shows_progress_on_stderr(world: dict[str, Any], tmp_path: Path) -> None:
    w, reg = world, world["reg"]
    rows = portfolio_with_files(w)
    target = tmp_path / "out.zip"
    args = ["portfolio", "export", "--registration", str(reg.pk), "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--progress", "--as", "dan"])
    assert result.exit_code == 0, result.output
    assert "1/4 files (25%)" in result.stderr and "4/4 files (100%)" in result.stderr
    assert "files (" not in result.stdout
    check_zip(target.read_bytes(), rows)
