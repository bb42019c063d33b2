"""Open Badges 3.0 credentials (issue 14), pure Python: build an ``OpenBadgeCredential``
(W3C Verifiable Credentials 2.0) from certificate facts, sign it with a Data Integrity proof
``eddsa-rdfc-2022`` (RDFC-1.0 through pyld, Ed25519 through cryptography, contexts served only
from the bundled files), revoke through a W3C Bitstring Status List, and verify saying what was
checked (docs/credentials.md)."""

from assay.engines.credentials.build import (
    CONTEXT,
    build_credential,
    build_status_list_credential,
    credential_id,
    issue_credential,
    plan,
    timestamp,
)
from assay.engines.credentials.jsonld import (
    CONTEXTS,
    CREDENTIALS_V2,
    OB_V3P0,
    CanonicalisationError,
    TooComplex,
    UndefinedTerm,
    UnknownContext,
    canonicalize,
)
from assay.engines.credentials.keys import SigningKey, generate_key
from assay.engines.credentials.model import (
    CaseRef,
    CertificateFacts,
    CredentialKind,
    CredentialSpec,
    Issuer,
    StatusRef,
    UnitFacts,
)
from assay.engines.credentials.proof import ProofCheck, hashes, sign, verify_proof
from assay.engines.credentials.verify import (
    Check,
    Outcome,
    StatusAnswer,
    StatusLookup,
    Verification,
    status_from_list_credential,
    verify,
)

__all__ = [
    "CONTEXT",
    "CONTEXTS",
    "CREDENTIALS_V2",
    "OB_V3P0",
    "CanonicalisationError",
    "CaseRef",
    "CertificateFacts",
    "Check",
    "CredentialKind",
    "CredentialSpec",
    "Issuer",
    "Outcome",
    "ProofCheck",
    "SigningKey",
    "StatusAnswer",
    "StatusLookup",
    "StatusRef",
    "TooComplex",
    "UndefinedTerm",
    "UnitFacts",
    "UnknownContext",
    "Verification",
    "build_credential",
    "build_status_list_credential",
    "canonicalize",
    "credential_id",
    "generate_key",
    "hashes",
    "issue_credential",
    "plan",
    "sign",
    "status_from_list_credential",
    "timestamp",
    "verify",
    "verify_proof",
]
