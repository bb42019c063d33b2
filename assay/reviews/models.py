"""Assessment plans and progress reviews, their planned activities and signatures.

Writes go through ``services.py``. A plan can be edited only until its first signature; after
that its text is frozen (a changed plan is a new plan). Signatures are append-only: the model
refuses to update or delete one. Completing an activity is recorded on the activity (who,
when) and is not part of the signed text.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from assay import clock
from assay.portfolios.models import Method
from assay.registrations.models import Registration


class Kind(models.TextChoices):
    PLAN = "plan", "Assessment plan"
    REVIEW = "review", "Progress review"


class Capacity(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    ASSESSOR = "assessor", "Assessor"
    EMPLOYER = "employer", "Employer"


class AssessmentPlan(models.Model):
    """An assessment plan or progress review agreed at a meeting on ``met_on``.

    ``coverage`` is the snapshot of each planned unit when it was recorded
    (``[{"unit", "met", "total", "signed_off"}]``), so later reviews can show progress.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="assessment_plans"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    met_on = models.DateField()
    summary = models.TextField()
    notes = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    coverage = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registration", "met_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.met_on}"


class PlannedActivity(models.Model):
    """What the candidate will do, how it will be assessed, which criteria it covers, by when."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.PROTECT, related_name="activities")
    position = models.PositiveSmallIntegerField()
    description = models.TextField()
    method = models.CharField(max_length=32, choices=Method.choices)
    targets = models.JSONField(default=list, help_text='"unit:target" strings, e.g. "403:1.2"')
    target_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        indexes = [models.Index(fields=["completed_on"], name="activity_open_idx")]

    def __str__(self) -> str:
        return f"{self.description[:40]} by {self.target_date}"


class ReviewSignature(models.Model):
    """An immutable signing event: who, in which capacity, when, the SHA-256 of the plan's
    canonical text at signing, and from where. One per capacity per plan."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=16, choices=Capacity.choices)
    text_sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["plan", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "capacity"], name="review_signature_once")
        ]

    def __str__(self) -> str:
        return f"signed by {self.signer} as {self.capacity}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a signature is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("a signature is never deleted")
