"""API token rules (pure Python): how long a token lives and what its scope lets it do.

A token has a scope, ``read`` or ``write``. A read token may only make safe requests (GET,
HEAD, OPTIONS); any other method is refused with a sentence saying why. A token with an expiry
stops working at that moment ("token expired"); a token without one (those made before tokens
had an expiry) lives until it is revoked. Lifetimes are whole days from 1 to a maximum the
deployment sets (``ASSAY_TOKEN_MAX_DAYS``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from assay.engines.accounts.rules import YES, Decision

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPIRED = "token expired"


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def token_state(
    *, revoked_at: dt.datetime | None, expires_at: dt.datetime | None, now: dt.datetime
) -> TokenState:
    """Revoked wins over expired; a token expires at ``expires_at`` itself."""
    if revoked_at is not None:
        return TokenState.REVOKED
    if expires_at is not None and now >= expires_at:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def may_use(*, scope: str, method: str) -> Decision:
    """May a live token of ``scope`` make a request with ``method``?"""
    if scope == Scope.WRITE:
        return YES
    if scope == Scope.READ:
        if method.upper() in SAFE_METHODS:
            return YES
        return Decision(
            False,
            f"this token has scope 'read': it may only read (GET), not {method.upper()}; "
            "use a token with scope 'write'",
        )
    return Decision(False, f"this token has an unknown scope {scope!r}")


def lifetime_problem(days: int, *, maximum: int) -> str:
    """Why ``days`` is not an acceptable lifetime ('' when it is)."""
    if not 1 <= days <= maximum:
        return f"a token lives from 1 to {maximum} days"
    return ""
