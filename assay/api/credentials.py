"""Credential verification (public, no sign-in): by certificate number or with the credential's
JSON, answering what was checked and the outcome (docs/credentials.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from assay.api import schemas as s
from assay.credentials import selectors

router = Router(tags=["credentials"])


class CredentialCheckItem(Schema):
    name: str
    passed: bool | None
    detail: str


class CredentialCheckOut(Schema):
    ok: bool
    outcome: str
    summary: str
    checks: list[CredentialCheckItem]


class CredentialVerificationOut(CredentialCheckOut):
    kind: str
    unit_code: str
    name: str | None


class CertificateVerificationOut(Schema):
    number: str
    found: bool
    outcome: str
    credentials: list[CredentialVerificationOut]


@router.get("credentials/verify", response={200: CertificateVerificationOut, 422: s.Error})
def verify_number(request: HttpRequest, number: str) -> dict[str, Any]:
    """Verify every credential issued under a certificate number (what its QR code names).
    An unknown number answers ``found: false`` and ``outcome: "unknown"``."""
    return selectors.certificate_verify(number).as_dict()


@router.post("credentials/verify", response={200: CredentialCheckOut, 400: s.Error, 422: s.Error})
def verify_credential(request: HttpRequest, credential: Body[dict[str, Any]]) -> dict[str, Any]:
    """Verify a credential: send its JSON (an object) as the body. Answers ``ok``, the
    ``outcome`` (valid, revoked, altered, expired, not yet valid, unknown, malformed), a
    sentence, and every check made (proof, issuer key, status list, validity, type)."""
    return selectors.credential_verify(credential).as_dict()
