"""The Open Badges 3.0 implementation guide's Linked Data Proof test vector, reproduced before
anything of ours is signed (data/SOURCE.txt says where each file comes from)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assay.engines.credentials import SigningKey, canonicalize, hashes, sign, verify_proof
from assay.engines.credentials.multibase import decode_base58btc, encode_base58btc

DATA = Path(__file__).parent / "data"
VECTOR = json.loads((DATA / "test-vector.json").read_text())
CREDENTIAL = json.loads((DATA / "test-vector-credential.json").read_text())
#: Printed on the guide's current page (linked-data-proof-ob.html) for the VC 2.0 credential.
DOCUMENT_HASH = "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
PROOF_HASH = "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
PROOF_VALUE = (
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
)
KEY = SigningKey.from_hex(VECTOR["privateKeyHex"])


def _proof_options() -> dict[str, str]:
    return dict(VECTOR["proofOptions"])


def test_key_pair_and_multikey() -> None:
    assert KEY.public_bytes.hex() == VECTOR["publicKeyHex"]
    assert KEY.public_multibase == VECTOR["publicKeyMultibase"]
    assert VECTOR["verificationMethod"].endswith("#" + KEY.public_multibase)


def test_document_canonicalises_to_the_published_n_quads() -> None:
    expected = (DATA / "test-vector-document-canon.txt").read_text()
    assert canonicalize(CREDENTIAL) == expected


def test_proof_options_canonicalise_to_the_published_n_quads() -> None:
    config = {"@context": CREDENTIAL["@context"], **_proof_options()}
    assert canonicalize(config) == (DATA / "test-vector-proof-canon.txt").read_text()


def test_hashes_and_proof_value_are_the_published_ones() -> None:
    found = hashes(CREDENTIAL, _proof_options())
    assert found.document_hash.hex() == DOCUMENT_HASH
    assert found.proof_hash.hex() == PROOF_HASH
    signed = sign(
        CREDENTIAL,
        KEY,
        verification_method=VECTOR["verificationMethod"],
        created=VECTOR["proofOptions"]["created"],
    )
    assert signed["proof"]["proofValue"] == PROOF_VALUE
    assert (
        decode_base58btc(PROOF_VALUE).hex() == VECTOR["newerCanonicalFiles"]["signatureHexComputed"]
    )
    assert signed["proof"] == {**_proof_options(), "proofValue": PROOF_VALUE}
    assert verify_proof(signed, KEY.public_multibase).passed


def test_v1_canonical_files_give_the_published_hashes_signature_and_proof_value() -> None:
    published = VECTOR["published"]
    document = (DATA / published["canonicalFiles"]["document"]).read_bytes()
    proof = (DATA / published["canonicalFiles"]["proof"]).read_bytes()
    document_hash = hashlib.sha256(document).digest()
    proof_hash = hashlib.sha256(proof).digest()
    assert document_hash.hex() == published["documentHashHex"]
    assert proof_hash.hex() == published["proofHashHex"]
    signature = KEY.sign(proof_hash + document_hash)
    assert signature.hex() == published["signatureHex"]
    assert encode_base58btc(signature) == published["proofValue"]


def test_the_published_signed_credential_verifies_and_fails_when_altered() -> None:
    signed = {**CREDENTIAL, "proof": {**_proof_options(), "proofValue": PROOF_VALUE}}
    assert verify_proof(signed, VECTOR["publicKeyMultibase"]).passed
    altered = json.loads(json.dumps(signed).replace("Teamwork Badge", "Teamwork Badgf"))
    check = verify_proof(altered, VECTOR["publicKeyMultibase"])
    assert not check.passed
    assert "altered" in check.detail
