"""One SHA-256 of a text: the hex digest of its UTF-8 bytes (FIPS 180-2 test vector)."""

from __future__ import annotations

import hashlib

from assay.files.digest import text_sha256


def test_text_sha256_is_the_hex_digest_of_the_utf8_bytes() -> None:
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert text_sha256("Ágnes signs") == hashlib.sha256("Ágnes signs".encode()).hexdigest()
    assert text_sha256("") == hashlib.sha256(b"").hexdigest()
