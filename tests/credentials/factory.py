"""Certificate facts worked by hand from seed 001 (City & Guilds 4430-04 handbook): the Level 4
NVQ Diploma in Customer Service, accreditation number 500/8817/8; unit 401 "Demonstrate
understanding of customer service management" and unit 402, each level 4 with 10 credits.
CASE references use the catalogue export's names (assay:cg-4430-04:2.0.1:unit:401 ...)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from assay.catalogue.case import case_identifier, case_uri
from assay.engines.credentials import (
    CaseRef,
    CertificateFacts,
    CredentialKind,
    Issuer,
    SigningKey,
    UnitFacts,
)

PREFIX = "assay:cg-4430-04:2.0.1"
KEY = SigningKey(bytes(range(32)))
OTHER_KEY = SigningKey(bytes(range(1, 33)))
ISSUER = Issuer(
    id="https://assay.test/credentials/issuer",
    name="Assay awarding body",
    url="https://assay.test/",
    public_key=KEY.public_multibase,
)
TRUSTED = {ISSUER.id: {KEY.public_multibase}}
SIGNED_AT = datetime(2013, 3, 1, 10, 30, tzinfo=UTC)


def ref(name: str, code: str, statement: str) -> CaseRef:
    identifier = case_identifier(f"{PREFIX}:{name}")
    return CaseRef(identifier=identifier, uri=case_uri(identifier), code=code, statement=statement)


UNIT_401 = UnitFacts(
    code="4430-401",
    title="Demonstrate understanding of customer service management",
    level="4",
    credit=10,
    case=ref("unit:401", "4430-401", "Demonstrate understanding of customer service management"),
    criteria=(
        ref(
            "unit:401:outcome:1:criterion:1.1",
            "401 1.1",
            "exercise customer service management responsibility with consideration for their "
            "organisation's service offer, customer expectations and resources",
        ),
    ),
)
UNIT_402 = UnitFacts(
    code="4430-402",
    title="Follow organisational rules, legislation and external regulations when managing "
    "customer service",
    level="4",
    credit=10,
    case=ref("unit:402", "4430-402", "Follow organisational rules"),
)


def facts(**changes: object) -> CertificateFacts:
    values: dict[str, object] = {
        "number": "AS0000017K",
        "kind": CredentialKind.QUALIFICATION,
        "candidate_name": "Zoë Ærøskøbing-Ñúñez",
        "candidate_id": "registration-17",
        "qualification_code": "4430-04",
        "qualification_title": "Level 4 NVQ Diploma in Customer Service",
        "accreditation_number": "500/8817/8",
        "centre_name": "Northgate College",
        "centre_number": "C1001",
        "issued_on": date(2013, 3, 1),
        "units": (UNIT_401, UNIT_402),
        "base_url": "https://assay.test",
        "qualification_case": ref("qualification", "4430-04", "Level 4 NVQ Diploma"),
    }
    values.update(changes)
    return CertificateFacts(**values)  # type: ignore[arg-type]
