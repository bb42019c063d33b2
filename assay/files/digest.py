"""The SHA-256 of a text, as every record that fingerprints one stores it (signed documents,
declarations, canonical spec JSON, the hashes kept instead of link and API tokens).

Files are hashed as they stream in (``storage``); the tamper-evident chains hash their own
domain-separated bytes (``engines.records``).
"""

from __future__ import annotations

import hashlib


def text_sha256(text: str) -> str:
    """The SHA-256 (lowercase hex) of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
