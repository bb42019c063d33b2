"""A candidate list above ASSAY_IMPORT_BACKGROUND_ROWS: every row is checked in the request
(errors shown at once, nothing queued), and a clean file is registered by the worker, with
its progress on the job page; below the threshold the import stays in the request."""

from __future__ import annotations

from typing import Any

import pytest

from assay.jobs.models import Job, Kind, State
from assay.registrations.models import Registration
from tests.jobs.worker import run_worker
from tests.web.test_bulk_page import BAD, GOOD, signed_in, upload, url
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_large_file_is_registered_by_the_worker(
    world: World,
    settings: Any,
    database_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ASSAY_IMPORT_BACKGROUND_ROWS = 1
    before = Registration.objects.count()
    carol = signed_in(world, "carol")
    with django_capture_on_commit_callbacks(execute=True):
        answer = carol.post(
            url(world), {"action": "import", "file": upload("c.csv", GOOD.encode())}
        )
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.state) == (Kind.IMPORT, State.QUEUED)
    assert Registration.objects.count() == before  # not in the request
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (State.DONE, 2, 2)
    assert job.result_text == f"registered 2 candidate(s) at {world.north.number}"
    assert Registration.objects.filter(candidate__first_name__in=["Nia", "Owen"]).count() == 2
    assert "registered 2 candidate(s)" in carol.get(f"/jobs/{job.pk}/").content.decode()
    assert signed_in(world, "sue").get(f"/jobs/{job.pk}/").status_code == 404


def test_a_large_file_with_errors_queues_nothing(
    world: World, settings: Any, database_tasks: None
) -> None:
    settings.ASSAY_IMPORT_BACKGROUND_ROWS = 1
    carol = signed_in(world, "carol")
    answer = carol.post(url(world), {"action": "import", "file": upload("c.csv", BAD.encode())})
    assert answer.status_code == 422 and not Job.objects.exists()


def test_another_centres_administrator_queues_nothing(
    world: World, settings: Any, database_tasks: None
) -> None:
    settings.ASSAY_IMPORT_BACKGROUND_ROWS = 1
    answer = signed_in(world, "sue").post(
        url(world), {"action": "import", "file": upload("c.csv", GOOD.encode())}
    )
    assert answer.status_code == 404 and not Job.objects.exists()


def test_a_small_file_is_still_registered_in_the_request(
    world: World, database_tasks: None
) -> None:
    answer = signed_in(world, "carol").post(
        url(world), {"action": "import", "file": upload("c.csv", GOOD.encode())}
    )
    assert answer.status_code == 302 and not Job.objects.exists()
    assert Registration.objects.filter(candidate__first_name__in=["Nia", "Owen"]).count() == 2
