"""API tokens. The plaintext is shown once when created; only its SHA-256 is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock


class ApiToken(models.Model):
    """A bearer token acting as ``user``. Revoking keeps the row (who had access, and when)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for")
    key_prefix = models.CharField(max_length=8, help_text="First 8 characters, to recognise it")
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name or 'unnamed'}) for {self.user}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
