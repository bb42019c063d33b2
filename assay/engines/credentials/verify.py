"""Verify an Open Badges 3.0 credential and say plainly what was checked.

Checks, in order: the credential's form (contexts and type), the issuer's key (the proof names
a key the verifier trusts for that issuer), the proof (the Ed25519 signature over the canonical
content), the status list (revoked?), and the validity dates. Each check is reported with its
result and a sentence; the overall result is the first thing that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .build import CONTEXT
from .jsonld import CREDENTIALS_V2
from .proof import ProofCheck, verify_proof
from .status_list import StatusListError, decode, is_set

__all__ = [
    "Check",
    "Outcome",
    "StatusAnswer",
    "StatusLookup",
    "Verification",
    "status_from_list_credential",
    "verify",
]


class Outcome(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    ALTERED = "altered"
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Check:
    """One thing checked: ``passed`` is None when it could not be checked (said in ``detail``)."""

    name: str
    passed: bool | None
    detail: str


@dataclass(frozen=True)
class StatusAnswer:
    """What the status list says about one index."""

    revoked: bool
    reason: str = ""
    source: str = "status list"


#: (status list URL, index) -> answer, or None when that list is not available.
StatusLookup = Callable[[str, int], StatusAnswer | None]


@dataclass(frozen=True)
class Verification:
    ok: bool
    outcome: Outcome
    checks: tuple[Check, ...]
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "outcome": str(self.outcome),
            "summary": self.summary,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks
            ],
        }


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _done(outcome: Outcome, checks: list[Check], summary: str) -> Verification:
    return Verification(outcome is Outcome.VALID, outcome, tuple(checks), summary)


def verify(
    credential: object,
    *,
    trusted_keys: Mapping[str, Collection[str]] | None,
    status_lookup: StatusLookup | None,
    today: date,
    proof_check: Callable[[Mapping[str, Any], str], ProofCheck] = verify_proof,
) -> Verification:
    """Verify ``credential`` (parsed JSON). ``trusted_keys`` maps an issuer id to the public
    keys (Multikey) it signs with (None: no key is trusted in advance, said so, and the proof
    is checked against the key the credential names); ``status_lookup`` answers for the
    credential's status entry (None: no status list available, said so); ``today`` decides the
    validity dates. ``proof_check`` checks the signature (a caller may pass a memoised
    ``verify_proof``: the answer depends only on the document and the key)."""
    checks: list[Check] = []
    if not isinstance(credential, Mapping):
        checks.append(Check("credential type", False, "a credential is a JSON object"))
        return _done(Outcome.MALFORMED, checks, "This is not a credential (not a JSON object).")
    contexts = credential.get("@context")
    types = _types(credential.get("type"))
    if not isinstance(contexts, list) or contexts[:2] != CONTEXT:
        checks.append(
            Check(
                "credential type",
                False,
                f"the @context must begin with {CONTEXT[0]} and {CONTEXT[1]}",
            )
        )
        return _done(Outcome.MALFORMED, checks, "This is not an Open Badges 3.0 credential.")
    if "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        checks.append(
            Check(
                "credential type",
                False,
                "the type must include VerifiableCredential and OpenBadgeCredential",
            )
        )
        return _done(Outcome.MALFORMED, checks, "This is not an Open Badges 3.0 credential.")
    checks.append(
        Check(
            "credential type",
            True,
            "an OpenBadgeCredential (W3C Verifiable Credentials 2.0, Open Badges 3.0 contexts)",
        )
    )

    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    proof = credential.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    if not isinstance(issuer_id, str) or not isinstance(method, str) or "#" not in method:
        checks.append(Check("issuer key", False, "the credential names no issuer or no key"))
        return _done(Outcome.MALFORMED, checks, "The credential does not say who signed it.")
    controller, _, key = method.partition("#")
    if trusted_keys is None:
        if controller != issuer_id:
            checks.append(
                Check("issuer key", False, f"the proof's key {method} is not the issuer's")
            )
            return _done(Outcome.UNKNOWN, checks, "The credential was not signed by its issuer.")
        checks.append(
            Check(
                "issuer key",
                None,
                f"not checked: no trusted key was given; the signature is checked against the "
                f"key the credential names ({key})",
            )
        )
    elif controller != issuer_id or key not in trusted_keys.get(issuer_id, ()):
        checks.append(
            Check(
                "issuer key",
                False,
                f"the proof's key {method} is not a key this verifier trusts for issuer "
                f"{issuer_id}",
            )
        )
        return _done(
            Outcome.UNKNOWN, checks, "The credential was not signed by a known issuer key."
        )
    else:
        checks.append(Check("issuer key", True, f"key {key} of issuer {issuer_id}"))

    signature = proof_check(credential, key)
    checks.append(Check("proof", signature.passed, signature.detail))
    if not signature.passed:
        return _done(
            Outcome.ALTERED,
            checks,
            f"The credential's signature does not verify: {signature.detail}.",
        )

    revoked_reason: str | None = None
    entry = credential.get("credentialStatus")
    if entry is None:
        checks.append(Check("status", None, "the credential has no status list entry"))
    elif not (
        isinstance(entry, Mapping)
        and entry.get("type") == "BitstringStatusListEntry"
        and entry.get("statusPurpose") == "revocation"
        and isinstance(entry.get("statusListCredential"), str)
        and str(entry.get("statusListIndex", "")).isdigit()
    ):
        checks.append(Check("status", False, "the status entry is not a revocation entry"))
        return _done(Outcome.MALFORMED, checks, "The credential's status entry is unreadable.")
    else:
        list_url = str(entry["statusListCredential"])
        index = int(str(entry["statusListIndex"]))
        answer = status_lookup(list_url, index) if status_lookup is not None else None
        if answer is None:
            checks.append(
                Check("status", None, f"not checked: status list {list_url} is not available")
            )
        elif answer.revoked:
            revoked_reason = answer.reason or "no reason recorded"
            checks.append(
                Check(
                    "status",
                    False,
                    f"revoked ({answer.source}, index {index}): {revoked_reason}",
                )
            )
        else:
            checks.append(Check("status", True, f"not revoked ({answer.source}, index {index})"))

    valid_from = _parse_moment(credential.get("validFrom"))
    valid_until_raw = credential.get("validUntil")
    valid_until = _parse_moment(valid_until_raw)
    if valid_from is None or (valid_until_raw is not None and valid_until is None):
        checks.append(Check("validity", False, "the validity dates are not dates"))
        return _done(Outcome.MALFORMED, checks, "The credential's dates are unreadable.")
    dates_outcome: Outcome | None = None
    if today < valid_from.date():
        dates_outcome = Outcome.NOT_YET_VALID
        checks.append(Check("validity", False, f"valid only from {valid_from.date():%d/%m/%Y}"))
    elif valid_until is not None and today > valid_until.date():
        dates_outcome = Outcome.EXPIRED
        checks.append(Check("validity", False, f"expired on {valid_until.date():%d/%m/%Y}"))
    else:
        until = f" until {valid_until.date():%d/%m/%Y}" if valid_until else " with no end date"
        checks.append(Check("validity", True, f"valid from {valid_from.date():%d/%m/%Y}{until}"))

    if revoked_reason is not None:
        return _done(Outcome.REVOKED, checks, f"The credential was revoked: {revoked_reason}.")
    if dates_outcome is Outcome.EXPIRED:
        return _done(dates_outcome, checks, "The credential has expired.")
    if dates_outcome is Outcome.NOT_YET_VALID:
        return _done(dates_outcome, checks, "The credential is not valid yet.")
    unchecked = [c.name for c in checks if c.passed is None]
    summary = "The credential is genuine and in force."
    if unchecked:
        summary = "The credential is genuine; not checked: " + ", ".join(unchecked) + "."
    return _done(Outcome.VALID, checks, summary)


def status_from_list_credential(
    list_credential: object, *, trusted_keys: Mapping[str, Collection[str]] | None
) -> StatusLookup:
    """A status lookup reading a ``BitstringStatusListCredential`` (e.g. a file), after
    checking its own signature. Raises ValueError when the list cannot be trusted."""
    if not isinstance(list_credential, Mapping):
        raise ValueError("a status list credential is a JSON object")
    if "BitstringStatusListCredential" not in _types(list_credential.get("type")) or (
        list_credential.get("@context") != [CREDENTIALS_V2]
    ):
        raise ValueError("not a BitstringStatusListCredential")
    issuer = list_credential.get("issuer")
    proof = list_credential.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    if not isinstance(issuer, str) or not isinstance(method, str):
        raise ValueError("the status list names no issuer or key")
    controller, _, key = method.partition("#")
    if controller != issuer or (
        trusted_keys is not None and key not in trusted_keys.get(issuer, ())
    ):
        raise ValueError("the status list was not signed by a trusted issuer key")
    signature = verify_proof(list_credential, key)
    if not signature.passed:
        raise ValueError(f"the status list's signature does not verify: {signature.detail}")
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("statusPurpose") != "revocation":
        raise ValueError("the status list is not a revocation list")
    try:
        bits = decode(str(subject.get("encodedList", "")))
    except StatusListError as error:
        raise ValueError(f"the status list cannot be read: {error}") from error
    list_url = list_credential.get("id")

    def lookup(url: str, index: int) -> StatusAnswer | None:
        if url != list_url:
            return None
        try:
            revoked = is_set(bits, index)
        except StatusListError:
            return None
        return StatusAnswer(revoked=revoked, source=f"status list file {list_url}")

    return lookup
