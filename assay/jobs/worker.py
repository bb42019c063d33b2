"""The worker loop behind ``assay worker``: the database backend's own worker
(``django_tasks_db``'s ``db_worker``) drains the queue; between rounds the nightly jobs of the
day are scheduled (idempotent, see ``assay.jobs.nightly``), and on start and then every
``SWEEP_SECONDS`` the jobs left running by a worker that stopped are failed with the reason
(``assay.jobs.services.jobs_stalled_fail``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from assay.jobs.services import jobs_stalled_fail

SWEEP_SECONDS = 60.0


class NotADatabaseBackend(Exception):
    """The configured task backend runs tasks elsewhere; this worker has nothing to take."""


def worker_run(
    *,
    queues: Sequence[str],
    once: bool,
    interval: float,
    schedule: Callable[[], object] | None = None,
    backend: str = "default",
) -> int:
    """Run queued tasks of ``queues`` ("*" for all); with ``once`` until none is left, else
    forever, looking again every ``interval`` seconds. Returns how many tasks ran."""
    if not isinstance(task_backends[backend], DatabaseBackend):
        raise NotADatabaseBackend(
            f"the task backend {backend!r} is not the database backend "
            "(set ASSAY_TASKS_BACKEND=database)"
        )
    worker = Worker(
        queue_names=list(queues),
        interval=interval,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    if not once:
        worker.configure_signals()
    swept = None
    while worker.running:
        if swept is None or time.monotonic() - swept >= SWEEP_SECONDS:
            jobs_stalled_fail()
            swept = time.monotonic()
        if schedule is not None:
            schedule()
        worker.run()
        if once:
            break
        time.sleep(interval)
    return worker._run_tasks
