"""Claims, their batches and history, the awarding body's staff, and certificates.

A claim's acts are chained (``records.py``, chain ``claim:<pk>``); its status history is
``ClaimEvent`` rows, append-only. A certificate is issued by an approval and never edited but
for its revocation (set once, with a reason and a kind); a replacement is a new certificate
that names the one it replaces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.centres.models import Centre
from assay.registrations.models import Registration


class AwardingBodyStaff(models.Model):
    """The awarding body's role: reads every submitted claim, queries, approves, rejects,
    requests EV samples and revokes certificates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="awarding_body"
    )
    active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return f"awarding body: {self.user_id}"


class ClaimKind(models.TextChoices):
    UNIT = "unit", "Unit certificate"
    QUALIFICATION = "qualification", "Full qualification"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    EV_SAMPLE_REQUESTED = "ev_sample_requested", "EV sample requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


OPEN = (
    ClaimStatus.DRAFT,
    ClaimStatus.SUBMITTED,
    ClaimStatus.QUERIED,
    ClaimStatus.EV_SAMPLE_REQUESTED,
)


class ClaimBatch(models.Model):
    """Claims sent to the awarding body together."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["centre", "-submitted_at", "-id"], name="claimbatch_ord")]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class Claim(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ClaimKind.choices)
    units = models.JSONField(default=list, help_text="The unit numbers claimed (or counted)")
    status = models.CharField(max_length=24, choices=ClaimStatus.choices)
    claim_on = models.DateField(help_text="The claim date: created, then the batch's date")
    batch = models.ForeignKey(
        ClaimBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    sample_outcome = models.CharField(max_length=16, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["centre", "status", "id"], name="claim_centre_status"),
            models.Index(fields=["status", "id"], name="claim_status"),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.kind}, {self.status})"


class ClaimEvent(models.Model):
    """One entry of a claim's status history (append-only): the change, who, when, and the
    text that came with it (the query, the answer, the EV's note, the reasons)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="history")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    text = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class CertificateKind(models.TextChoices):
    UNIT = "unit", "Unit certificate"
    QUALIFICATION = "qualification", "Qualification certificate"


class RevokedKind(models.TextChoices):
    NONE = "", "—"
    MALPRACTICE = "malpractice", "Malpractice"
    ISSUED_IN_ERROR = "issued_in_error", "Issued in error"


class Certificate(models.Model):
    number = models.CharField(max_length=32, unique=True)
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="certificate")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="certificates"
    )
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=CertificateKind.choices)
    qualification_code = models.CharField(max_length=64)
    qualification_title = models.CharField(max_length=300)
    accreditation_number = models.CharField(max_length=32, blank=True)
    issued_on = models.DateField()
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_kind = models.CharField(
        max_length=16, choices=RevokedKind.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None


class CertificateUnit(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="units")
    position = models.PositiveSmallIntegerField()
    unit_code = models.CharField(max_length=32)
    unit_title = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField()
    credit = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["certificate", "position"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "position"], name="certunit_position")
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.unit_code}"
