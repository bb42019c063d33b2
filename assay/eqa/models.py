"""External verification records: visits with their findings, action points, sanctions.

Nothing here is deleted (``PROTECT`` everywhere): a visit's record and a sanction stay as
history. An action point done and a sanction lifted are new states set once, with who, when
and (for a lift) why; the services refuse a second write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.centres.models import Centre


class Mode(models.TextChoices):
    ON_SITE = "on_site", "On site"
    REMOTE = "remote", "Remote"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Visit(models.Model):
    """An external verifier's visit to a centre: what they asked to sample (the centre sees
    it before the visit), what they found and the risk they rated the centre."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="eqa_visits")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    status = models.CharField(max_length=16, choices=VisitStatus.choices)
    sample_request = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    risk = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    risk_reasons = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["centre", "-on", "-id"], name="eqa_visit_centre_on")]

    def __str__(self) -> str:
        return f"{self.centre.number} {self.get_mode_display()} visit {self.on}"


class ActionPoint(models.Model):
    """Something the centre must do by a date, owned by one person there."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="action_points")
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"action point {self.pk} due {self.due_on}"


class SanctionLevel(models.TextChoices):
    ACTION_PLAN = "action_plan", "Action plan"
    CLAIMS_SUSPENDED = "claims_suspended", "Suspension of certification claims"
    REGISTRATIONS_SUSPENDED = "registrations_suspended", "Suspension of registrations and claims"
    APPROVAL_WITHDRAWN = "approval_withdrawn", "Withdrawal of approval"


class Sanction(models.Model):
    """A sanction applied to a centre (or one of its qualifications) from ``applied_on``;
    lifting sets the ``lifted_*`` fields once and keeps the row."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="sanctions")
    qualification_code = models.CharField(max_length=64, blank=True)
    level = models.CharField(max_length=32, choices=SanctionLevel.choices)
    reason = models.TextField()
    applied_on = models.DateField()
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(default=clock.now, editable=False)
    lifted_on = models.DateField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lifted_on__isnull=True)
                | models.Q(lifted_on__gte=models.F("applied_on")),
                name="eqa_sanction_lifted_after_applied",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre.number} {self.level} from {self.applied_on}"
