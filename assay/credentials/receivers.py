"""Credentials follow the claims app's certificates: issued when a certificate is issued,
revoked when it is revoked (connected in ``CredentialsConfig.ready``).

The claims app sends its signals after its transaction commits, so the certificate stands
whatever happens here. A failure to sign is logged, not raised into the awarding body's
request: ``assay credentials issue NUMBER`` issues them later (issuing is idempotent).
"""

from __future__ import annotations

import logging
from typing import Any

from assay.credentials.facts import certificate_input
from assay.credentials.services import credentials_issue_for, credentials_revoke_for
from assay.errors import InvalidInput, NotFound

log = logging.getLogger(__name__)


def on_certificate_issued(sender: Any, certificate: Any, **kwargs: Any) -> None:
    try:
        credentials_issue_for(certificate=certificate_input(certificate))
    except Exception:
        log.exception("credentials for certificate %s were not issued", certificate.number)


def on_certificate_revoked(sender: Any, certificate: Any, reason: str, **kwargs: Any) -> None:
    try:
        credentials_revoke_for(certificate=certificate.pk, reason=reason)
    except (NotFound, InvalidInput):
        return  # none were issued, or they are already revoked
    except Exception:
        log.exception("credentials of certificate %s were not revoked", certificate.number)


def connect() -> None:
    from assay.claims.signals import certificate_issued, certificate_revoked

    certificate_issued.connect(on_certificate_issued, dispatch_uid="credentials-issue")
    certificate_revoked.connect(on_certificate_revoked, dispatch_uid="credentials-revoke")


def credentials_issue_for_number(*, number: str) -> list[Any]:
    """Issue (or return) the credentials of the certificate with this number: the way back
    when signing failed at approval. A revoked certificate gets none."""
    from assay.claims.models import Certificate

    certificate = Certificate.objects.filter(number=number.strip().upper()).first()
    if certificate is None:
        raise NotFound(f"no certificate {number}")
    if certificate.revoked_on is not None:
        raise InvalidInput({"certificate": f"certificate {certificate.number} is revoked"})
    return credentials_issue_for(certificate=certificate_input(certificate))
