"""One row per background job: who asked for what, its state and progress, and what came of
it (a content-addressed result file, a line of text, or the error). The task queue's own rows
(``django_tasks_db``) say what to run; this one is what people and tests read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from assay.engines.jobs import percent


class State(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Kind(models.TextChoices):
    EMAIL = "email", "Email"
    AUDIT_REPORT = "audit_report", "Audit report"
    IQA_REPORT = "iqa_report", "IQA report"
    PORTFOLIO_ZIP = "portfolio_zip", "Portfolio export"
    IMPORT = "import", "Bulk import"
    NIGHTLY = "nightly", "Nightly job"


class Job(models.Model):
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="What was asked, in one line")
    # A nightly run's key (``nightly:<name>:<date>``): unique, so the same day is never run twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    result_name = models.CharField(max_length=100, blank=True, help_text="Content address")
    result_filename = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    result_size = models.BigIntegerField(null=True, blank=True)
    result_text = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker's "still at it": set when it starts and at each progress step; a running job
    # whose heartbeat is too old was left by a worker that stopped (``jobs_stalled_fail``).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_requester")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.state}: {self.title}"

    @property
    def percent(self) -> int:
        return 100 if self.state == State.DONE else percent(self.done, self.total)

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)
