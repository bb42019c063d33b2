"""API tokens, invitations and the append-only history of accounts (AccountEvent).

An API token's plaintext is shown once when created; only its SHA-256 is stored. The same
holds for an invitation's emailed token."""

from __future__ import annotations

from typing import Any

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
    scope = models.CharField(
        max_length=8,
        choices=[("read", "Read only"), ("write", "Read and write")],
        default="write",
        help_text="read: safe methods (GET) only; write: everything the user may do",
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the token stops working (empty: tokens made before expiry existed)",
    )

    class Meta:
        ordering = ["user", "-created_at", "pk"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="apitoken_user_newest")]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name or 'unnamed'}) for {self.user}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def state(self, now: Any = None) -> str:
        """active, expired or revoked (``now`` defaults to the clock)."""
        from assay.engines.accounts.tokens import token_state

        return str(
            token_state(
                revoked_at=self.revoked_at, expires_at=self.expires_at, now=now or clock.now()
            )
        )


class Invitation(models.Model):
    """An invitation to join a centre, or a certifying body, in a role (exactly one of the two:
    a check constraint says so). Only the SHA-256 of the emailed token is kept; resending
    replaces it (the old link stops working) and restarts the 7 days."""

    centre = models.ForeignKey(
        "centres.Centre",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    body = models.ForeignKey(
        "audits.CertifyingBody",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32)
    qualification_code = models.CharField(max_length=64, blank=True)
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="A candidate's own registration, or the employee an employer contact follows",
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    sent_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(centre__isnull=False, body__isnull=True)
                    | models.Q(centre__isnull=True, body__isnull=False)
                ),
                name="invitation_centre_xor_body",
            )
        ]

    def __str__(self) -> str:
        where = f"centre {self.centre_id}" if self.centre_id else f"body {self.body_id}"
        return f"{self.email} as {self.role} @ {where}"

    @property
    def place(self) -> Any:
        """The centre or certifying body the invitation is to."""
        return self.centre if self.centre_id else self.body

    @property
    def role_label(self) -> str:
        from assay.audits.models import BodyRole
        from assay.centres.models import Role

        choices = BodyRole if self.body_id else Role
        return str(choices(self.role).label) if self.role in choices.values else self.role


class SsoIdentity(models.Model):
    """An identity at the single sign-on provider (issuer + subject) linked to an account the
    first time its verified email matched; later sign-ins follow the link, whatever the email
    says by then (ADR 0024)."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    email = models.EmailField(blank=True, help_text="The verified email that first matched")
    linked_at = models.DateTimeField(default=clock.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer} → {self.user}"


class AccountEventKind(models.TextChoices):
    INVITED = "invited", "Invited"
    INVITATION_RESENT = "invitation_resent", "Invitation sent again"
    INVITATION_CANCELLED = "invitation_cancelled", "Invitation cancelled"
    ACCEPTED = "accepted", "Accepted the invitation"
    DEACTIVATED = "deactivated", "Account deactivated"
    REACTIVATED = "reactivated", "Account reactivated"
    ROLE_REVOKED = "role_revoked", "Role revoked"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_REFUSED = "sign_in_refused", "Sign-in refused"
    SSO_LINKED = "sso_linked", "Single sign-on linked"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Authenticator set up"
    TWO_FACTOR_FAILED = "two_factor_failed", "Wrong authenticator code"
    TWO_FACTOR_RESET = "two_factor_reset", "Authenticator removed"


class AccountEvent(models.Model):
    """Append-only history of accounts: who did what to whose account, when and why."""

    kind = models.CharField(max_length=32, choices=AccountEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
        help_text="Whose account (empty while an invitation is not yet accepted)",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        "audits.CertifyingBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(max_length=32, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=clock.now, editable=False)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id or self.invitation_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("account events are history: append a new one instead")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("account events are history and are never deleted")
