"""Candidates, registrations and their append-only records (status history, signatures).

Writes go through ``services.py``; status changes and signatures are never updated or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.catalogue.models import Qualification
from assay.centres.models import Centre


class JobKind(models.TextChoices):
    PAID = "paid", "Paid"
    VOLUNTARY = "voluntary", "Voluntary"
    NONE = "none", "No real job"


class Candidate(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="candidates")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    job_role = models.CharField(max_length=200, blank=True)
    job_kind = models.CharField(max_length=16, choices=JobKind.choices, default=JobKind.PAID)
    employer_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        help_text="The employer's contact who signs the learning contract and follows progress",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def real_job(self) -> bool:
        return self.job_kind != JobKind.NONE


class HeldQualification(models.Model):
    """A qualification the candidate already holds (entry rule: no re-entry for the same)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="held")
    qualification_code = models.CharField(max_length=64)
    achieved_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.qualification_code


class Status(models.TextChoices):
    REGISTERED = "registered", "Registered"
    IN_PROGRESS = "in_progress", "In progress"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED = "transferred", "Transferred"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"


class Registration(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="registrations")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="registrations")
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="registrations"
    )
    registered_on = models.DateField()
    end_date = models.DateField(help_text="Assessment must be complete by this date")
    end_date_explanation = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    internal_verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_registrations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    allow_units_without_content = models.BooleanField(
        default=False,
        help_text=(
            "Let the learning plan hold units whose content is not in the catalogue; they are "
            "achieved by credit transfer (ADR 0010)"
        ),
    )

    class Meta:
        ordering = ["-registered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.candidate} on {self.qualification.code}"


class StatusChange(models.Model):
    """Append-only history of a registration's status: who, when, from, to, why."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["registration", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class PlanUnit(models.Model):
    """A unit on the learning plan, with its assessor and target date."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="plan_units"
    )
    unit_number = models.CharField(max_length=16)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessed_plan_units",
    )
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["registration", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "unit_number"], name="plan_unit_unique")
        ]

    def __str__(self) -> str:
        return self.unit_number


class InitialAssessment(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="initial_assessment"
    )
    training_needs = models.TextField(blank=True)
    support_needs = models.TextField(blank=True)
    job_role_facts = models.JSONField(default=dict)
    recommended_level = models.PositiveSmallIntegerField(null=True, blank=True)
    recommendation_reasons = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return f"Initial assessment of {self.registration}"


class PriorKind(models.TextChoices):
    RPL = "rpl", "Recognition of prior learning"
    CREDIT_TRANSFER = "credit_transfer", "Credit transfer"


class RplClaim(models.Model):
    """Recognition of prior learning for one unit; counts in the rules once accepted.

    A credit transfer is the same record of a unit already achieved elsewhere: it is
    accepted when recorded, carries the certificate's reference and counts as achieved in
    the portfolio's progress too (ADR 0010). It is never updated afterwards."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="rpl_claims"
    )
    unit_number = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=PriorKind.choices, default=PriorKind.RPL)
    certificate_reference = models.CharField(
        max_length=120, blank=True, help_text="The certificate the credited unit is on"
    )
    evidence = models.TextField()
    accepted = models.BooleanField(null=True, help_text="None until an assessor decides")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        label = "Credit transfer" if self.kind == PriorKind.CREDIT_TRANSFER else "RPL"
        return f"{label} {self.unit_number}"


class SignatureDocument(models.TextChoices):
    INDUCTION = "induction", "Induction checklist"
    LEARNING_CONTRACT = "learning_contract", "Learning contract"


class Signature(models.Model):
    """An immutable signing event: who, in which capacity, when, what text, from where."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="signatures"
    )
    document = models.CharField(max_length=32, choices=SignatureDocument.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=32, help_text="candidate, assessor or employer")
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["registration", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.document} signed by {self.signer} as {self.capacity}"


class Refusal(models.Model):
    """A registration that the entry rules refused: nothing else was saved, but the attempt
    and its reasons are kept so the centre can see and explain them."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="refusals")
    candidate_name = models.CharField(max_length=200)
    qualification_code = models.CharField(max_length=64)
    attempted_on = models.DateField()
    reasons = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-at", "pk"]

    def __str__(self) -> str:
        return f"Refused {self.candidate_name} on {self.qualification_code}"


class Extension(models.Model):
    """An append-only extension of the period of registration: who, when, from which end date
    to which, and why (handbook 4.1: assessment must be completed within the period)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="extensions"
    )
    previous_end = models.DateField()
    new_end = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["registration", "at", "pk"]

    def __str__(self) -> str:
        return f"Extended {self.previous_end} → {self.new_end}"
