"""The issuer's signing key and profile (ADR 0017, docs/credentials.md).

The key is read from ``ASSAY_CREDENTIAL_KEY`` (environment or setting: the secret as Multikey
``z3u2…`` or 64 hex characters) when it is set. Otherwise Assay generates one on first use and
keeps it in the key file (``ASSAY_CREDENTIAL_KEY_FILE``, default ``<data dir>/credential-key``,
mode 0600) — never in the database, so a database dump or backup does not carry it. Its public
half is recorded in ``IssuerKey`` so credentials keep verifying after the key changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from assay.credentials.models import IssuerKey
from assay.engines.credentials import Issuer, SigningKey, generate_key
from assay.engines.credentials.multibase import MultibaseError


class CredentialKeyError(RuntimeError):
    """The configured key cannot be read; the message says why (never the key)."""


def key_file() -> Path:
    configured = getattr(settings, "ASSAY_CREDENTIAL_KEY_FILE", "") or ""
    return Path(configured) if configured else Path(settings.DATA_DIR) / "credential-key"


def key_source() -> str:
    """Where the signing key comes from, in words (``assay credentials show-key``)."""
    if _configured():
        return "ASSAY_CREDENTIAL_KEY"
    return f"key file {key_file()}"


def _configured() -> str:
    value = os.environ.get("ASSAY_CREDENTIAL_KEY") or getattr(settings, "ASSAY_CREDENTIAL_KEY", "")
    return str(value or "").strip()


def _parse(secret: str, where: str) -> SigningKey:
    try:
        if secret.startswith("z"):
            return SigningKey.from_multibase(secret)
        if len(secret) in (64, 128):
            return SigningKey.from_hex(secret)
    except (MultibaseError, ValueError) as error:
        raise CredentialKeyError(f"{where} is not an Ed25519 secret key: {error}") from None
    raise CredentialKeyError(
        f"{where} is not an Ed25519 secret key (Multikey z… or 64 hex characters)"
    )


def signing_key() -> SigningKey:
    """The key credentials are signed with; generated and stored on first use if none is set."""
    secret = _configured()
    if secret:
        return _parse(secret, "ASSAY_CREDENTIAL_KEY")
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(generate_key().secret_multibase + "\n")
    return _parse(path.read_text(encoding="ascii").strip(), f"key file {path}")


def site_url() -> str:
    return str(getattr(settings, "ASSAY_SITE_URL", "http://localhost:8000")).rstrip("/")


def issuer() -> Issuer:
    """The issuer profile every credential names, with the current key."""
    return Issuer(
        id=f"{site_url()}/credentials/issuer",
        name=str(getattr(settings, "ASSAY_CREDENTIAL_ISSUER_NAME", "") or "Assay awarding body"),
        url=f"{site_url()}/",
        public_key=signing_key().public_multibase,
    )


def key_record(key: SigningKey) -> None:
    """Remember the public half of a key that signs (inside the caller's transaction)."""
    if IssuerKey.objects.filter(public_key=key.public_multibase).exists():
        return
    try:
        with transaction.atomic():
            IssuerKey.objects.create(public_key=key.public_multibase)
    except IntegrityError:
        pass


def trusted_keys() -> dict[str, set[str]]:
    """Issuer id -> every public key it has signed with (and the current one)."""
    keys = set(IssuerKey.objects.values_list("public_key", flat=True))
    current = issuer()
    keys.add(current.public_key)
    return {current.id: keys}
