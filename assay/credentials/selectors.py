"""Reading credentials: public verification (anyone, no sign-in), the status list, and a
candidate's own credentials."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import JSONField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from assay import clock
from assay.credentials.keys import issuer, signing_key, trusted_keys
from assay.credentials.models import IssuedCredential, StatusList
from assay.credentials.services import status_list_url
from assay.engines.credentials import (
    Outcome,
    ProofCheck,
    StatusAnswer,
    Verification,
    build_status_list_credential,
    verify,
    verify_proof,
)
from assay.errors import InvalidInput, NotFound
from assay.users import AnyUser

__all__ = [
    "CertificateCheck",
    "certificate_verify",
    "credential_of_holder",
    "credential_verify",
    "credentials_of_holder",
    "parse_credential",
    "status_list_document",
]

#: A pasted or uploaded credential larger than this is refused before parsing.
MAX_CREDENTIAL_BYTES = 256 * 1024


def _status_lookup(url: str, index: int) -> StatusAnswer | None:
    prefix = status_list_url(0)[:-1]
    tail = url[len(prefix) :] if url.startswith(prefix) else ""
    if not tail.isdigit():
        return None
    if not StatusList.objects.filter(pk=int(tail)).exists():
        return None
    row = (
        IssuedCredential.objects.filter(status_list_id=int(tail), status_index=index)
        .only("revoked_at", "revoked_reason")
        .first()
    )
    if row is not None and row.revoked_at is not None:
        return StatusAnswer(
            revoked=True,
            reason=f"{row.revoked_reason} (revoked on "
            f"{timezone.localtime(row.revoked_at):%d/%m/%Y})",
            source=f"status list {tail}",
        )
    return StatusAnswer(revoked=False, source=f"status list {tail}")


def parse_credential(text: str | bytes) -> Any:
    """JSON text -> a credential object; InvalidInput when it is not a JSON object."""
    if len(text) > MAX_CREDENTIAL_BYTES:
        raise InvalidInput({"credential": "too large to be a credential"})
    try:
        value = json.loads(text)
    except RecursionError:
        raise InvalidInput({"credential": "nested too deeply to be a credential"}) from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput({"credential": "not JSON: paste the credential file's text"}) from None
    if not isinstance(value, dict):
        raise InvalidInput({"credential": "a credential is a JSON object ({…})"})
    return value


#: Signature checks remembered per process (the answer depends only on the document and key).
_PROOFS: OrderedDict[tuple[str, str], ProofCheck] = OrderedDict()
_PROOFS_MAX = 4096
_PROOFS_LOCK = threading.Lock()
#: The newest signed status list, by everything it is made from (re-signed when one changes).
_LISTS: dict[int, tuple[tuple[object, ...], Mapping[str, Any]]] = {}


def _proof_check(document: Mapping[str, Any], key: str) -> ProofCheck:
    """``verify_proof`` memoised by the document's exact JSON and the key: canonicalising a
    credential takes a third of a second, and the public page re-checks the same ones.
    Revocation and dates are never remembered; they are checked on every view."""
    try:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return verify_proof(document, key)
    memo = (hashlib.sha256(text.encode()).hexdigest(), key)
    with _PROOFS_LOCK:
        if memo in _PROOFS:
            _PROOFS.move_to_end(memo)
            return _PROOFS[memo]
    answer = verify_proof(document, key)
    with _PROOFS_LOCK:
        _PROOFS[memo] = answer
        while len(_PROOFS) > _PROOFS_MAX:
            _PROOFS.popitem(last=False)
    return answer


def credential_verify(credential: object) -> Verification:
    """Verify any credential against Assay's keys and status lists (public)."""
    return verify(
        credential,
        trusted_keys=trusted_keys(),
        status_lookup=_status_lookup,
        today=clock.today(),
        proof_check=_proof_check,
    )


@dataclass(frozen=True)
class CertificateCheck:
    """A certificate number's credentials, each verified as issued."""

    number: str
    found: bool
    outcome: Outcome
    credentials: tuple[tuple[IssuedCredential, Verification], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "found": self.found,
            "outcome": str(self.outcome),
            "credentials": [
                {
                    "kind": c.kind,
                    "unit_code": c.unit_code,
                    "name": json.loads(c.document).get("name"),
                    **v.as_dict(),
                }
                for c, v in self.credentials
            ],
        }


def certificate_verify(number: str) -> CertificateCheck:
    """Verify the credentials issued for a certificate number (public). An unknown number is
    answered as unknown, not as an error."""
    cleaned = number.strip().upper()
    rows = list(IssuedCredential.objects.filter(certificate_number=cleaned).order_by("pk"))
    if not rows:
        return CertificateCheck(cleaned, False, Outcome.UNKNOWN, ())
    keys = trusted_keys()
    today = clock.today()
    results = tuple(
        (
            row,
            verify(
                json.loads(row.document),
                trusted_keys=keys,
                status_lookup=_status_lookup,
                today=today,
                proof_check=_proof_check,
            ),
        )
        for row in rows
    )
    outcome = next((v.outcome for _, v in results if not v.ok), Outcome.VALID)
    return CertificateCheck(cleaned, True, outcome, results)


def status_list_document(status_list_id: int) -> Mapping[str, Any]:
    """The signed ``BitstringStatusListCredential`` of one list (public)."""
    status_list = StatusList.objects.filter(pk=status_list_id).first()
    if status_list is None:
        raise NotFound("no such status list")
    revoked = IssuedCredential.objects.filter(
        status_list=status_list, revoked_at__isnull=False
    ).order_by("-revoked_at")
    indexes = set(revoked.values_list("status_index", flat=True))
    latest = revoked.first()
    created = (
        latest.revoked_at if latest is not None and latest.revoked_at else status_list.created_at
    )
    key, by = signing_key(), issuer()
    memo = (tuple(sorted(indexes)), created, status_list.length, by, key.public_multibase)
    with _PROOFS_LOCK:
        known = _LISTS.get(status_list.pk)
        if known is not None and known[0] == memo:
            return known[1]
    document = build_status_list_credential(
        list_url=status_list_url(status_list.pk),
        issuer=by,
        revoked=indexes,
        key=key,
        created=created,
        length=status_list.length,
    )
    with _PROOFS_LOCK:
        _LISTS[status_list.pk] = (memo, document)  # only each list's newest is kept
    return document


def credentials_of_holder(user: AnyUser) -> list[IssuedCredential]:
    """The signed-in candidate's own credentials (nobody else's, whatever their role)."""
    if not user.is_authenticated:
        return []
    # The list shows each credential's name only: read it in the database, never the documents.
    name = KeyTextTransform("name", Cast("document", JSONField()))
    rows = IssuedCredential.objects.filter(holder_id=user.pk).defer("document")
    return list(rows.annotate(name=name).order_by("certificate_id", "pk"))


def credential_of_holder(user: AnyUser, credential_id: int) -> IssuedCredential:
    """One of the candidate's own credentials; NotFound for one that is missing or not theirs."""
    row = (
        IssuedCredential.objects.filter(pk=credential_id, holder_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if row is None:
        raise NotFound("no such credential")
    return row
