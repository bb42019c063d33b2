"""Issued credentials, the status lists that revoke them, and the issuer's public keys.

Nothing here is deleted (``PROTECT``). A credential's JSON is stored as the exact text that was
signed and handed out (with its SHA-256); it never changes. Revocation is a state set once
(when, why, by whom) and chained (``credential:<certificate id>``, assay/credentials/records.py),
so ``assay records verify`` names a revocation removed or a credential edited in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock


class CredentialKind(models.TextChoices):
    QUALIFICATION = "qualification", "Qualification"
    UNIT = "unit", "Unit"


class IssuerKey(models.Model):
    """A public key the issuer has signed credentials with (Multikey, ``z6Mk…``). Every key
    ever used stays here so credentials signed before a key change still verify."""

    public_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return self.public_key


class StatusList(models.Model):
    """One W3C Bitstring Status List (revocation), served at ``/credentials/status/<id>``."""

    length = models.PositiveIntegerField(default=16 * 1024 * 8)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return f"status list {self.pk}"


class IssuedCredential(models.Model):
    """One signed ``OpenBadgeCredential``: for a certificate's qualification or one unit."""

    certificate_id = models.PositiveIntegerField(db_index=True)
    certificate_number = models.CharField(max_length=32, db_index=True)
    kind = models.CharField(max_length=16, choices=CredentialKind.choices)
    unit_code = models.CharField(max_length=32, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The candidate's account: the only person who may download it",
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    document = models.TextField(help_text="The credential JSON exactly as issued")
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=clock.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["certificate_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credentials_one_per_status_bit"
            ),
            models.UniqueConstraint(
                fields=["certificate_id", "kind", "unit_code"],
                name="credentials_one_per_certificate_part",
            ),
        ]

    def __str__(self) -> str:
        part = self.unit_code or "qualification"
        return f"{self.certificate_number} {part}"
