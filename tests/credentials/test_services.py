"""Issuing and revoking a certificate's credentials: signed with the app's key, chained, served
through the status list; ``assay records verify`` names a row edited behind the app's back."""

from __future__ import annotations

import json
import os
import stat

import pytest
from django.conf import settings

from assay.credentials import keys
from assay.credentials.models import IssuedCredential, IssuerKey
from assay.credentials.records import credential_chain
from assay.credentials.selectors import (
    certificate_verify,
    credential_verify,
    status_list_document,
)
from assay.credentials.services import (
    CertificateInput,
    credentials_issue_for,
    credentials_revoke_for,
)
from assay.engines.credentials import Outcome, SigningKey, status_from_list_credential, verify
from assay.errors import InvalidInput, NotFound
from assay.records.models import ChainRecord
from assay.records.services import records_verify

from .factory import facts

pytestmark = pytest.mark.django_db

CERT = CertificateInput(id=17, facts=facts())


def _problems() -> list[str]:
    return [p.message for p in records_verify(credential_chain(CERT.id)).problems]


def test_issue_signs_one_credential_per_part_and_chains_them() -> None:
    rows = credentials_issue_for(certificate=CERT)
    assert [(r.kind, r.unit_code) for r in rows] == [
        ("qualification", ""),
        ("unit", "4430-401"),
        ("unit", "4430-402"),
    ]
    assert len({r.status_index for r in rows}) == 3
    record = ChainRecord.objects.get(chain=credential_chain(17))
    assert record.kind == "credential_issued"
    assert [c["credential"] for c in record.payload["credentials"]] == [r.pk for r in rows]
    assert _problems() == []
    for row in rows:
        result = credential_verify(json.loads(row.document))
        assert result.ok, result.checks
        assert [c.passed for c in result.checks] == [True] * 5
    assert IssuerKey.objects.count() == 1
    # issuing again gives the same credentials, no new record
    assert credentials_issue_for(certificate=CERT) == rows
    assert ChainRecord.objects.filter(chain=credential_chain(17)).count() == 1


def test_generated_key_is_kept_in_a_private_file_not_the_database() -> None:
    credentials_issue_for(certificate=CERT)
    path = keys.key_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = SigningKey.from_multibase(path.read_text().strip())
    assert IssuerKey.objects.get().public_key == key.public_multibase
    assert key.secret_multibase not in IssuedCredential.objects.get(kind="qualification").document


def test_key_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    key = SigningKey(bytes(range(32)))
    monkeypatch.setenv("ASSAY_CREDENTIAL_KEY", key.secret_multibase)
    assert keys.signing_key() == key
    assert keys.key_source() == "ASSAY_CREDENTIAL_KEY"
    assert not keys.key_file().exists()
    monkeypatch.setenv("ASSAY_CREDENTIAL_KEY", "z123")
    with pytest.raises(keys.CredentialKeyError) as error:
        keys.signing_key()
    assert "z123" not in str(error.value)


def test_credentials_signed_by_an_earlier_key_still_verify(tmp_path) -> None:
    rows = credentials_issue_for(certificate=CERT)
    settings.ASSAY_CREDENTIAL_KEY_FILE = tmp_path / "new-key"
    assert credential_verify(json.loads(rows[0].document)).ok


def test_revoke_reports_revoked_with_the_reason_everywhere() -> None:
    rows = credentials_issue_for(certificate=CERT)
    revoked = credentials_revoke_for(certificate=CERT, reason="Issued in error: wrong candidate")
    assert len(revoked) == 3
    result = credential_verify(json.loads(rows[1].document))
    assert result.outcome is Outcome.REVOKED
    assert "Issued in error: wrong candidate" in result.summary
    check = certificate_verify("as0000017k ")
    assert check.found and check.outcome is Outcome.REVOKED
    # the public status list says so too, verified offline from its own signature
    status_list = status_list_document(rows[0].status_list_id)
    lookup = status_from_list_credential(status_list, trusted_keys=keys.trusted_keys())
    offline = verify(
        json.loads(rows[0].document),
        trusted_keys=keys.trusted_keys(),
        status_lookup=lookup,
        today=facts().issued_on,
    )
    assert offline.outcome is Outcome.REVOKED
    kinds = ChainRecord.objects.filter(chain=credential_chain(17)).order_by("seq")
    assert [r.kind for r in kinds] == ["credential_issued", "credential_revoked"]
    assert _problems() == []


def test_revoke_refuses_without_a_reason_twice_or_unknown() -> None:
    credentials_issue_for(certificate=CERT)
    for reason in ("", "   ", "\u200b", "bad\x00reason"):
        with pytest.raises(InvalidInput):
            credentials_revoke_for(certificate=CERT, reason=reason)
    credentials_revoke_for(certificate=CERT, reason="Malpractice found by the EV")
    with pytest.raises(InvalidInput, match="already revoked"):
        credentials_revoke_for(certificate=CERT, reason="again")
    with pytest.raises(NotFound):
        credentials_revoke_for(certificate=999, reason="nothing here")


def test_unknown_certificate_number() -> None:
    check = certificate_verify("NOPE")
    assert not check.found and check.outcome is Outcome.UNKNOWN


def test_records_verify_names_an_undone_revocation_and_an_edited_document() -> None:
    rows = credentials_issue_for(certificate=CERT)
    credentials_revoke_for(certificate=CERT, reason="Malpractice")
    IssuedCredential.objects.filter(pk=rows[0].pk).update(revoked_at=None, revoked_reason="")
    IssuedCredential.objects.filter(pk=rows[1].pk).update(
        document=rows[1].document.replace("4430-401", "4430-409")
    )
    found = _problems()
    assert f"credential {rows[0].pk}: its revoked_at is not the one recorded" in found
    assert f"credential {rows[1].pk}: its JSON is not the one issued" in found


def test_remembered_signature_checks_never_hide_a_change_or_a_revocation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The public check remembers signature answers by the document's exact JSON: the same
    credential is canonicalised once; a one-byte change is checked afresh and fails; a
    revocation after the first check shows at once (status is never remembered)."""
    from assay.credentials import selectors
    from assay.engines.credentials import proof

    row = credentials_issue_for(certificate=CERT)[0]
    calls: list[str] = []
    real = proof.verify_proof

    def counting(document: object, key: str) -> proof.ProofCheck:
        calls.append(key)
        return real(document, key)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "verify_proof", counting)
    selectors._PROOFS.clear()
    assert certificate_verify(CERT.facts.number).outcome is Outcome.VALID
    first = len(calls)
    assert first == 3
    assert certificate_verify(CERT.facts.number).outcome is Outcome.VALID
    assert len(calls) == first  # nothing canonicalised again
    changed = json.loads(row.document)
    changed["name"] += "."
    assert credential_verify(changed).outcome is Outcome.ALTERED
    assert len(calls) == first + 1
    before = status_list_document(row.status_list_id)
    assert status_list_document(row.status_list_id) is before  # signed once
    credentials_revoke_for(certificate=CERT, reason="Issued in error.")
    assert certificate_verify(CERT.facts.number).outcome is Outcome.REVOKED
    after = status_list_document(row.status_list_id)
    lookup = status_from_list_credential(after, trusted_keys=keys.trusted_keys())
    answer = lookup(
        json.loads(row.document)["credentialStatus"]["statusListCredential"], row.status_index
    )
    assert answer is not None and answer.revoked
