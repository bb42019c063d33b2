"""Issuing and revoking a certificate's credentials (one transaction each, chained)."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import transaction

from assay import clock
from assay.credentials.keys import issuer, key_record, signing_key, site_url
from assay.credentials.models import IssuedCredential, StatusList
from assay.credentials.records import credential_chain, row_of
from assay.engines.credentials import CertificateFacts, StatusRef, issue_credential, plan
from assay.engines.plausible import reason_problem
from assay.errors import InvalidInput, NotFound
from assay.records.services import record_append
from assay.users import User

__all__ = [
    "CertificateInput",
    "credentials_issue_for",
    "credentials_revoke_for",
    "status_list_url",
]

#: A list takes new credentials until this share of its bits is used (random indexes stay cheap
#: to draw and say nothing about the order of issue).
FILL = 0.5


@dataclass(frozen=True)
class CertificateInput:
    """A certificate as this app needs it: its row id (names the chain), its facts, and the
    candidate's account (the only one who may download the credentials)."""

    id: int
    facts: CertificateFacts
    holder_id: int | None = None


def status_list_url(status_list_id: int) -> str:
    return f"{site_url()}/credentials/status/{status_list_id}"


def dumps(document: object) -> str:
    """The credential's JSON as handed out (UTF-8, stable key order as built)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _open_list(needed: int) -> tuple[StatusList, set[int]]:
    current = StatusList.objects.select_for_update().order_by("-pk").first()
    if current is not None:
        taken = set(
            IssuedCredential.objects.filter(status_list=current).values_list(
                "status_index", flat=True
            )
        )
        if len(taken) + needed <= current.length * FILL:
            return current, taken
    return StatusList.objects.create(), set()


def _draw(taken: set[int], length: int) -> int:
    while True:
        index = secrets.randbelow(length)
        if index not in taken:
            taken.add(index)
            return index


def credentials_issue_for(
    *, certificate: CertificateInput, by: User | None = None
) -> list[IssuedCredential]:
    """Sign the certificate's credentials (the qualification's, for a full certificate, and one
    per unit). Issuing again returns the ones already issued."""
    with transaction.atomic():
        existing = list(
            IssuedCredential.objects.select_for_update().filter(certificate_id=certificate.id)
        )
        if existing:
            return existing
        key = signing_key()
        profile = issuer()
        key_record(key)
        specs = plan(certificate.facts)
        status_list, taken = _open_list(len(specs))
        now = clock.now()
        rows = []
        for spec in specs:
            index = _draw(taken, status_list.length)
            document = issue_credential(
                certificate.facts,
                profile,
                spec,
                StatusRef(status_list_url(status_list.pk), index),
                key,
                created=now,
            )
            text = dumps(document)
            rows.append(
                IssuedCredential.objects.create(
                    certificate_id=certificate.id,
                    certificate_number=certificate.facts.number,
                    kind=str(spec.kind),
                    unit_code=spec.unit_code,
                    holder_id=certificate.holder_id,
                    status_list=status_list,
                    status_index=index,
                    document=text,
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    issued_at=now,
                )
            )
        record_append(
            credential_chain(certificate.id),
            kind="credential_issued",
            payload={
                "certificate_number": certificate.facts.number,
                "credentials": [{"credential": r.pk, "row": row_of(r)} for r in rows],
            },
            by=by,
        )
        return rows


def credentials_revoke_for(
    *, certificate: CertificateInput | int, reason: str, by: User | None = None
) -> list[IssuedCredential]:
    """Revoke every credential of the certificate still in force, with the reason (shown on
    the public verify page). The status list then reports each as revoked."""
    problem = reason_problem(reason, "the reason for revoking")
    if problem:
        raise InvalidInput({"reason": problem})
    certificate_id = certificate if isinstance(certificate, int) else certificate.id
    with transaction.atomic():
        rows = list(
            IssuedCredential.objects.select_for_update()
            .filter(certificate_id=certificate_id)
            .order_by("pk")
        )
        if not rows:
            raise NotFound("no credentials were issued for this certificate")
        live = [r for r in rows if r.revoked_at is None]
        if not live:
            raise InvalidInput({"certificate": "its credentials are already revoked"})
        now = clock.now()
        for row in live:
            row.revoked_at = now
            row.revoked_reason = reason.strip()
            row.revoked_by = by
            row.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        record_append(
            credential_chain(certificate_id),
            kind="credential_revoked",
            payload={
                "certificate_number": rows[0].certificate_number,
                "reason": reason.strip(),
                "credentials": [{"credential": r.pk, "row": row_of(r)} for r in live],
            },
            by=by,
        )
        return live
