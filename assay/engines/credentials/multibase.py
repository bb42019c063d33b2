"""Multibase and Multikey encodings used by Data Integrity proofs and status lists.

* base58btc (multibase prefix ``z``): proof values and Ed25519 public keys.
* base64url without padding (multibase prefix ``u``): a status list's ``encodedList``.
* Multikey: ``0xed 0x01`` + 32 bytes for an Ed25519 public key, ``0x80 0x26`` + 32 bytes for
  its secret seed (multicodec ``ed25519-pub`` / ``ed25519-priv`` as varints).
"""

from __future__ import annotations

import base64
import binascii

__all__ = [
    "MultibaseError",
    "b58decode",
    "b58encode",
    "decode_base58btc",
    "decode_base64url",
    "decode_ed25519_public",
    "decode_ed25519_secret",
    "encode_base58btc",
    "encode_base64url",
    "encode_ed25519_public",
    "encode_ed25519_secret",
]

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


class MultibaseError(ValueError):
    """A value that is not the multibase/multikey encoding expected; the message says why."""


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet); leading zero bytes become leading ``1``."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise MultibaseError(f"{char!r} is not a base58 character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_base58btc(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise MultibaseError("expected a base58btc multibase value (starting with 'z')")
    return b58decode(value[1:])


def encode_base64url(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("u"):
        raise MultibaseError("expected a base64url multibase value (starting with 'u')")
    body = value[1:]
    if not body.replace("-", "").replace("_", "").isalnum() and body:
        raise MultibaseError("not base64url text")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise MultibaseError(f"not base64url text: {error}") from error


def encode_ed25519_public(key: bytes) -> str:
    if len(key) != 32:
        raise MultibaseError("an Ed25519 public key has 32 bytes")
    return encode_base58btc(ED25519_PUB + key)


def decode_ed25519_public(value: str) -> bytes:
    raw = decode_base58btc(value)
    if len(raw) != 34 or raw[:2] != ED25519_PUB:
        raise MultibaseError("not an Ed25519 Multikey public key (z6Mk…)")
    return raw[2:]


def encode_ed25519_secret(seed: bytes) -> str:
    if len(seed) != 32:
        raise MultibaseError("an Ed25519 secret seed has 32 bytes")
    return encode_base58btc(ED25519_PRIV + seed)


def decode_ed25519_secret(value: str) -> bytes:
    raw = decode_base58btc(value)
    if len(raw) != 34 or raw[:2] != ED25519_PRIV:
        raise MultibaseError("not an Ed25519 Multikey secret key")
    return raw[2:]
