"""W3C Bitstring Status List v1.0: a revocation list as a gzip-compressed bitstring, base64url
multibase encoded (``u…``), at least 16 KB (131,072 entries) so that one entry does not single
out a holder. Index 0 is the most significant (leftmost) bit of the first byte.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable

from .multibase import MultibaseError, decode_base64url, encode_base64url

__all__ = [
    "MIN_BITS",
    "StatusListError",
    "decode",
    "encode",
    "is_set",
    "revoked_indexes",
]

#: 16 KB of bits: the minimum the specification sets for group privacy.
MIN_BITS = 16 * 1024 * 8
#: Refuse lists that decompress beyond this (a gzip bomb guard).
MAX_BYTES = 16 * 1024 * 1024


class StatusListError(ValueError):
    """An encoded list that cannot be read, or an index outside it."""


def encode(revoked: Iterable[int], *, length: int = MIN_BITS) -> str:
    """The ``encodedList`` for a list of ``length`` bits with ``revoked`` set (deterministic:
    the gzip header carries no time)."""
    if length < MIN_BITS or length % 8:
        raise StatusListError(f"a status list has at least {MIN_BITS} bits, in whole bytes")
    bits = bytearray(length // 8)
    for index in revoked:
        if not 0 <= index < length:
            raise StatusListError(f"index {index} is outside the list (0..{length - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    return encode_base64url(gzip.compress(bytes(bits), compresslevel=9, mtime=0))


def decode(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``; :class:`StatusListError` says why it is unreadable."""
    try:
        compressed = decode_base64url(encoded)
    except MultibaseError as error:
        raise StatusListError(str(error)) from error
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(compressed, MAX_BYTES + 1)
    except zlib.error as error:
        raise StatusListError(f"the list is not gzip data: {error}") from error
    if len(raw) > MAX_BYTES:
        raise StatusListError("the list is larger than any status list Assay reads")
    if len(raw) * 8 < MIN_BITS:
        raise StatusListError(f"the list is shorter than the {MIN_BITS}-bit minimum")
    return raw


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside the list (0..{len(bits) * 8 - 1})")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indexes(bits: bytes) -> frozenset[int]:
    return frozenset(
        byte_index * 8 + bit
        for byte_index, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    )
