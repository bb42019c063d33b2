"""Build Open Badges 3.0 ``OpenBadgeCredential`` documents (W3C VC 2.0) from certificate facts,
and sign them with ``eddsa-rdfc-2022``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from .jsonld import CREDENTIALS_V2, OB_V3P0
from .keys import SigningKey
from .model import (
    CaseRef,
    CertificateFacts,
    CredentialKind,
    CredentialSpec,
    Issuer,
    StatusRef,
    UnitFacts,
)
from .proof import sign
from .status_list import MIN_BITS
from .status_list import encode as encode_status_list

__all__ = [
    "CONTEXT",
    "build_credential",
    "build_status_list_credential",
    "credential_id",
    "issue_credential",
    "plan",
    "timestamp",
]

CONTEXT = [CREDENTIALS_V2, OB_V3P0]


def timestamp(moment: datetime | date, *, end_of_day: bool = False) -> str:
    """XML Schema dateTime in UTC, as credentials carry it (``2026-12-07T00:00:00Z``)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a signing moment must be timezone-aware")
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.isoformat()}T{'23:59:59' if end_of_day else '00:00:00'}Z"


def plan(facts: CertificateFacts) -> tuple[CredentialSpec, ...]:
    """The credentials a certificate gets: the qualification (full certificates) and each unit."""
    units = tuple(CredentialSpec(CredentialKind.UNIT, unit.code) for unit in facts.units)
    if facts.kind is CredentialKind.QUALIFICATION:
        return (CredentialSpec(CredentialKind.QUALIFICATION), *units)
    return units


def credential_id(facts: CertificateFacts, spec: CredentialSpec) -> str:
    """The credential's id: the certificate's public verify page, with a fragment per credential."""
    page = f"{facts.base_url.rstrip('/')}/verify/{quote(facts.number, safe='')}"
    if spec.kind is CredentialKind.QUALIFICATION:
        return f"{page}#qualification"
    return f"{page}#unit-{quote(spec.unit_code, safe='')}"


def _alignment(ref: CaseRef, framework: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetType": "CFItem",
        "targetName": ref.statement,
        "targetCode": ref.code,
        "targetUrl": ref.uri,
        "targetFramework": framework,
    }


def _issuer(issuer: Issuer) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": issuer.id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
    }
    if issuer.email:
        profile["email"] = issuer.email
    return profile


def _achievement_base(facts: CertificateFacts) -> str:
    return f"{facts.base_url.rstrip('/')}/achievements/{quote(facts.qualification_code, safe='')}"


def _unit_line(unit: UnitFacts) -> str:
    return f"{unit.code} {unit.title} (level {unit.level}, {unit.credit} credits)"


def _qualification_achievement(facts: CertificateFacts) -> dict[str, Any]:
    framework = f"{facts.qualification_title} ({facts.qualification_code})"
    alignments = []
    if facts.qualification_case is not None:
        alignments.append(_alignment(facts.qualification_case, framework))
    alignments += [_alignment(u.case, framework) for u in facts.units if u.case is not None]
    achievement: dict[str, Any] = {
        "id": _achievement_base(facts),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": facts.qualification_title,
        "description": (
            f"The full qualification {facts.qualification_title}, accreditation number "
            f"{facts.accreditation_number}."
        ),
        "criteria": {
            "narrative": (
                "Awarded when the rules of combination of the qualification are met by units "
                "each signed off by an assessor and internally verified at an approved centre. "
                "Units achieved: " + "; ".join(_unit_line(u) for u in facts.units) + "."
            )
        },
        "humanCode": facts.qualification_code,
        "creditsAvailable": sum(u.credit for u in facts.units),
        "otherIdentifier": [
            {
                "type": ["IdentifierEntry"],
                "identifier": facts.accreditation_number,
                "identifierType": "identifier",
            }
        ],
    }
    if alignments:
        achievement["alignment"] = alignments
    return achievement


def _unit_achievement(facts: CertificateFacts, unit: UnitFacts) -> dict[str, Any]:
    framework = f"{facts.qualification_title} ({facts.qualification_code})"
    alignments = ([_alignment(unit.case, framework)] if unit.case is not None else []) + [
        _alignment(ref, framework) for ref in unit.criteria
    ]
    criteria = "; ".join(f"{ref.code} {ref.statement}" for ref in unit.criteria)
    achievement: dict[str, Any] = {
        "id": f"{_achievement_base(facts)}/units/{quote(unit.code, safe='')}",
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{unit.code} {unit.title}",
        "description": (
            f"Unit {unit.code} of {facts.qualification_title} ({facts.qualification_code}), "
            f"level {unit.level}, {unit.credit} credits."
        ),
        "criteria": {
            "narrative": (
                "Awarded when every assessment criterion of the unit is met, signed off by an "
                "assessor and internally verified at an approved centre"
                + (f". The criteria: {criteria}." if criteria else ".")
            )
        },
        "humanCode": unit.code,
        "creditsAvailable": unit.credit,
    }
    if alignments:
        achievement["alignment"] = alignments
    return achievement


def build_credential(
    facts: CertificateFacts, issuer: Issuer, spec: CredentialSpec, status: StatusRef
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for one credential of a certificate."""
    if spec.kind is CredentialKind.QUALIFICATION:
        if facts.kind is not CredentialKind.QUALIFICATION:
            raise ValueError("a unit certificate has no qualification credential")
        achievement = _qualification_achievement(facts)
        credits = sum(u.credit for u in facts.units)
        name = facts.qualification_title
    else:
        unit = next((u for u in facts.units if u.code == spec.unit_code), None)
        if unit is None:
            raise ValueError(f"unit {spec.unit_code!r} is not on certificate {facts.number}")
        achievement = _unit_achievement(facts, unit)
        credits = unit.credit
        name = f"{unit.code} {unit.title}"
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": ["IdentityObject"],
                "identityType": "name",
                "hashed": False,
                "identityHash": facts.candidate_name,
            },
            {
                "type": ["IdentityObject"],
                "identityType": "identifier",
                "hashed": False,
                "identityHash": facts.candidate_id,
            },
        ],
        "achievement": achievement,
        "creditsEarned": credits,
    }
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id(facts, spec),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": (
            f"Certificate {facts.number}, awarded to {facts.candidate_name} through "
            f"{facts.centre_name} (centre {facts.centre_number})."
            + (f" It replaces certificate {facts.replaces}." if facts.replaces else "")
        ),
        "issuer": _issuer(issuer),
        "validFrom": timestamp(facts.issued_on),
        "awardedDate": timestamp(facts.issued_on),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status.list_url}#{status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status.index),
            "statusListCredential": status.list_url,
        },
    }
    if facts.valid_until is not None:
        credential["validUntil"] = timestamp(facts.valid_until, end_of_day=True)
    return credential


def issue_credential(
    facts: CertificateFacts,
    issuer: Issuer,
    spec: CredentialSpec,
    status: StatusRef,
    key: SigningKey,
    *,
    created: datetime,
) -> dict[str, Any]:
    """The signed credential. The key must be the issuer's."""
    if key.public_multibase != issuer.public_key:
        raise ValueError("the signing key is not the issuer's published key")
    return sign(
        build_credential(facts, issuer, spec, status),
        key,
        verification_method=issuer.verification_method,
        created=timestamp(created),
    )


def build_status_list_credential(
    *,
    list_url: str,
    issuer: Issuer,
    revoked: frozenset[int] | set[int],
    key: SigningKey,
    created: datetime,
    length: int = MIN_BITS,
) -> Mapping[str, Any]:
    """A signed ``BitstringStatusListCredential`` with ``revoked`` indexes set."""
    document = {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": timestamp(created),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked, length=length),
        },
    }
    return sign(
        document, key, verification_method=issuer.verification_method, created=timestamp(created)
    )
