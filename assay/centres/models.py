"""Centres, approvals per qualification, sites, roles, occupational competence and CPD.

Approvals and role grants are history: a change is a new row, never an edit (who, when, why).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock


class Centre(models.Model):
    number = models.CharField(max_length=16, unique=True, help_text="Awarding body centre number")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    employer_direct_model = models.BooleanField(
        default=False, help_text="Approved for the Employer Direct Model of in-house assessment"
    )
    edm_approved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class Site(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["centre", "name"]

    def __str__(self) -> str:
        return self.name


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class QualificationApproval(models.Model):
    """One approval decision for one qualification code at one centre (history, append-only)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="approvals")
    qualification_code = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=ApprovalStatus.choices)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["centre", "qualification_code", "since", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.centre.number} {self.qualification_code} {self.status} from {self.since}"


class Role(models.TextChoices):
    CENTRE_ADMIN = "centre_admin", "Centre administrator"
    TUTOR = "tutor", "Tutor"
    ASSESSOR = "assessor", "Assessor"
    INTERNAL_VERIFIER = "internal_verifier", "Internal verifier (IQA)"
    LEAD_IQA = "lead_iqa", "Lead IQA"
    EXTERNAL_VERIFIER = "external_verifier", "External verifier (EQA)"
    EMPLOYER_CONTACT = "employer_contact", "Employer contact"
    CANDIDATE = "candidate", "Candidate"


class Membership(models.Model):
    """A person holds a role at a centre, optionally for one qualification only.

    External verifiers belong to the awarding body; their membership is the assignment.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    qualification_code = models.CharField(max_length=64, blank=True)
    active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["centre", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "role", "qualification_code"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.centre.number}"


class CompetenceRole(models.TextChoices):
    ASSESSOR = "assessor", "Assessor"
    INTERNAL_VERIFIER = "internal_verifier", "Internal verifier"
    EXTERNAL_VERIFIER = "external_verifier", "External verifier"


class Competence(models.Model):
    """An A/V unit a person holds or is working towards, from the date they started working with
    the standards (the handbook's 18-month / 12-month clock starts there)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competences"
    )
    role = models.CharField(max_length=32, choices=CompetenceRole.choices)
    av_unit = models.CharField(max_length=64, help_text="e.g. A1, V1, TAQA Assessor award")
    started_on = models.DateField(help_text="Started working with the standards")
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.user} {self.av_unit}"


class CpdEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd")
    on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    activity = models.TextField()
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["user", "-on"]
        verbose_name_plural = "CPD entries"

    def __str__(self) -> str:
        return f"{self.user} {self.on} {self.hours}h"
