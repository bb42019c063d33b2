"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity
EdDSA Cryptosuites v1.0, section 3.3).

Signing: canonicalise the proof options (with the document's ``@context``) and the document
without its proof (RDFC-1.0), hash each with SHA-256, sign ``proof hash ‖ document hash`` with
Ed25519, and put the signature in ``proofValue`` as base58btc multibase.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .jsonld import canonicalize
from .keys import SigningKey, verify_signature
from .multibase import MultibaseError, decode_base58btc, encode_base58btc

__all__ = [
    "CRYPTOSUITE",
    "Hashes",
    "ProofCheck",
    "hashes",
    "proof_options",
    "sign",
    "verify_proof",
]

CRYPTOSUITE = "eddsa-rdfc-2022"


@dataclass(frozen=True)
class Hashes:
    """What is signed: the two canonical forms, their SHA-256, and their concatenation."""

    document_canonical: str
    proof_canonical: str
    document_hash: bytes
    proof_hash: bytes

    @property
    def data(self) -> bytes:
        return self.proof_hash + self.document_hash


@dataclass(frozen=True)
class ProofCheck:
    passed: bool
    detail: str


def proof_options(*, verification_method: str, created: str) -> dict[str, str]:
    return {
        "type": "DataIntegrityProof",
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }


def hashes(document: Mapping[str, Any], options: Mapping[str, Any]) -> Hashes:
    """Canonical forms and hashes of an unsigned document and its proof options."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = unsigned.get("@context")
    document_canonical = canonicalize(unsigned)
    proof_canonical = canonicalize(config)
    return Hashes(
        document_canonical=document_canonical,
        proof_canonical=proof_canonical,
        document_hash=hashlib.sha256(document_canonical.encode("utf-8")).digest(),
        proof_hash=hashlib.sha256(proof_canonical.encode("utf-8")).digest(),
    )


def sign(
    document: Mapping[str, Any], key: SigningKey, *, verification_method: str, created: str
) -> dict[str, Any]:
    """The document with an ``eddsa-rdfc-2022`` proof added."""
    options = proof_options(verification_method=verification_method, created=created)
    signature = key.sign(hashes(document, options).data)
    signed = {k: v for k, v in document.items() if k != "proof"}
    signed["proof"] = {**options, "proofValue": encode_base58btc(signature)}
    return signed


def verify_proof(document: Mapping[str, Any], public_multibase: str) -> ProofCheck:
    """Whether the document's proof is a valid ``eddsa-rdfc-2022`` signature by that key."""
    proof = document.get("proof")
    if not isinstance(proof, Mapping):
        return ProofCheck(False, "the credential has no proof (or more than one)")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(
            False, f"the proof is not a DataIntegrityProof with cryptosuite {CRYPTOSUITE}"
        )
    if proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, "the proof's purpose is not assertionMethod")
    try:
        signature = decode_base58btc(str(proof.get("proofValue", "")))
    except MultibaseError as error:
        return ProofCheck(False, f"the proof value is not readable: {error}")
    if len(signature) != 64:
        return ProofCheck(False, "the proof value is not a 64-byte Ed25519 signature")
    try:
        data = hashes(document, proof).data
    except ValueError as error:
        return ProofCheck(False, f"the credential cannot be canonicalised: {error}")
    if not verify_signature(public_multibase, signature, data):
        return ProofCheck(
            False,
            "the signature does not match the content: the credential was altered after "
            "signing, or was not signed by this key",
        )
    return ProofCheck(True, f"Ed25519 signature ({CRYPTOSUITE}) over the canonical content")
