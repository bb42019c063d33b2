"""Identity rules (pure Python): who must use a second factor, and which account a single
sign-on identity is (ADR 0024).

* Two-factor sign-in is required only when the installation asks for it, and then only for
  staff: centre administrators, internal verifiers and lead IQAs, external verifiers, every
  certifying-body role, and the awarding body or operator (a superuser). Candidates, employer
  contacts, tutors and assessors are not required to (they may still enrol).
* An identity provider that says it already used several factors (the OpenID ``amr`` claim)
  counts only when the installation says it trusts that provider's word.
* A single sign-on identity is an existing account: the one already linked to the provider's
  subject, or else the one active account whose email the provider says it verified. Nothing
  else signs in: no account is ever created from a sign-on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

STAFF_CENTRE_ROLES = frozenset(
    {"centre_admin", "internal_verifier", "lead_iqa", "external_verifier"}
)
# RFC 8176 values meaning more than one factor was used.
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "vbm"})


class Step(StrEnum):
    """What a signed-in person must do before anything else."""

    NONE = "none"  # nothing: no second factor needed, or already given
    ENROL = "enrol"  # set up an authenticator first
    VERIFY = "verify"  # give a code


@dataclass(frozen=True, slots=True)
class TwoFactor:
    step: Step
    reason: str = ""

    @property
    def required(self) -> bool:
        return self.step != Step.NONE


def needs_two_factor(
    *,
    installation_requires: bool,
    superuser: bool,
    centre_roles: Iterable[str],
    body_roles: Iterable[str],
) -> bool:
    """Whether this person's roles make a second factor compulsory here."""
    if not installation_requires:
        return False
    return (
        superuser or bool(STAFF_CENTRE_ROLES & set(centre_roles)) or any(True for _ in body_roles)
    )


def two_factor_step(*, required: bool, has_device: bool, verified: bool) -> TwoFactor:
    """The step left for a signed-in person whose roles do or do not require a second factor."""
    if not required or verified:
        return TwoFactor(Step.NONE)
    if not has_device:
        return TwoFactor(
            Step.ENROL,
            "This installation requires staff to sign in with an authenticator app: set one up "
            "to go on.",
        )
    return TwoFactor(Step.VERIFY, "Enter the 6-digit code from your authenticator app.")


def provider_asserted_mfa(*, amr: object, trusted: bool) -> bool:
    """Whether the provider's ``amr`` claim counts as the second factor (only when trusted)."""
    if not trusted or not isinstance(amr, list | tuple):
        return False
    return any(isinstance(value, str) and value.lower() in MFA_AMR for value in amr)


class Match(StrEnum):
    LINKED = "linked"  # the subject was linked before
    EMAIL = "email"  # first sign-on: the verified email names one account
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class SsoMatch:
    match: Match
    user_id: int | None = None
    code: str = ""
    reason: str = ""


def sso_match(
    *,
    claims: Mapping[str, object],
    linked_user_id: int | None,
    linked_user_active: bool,
    email_user_ids: Iterable[tuple[int, bool]],
    provider: str,
) -> SsoMatch:
    """Which account a provider's identity is. ``email_user_ids`` are the (id, active) of the
    accounts with the claimed email (any case); ``linked_*`` the account already linked to the
    subject, if any."""
    if linked_user_id is not None:
        if not linked_user_active:
            return _refused("inactive", "This account has been deactivated.")
        return SsoMatch(Match.LINKED, linked_user_id)
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return _refused(
            "no_email", f"{provider} did not tell Assay your email address, so no account matches."
        )
    if claims.get("email_verified") is not True:
        return _refused(
            "email_unverified",
            f"{provider} has not verified the email address {email}, so Assay cannot match it "
            "to an account.",
        )
    found = list(email_user_ids)
    if not found:
        return _refused(
            "unknown",
            f"No Assay account has the email address {email}. Ask your centre administrator to "
            "invite you first; signing in does not create accounts.",
        )
    if len(found) > 1:
        return _refused(
            "ambiguous",
            f"More than one Assay account has the email address {email}; ask your administrator "
            "to sort this out.",
        )
    user_id, active = found[0]
    if not active:
        return _refused("inactive", "This account has been deactivated.")
    return SsoMatch(Match.EMAIL, user_id)


def _refused(code: str, reason: str) -> SsoMatch:
    return SsoMatch(Match.REFUSED, None, code, reason)
