"""Ed25519 keys for signing credentials (``cryptography``), named by Multikey."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .multibase import (
    decode_ed25519_public,
    decode_ed25519_secret,
    encode_ed25519_public,
    encode_ed25519_secret,
)

__all__ = ["SigningKey", "generate_key", "verify_signature"]


@dataclass(frozen=True, repr=False)
class SigningKey:
    """An Ed25519 key pair from its 32-byte secret seed. ``repr`` never shows the secret."""

    seed: bytes

    def __post_init__(self) -> None:
        if len(self.seed) != 32:
            raise ValueError("an Ed25519 secret seed has 32 bytes")

    def __repr__(self) -> str:
        return f"SigningKey(public={self.public_multibase})"

    @classmethod
    def from_multibase(cls, secret: str) -> SigningKey:
        return cls(decode_ed25519_secret(secret.strip()))

    @classmethod
    def from_hex(cls, secret_hex: str) -> SigningKey:
        """From hex: the 32-byte seed, or the 64-byte seed ‖ public key form."""
        raw = bytes.fromhex(secret_hex)
        return cls(raw[:32])

    @property
    def secret_multibase(self) -> str:
        return encode_ed25519_secret(self.seed)

    @property
    def public_bytes(self) -> bytes:
        return (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )

    @property
    def public_multibase(self) -> str:
        return encode_ed25519_public(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(data)


def generate_key() -> SigningKey:
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return SigningKey(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def verify_signature(public_multibase: str, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``data`` by that public key."""
    public = Ed25519PublicKey.from_public_bytes(decode_ed25519_public(public_multibase))
    try:
        public.verify(signature, data)
    except InvalidSignature:
        return False
    return True
