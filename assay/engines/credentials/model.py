"""The facts a credential is built from. The Django side turns a certificate and the catalogue
into these; the engine never sees a model. CASE references carry the identifiers and URIs the
CASE export gives (``assay.catalogue.case.case_identifier`` / ``case_uri``), computed by the
caller because engines do not import the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "CaseRef",
    "CertificateFacts",
    "CredentialKind",
    "CredentialSpec",
    "Issuer",
    "StatusRef",
    "UnitFacts",
]

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


class CredentialKind(StrEnum):
    QUALIFICATION = "qualification"
    UNIT = "unit"


@dataclass(frozen=True)
class Issuer:
    """The issuer profile and the public key its credentials are signed with."""

    id: str
    name: str
    url: str
    public_key: str
    email: str = ""

    def __post_init__(self) -> None:
        for name in ("id", "url"):
            if not _URI.match(getattr(self, name)):
                raise ValueError(f"issuer {name} must be an absolute URI")

    @property
    def verification_method(self) -> str:
        return f"{self.id}#{self.public_key}"


@dataclass(frozen=True)
class CaseRef:
    """One CASE item of the catalogue's export: its identifier, URI, printed code and text."""

    identifier: str
    uri: str
    code: str
    statement: str


@dataclass(frozen=True)
class UnitFacts:
    code: str
    title: str
    level: str
    credit: int
    case: CaseRef | None = None
    criteria: tuple[CaseRef, ...] = ()


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate says. ``kind`` is the certificate's: a full qualification
    (one qualification credential plus one per unit) or a unit certificate (unit credentials)."""

    number: str
    kind: CredentialKind
    candidate_name: str
    candidate_id: str
    qualification_code: str
    qualification_title: str
    accreditation_number: str
    centre_name: str
    centre_number: str
    issued_on: date
    units: tuple[UnitFacts, ...]
    base_url: str
    valid_until: date | None = None
    qualification_case: CaseRef | None = None
    replaces: str = ""

    def __post_init__(self) -> None:
        if not self.units:
            raise ValueError("a certificate names at least one unit")
        if self.valid_until is not None and self.valid_until < self.issued_on:
            raise ValueError("a certificate cannot expire before it is issued")


@dataclass(frozen=True)
class CredentialSpec:
    """Which credential of a certificate: the qualification, or one unit (by code)."""

    kind: CredentialKind
    unit_code: str = ""


@dataclass(frozen=True)
class StatusRef:
    """Where a credential's revocation bit lives: the status list credential's URL and index."""

    list_url: str
    index: int = field(default=0)
