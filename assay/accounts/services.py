"""Create, check and revoke API tokens.

A token is 43 URL-safe characters from ``secrets``; the database keeps its first 8 characters
(to recognise it in lists) and its SHA-256, never the token itself. A leaked database therefore
gives no usable token, and a random 256-bit token needs no slow password hash.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import User

from assay import clock
from assay.accounts.models import ApiToken
from assay.errors import InvalidInput
from assay.files.digest import text_sha256

PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to see whether a token is in use.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the plaintext, which is never stored."""
    if not user.is_active:
        raise InvalidInput({"user": f"{user} is not an active user"})
    if len(name) > 100:
        raise InvalidInput({"name": "use at most 100 characters"})
    plaintext = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_prefix=plaintext[:PREFIX_LENGTH],
        key_sha256=text_sha256(plaintext),
    )
    return token, plaintext


def token_authenticate(plaintext: str) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked, inactive user)."""
    if not plaintext or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=text_sha256(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good (revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user_id=user.pk))


def token_find(prefix: str) -> ApiToken | None:
    """The one token whose shown prefix is ``prefix`` (None when none or several match)."""
    matches = list(ApiToken.objects.filter(key_prefix=prefix[:PREFIX_LENGTH])[:2])
    return matches[0] if len(matches) == 1 else None
