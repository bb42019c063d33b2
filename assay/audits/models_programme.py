"""The audit programme's rows (issue 15): planned dates, auditor competence, conflicts of
interest and calendar feed tokens. Imported by ``assay.audits.models`` so Django finds them.

Plans are versioned (a new plan is a new row; the latest counts); competence records and
conflict declarations are append-only and chained (``assay.audits.competence_records``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock

USER = settings.AUTH_USER_MODEL


class AuditPlan(models.Model):
    """One version of an audit's planned dates: opening and closing meetings; the fieldwork
    days per sampled office are ``AuditPlanVisit`` rows."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField()
    opening_on = models.DateField(help_text="The opening meeting")
    closing_on = models.DateField(help_text="The closing meeting")
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "version"], name="audit_plan_version")
        ]
        ordering = ["audit", "version"]

    def __str__(self) -> str:
        return f"plan v{self.version} of audit {self.audit_id}"


class AuditPlanVisit(models.Model):
    """A fieldwork day at one sampled office, in one plan version."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.PROTECT, related_name="visits")
    office = models.ForeignKey("audits.Office", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "office", "on"], name="plan_visit_unique")
        ]
        ordering = ["plan", "on", "office"]

    def __str__(self) -> str:
        return f"{self.office_id} on {self.on}"


class CompetenceKind(models.TextChoices):
    STANDARD = "standard", "Qualified to audit a standard version"
    TRAINING = "training", "Training"
    OBSERVED = "observed", "Observed audit"


class CompetenceRecord(models.Model):
    """One piece of an auditor's competence at a body (append-only, chained per auditor
    membership as ``competence:<membership id>``)."""

    membership = models.ForeignKey(
        "audits.BodyMembership", on_delete=models.PROTECT, related_name="competence"
    )
    kind = models.CharField(max_length=16, choices=CompetenceKind.choices)
    standard = models.ForeignKey(
        "audits.StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For kind standard: the version the auditor may audit",
    )
    title = models.CharField(max_length=200, blank=True, help_text="A training's title")
    on = models.DateField(help_text="When qualified, trained or observed")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["membership", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of membership {self.membership_id} on {self.on}"


class ConflictDeclaration(models.Model):
    """An auditor's declared conflict of interest with a client organisation (append-only,
    chained with the competence records): such an auditor is never assigned to its audits."""

    membership = models.ForeignKey(
        "audits.BodyMembership", on_delete=models.PROTECT, related_name="conflicts"
    )
    organisation = models.ForeignKey(
        "audits.Organisation", on_delete=models.PROTECT, related_name="conflicts"
    )
    reason = models.TextField()
    declared_on = models.DateField()
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["membership", "declared_on", "pk"]

    def __str__(self) -> str:
        return f"conflict of membership {self.membership_id} with {self.organisation_id}"


class CalendarFeedToken(models.Model):
    """The secret in an auditor's iCalendar feed address; only its SHA-256 is kept (the
    address is shown once, when made; making a new one replaces it)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_feed")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
