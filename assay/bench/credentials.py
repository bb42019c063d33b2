"""``assay bench credentials``: sign N Open Badges 3.0 credentials and verify them, with a
throwaway key and no database (canonicalisation, hashing and Ed25519 are the cost)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from assay.engines.credentials import (
    CertificateFacts,
    CredentialKind,
    CredentialSpec,
    Issuer,
    StatusRef,
    UnitFacts,
    generate_key,
    issue_credential,
    verify,
)


@dataclass(frozen=True)
class CredentialsBench:
    n: int
    sign_seconds: float
    verify_seconds: float
    valid: int

    @property
    def signed_per_second(self) -> float:
        return self.n / self.sign_seconds if self.sign_seconds else 0.0

    @property
    def verified_per_second(self) -> float:
        return self.n / self.verify_seconds if self.verify_seconds else 0.0


def credentials_bench(n: int) -> CredentialsBench:
    key = generate_key()
    issuer = Issuer(
        id="https://assay.invalid/credentials/issuer",
        name="Bench issuer",
        url="https://assay.invalid/",
        public_key=key.public_multibase,
    )
    base = CertificateFacts(
        number="BENCH",
        kind=CredentialKind.QUALIFICATION,
        candidate_name="Bench Candidate",
        candidate_id="bench",
        qualification_code="4430-04",
        qualification_title="Level 4 NVQ Diploma in Customer Service",
        accreditation_number="500/8817/8",
        centre_name="Bench centre",
        centre_number="0000",
        issued_on=date(2013, 3, 1),
        units=(UnitFacts("4430-401", "Demonstrate understanding", "4", 10),),
        base_url="https://assay.invalid",
    )
    spec = CredentialSpec(CredentialKind.QUALIFICATION)
    created = datetime(2013, 3, 1, 9, tzinfo=UTC)
    start = time.perf_counter()
    signed = [
        issue_credential(
            replace(base, number=f"B{i:07d}", candidate_id=f"bench-{i}"),
            issuer,
            spec,
            StatusRef("https://assay.invalid/credentials/status/1", i),
            key,
            created=created,
        )
        for i in range(n)
    ]
    sign_seconds = time.perf_counter() - start
    trusted = {issuer.id: {key.public_multibase}}
    start = time.perf_counter()
    valid = sum(
        verify(c, trusted_keys=trusted, status_lookup=None, today=date(2013, 3, 2)).ok
        for c in signed
    )
    verify_seconds = time.perf_counter() - start
    return CredentialsBench(n, sign_seconds, verify_seconds, valid)
