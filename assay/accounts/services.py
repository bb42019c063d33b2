"""Create, check, list and revoke API tokens, and sign in through the API for one.

A token is 43 URL-safe characters from ``secrets``; the database keeps its first 8 characters
(to recognise it in lists) and its SHA-256, never the token itself. A leaked database therefore
gives no usable token, and a random 256-bit token needs no slow password hash.

A token has a scope (``read``: safe methods only; ``write``) and an expiry, by default
``ASSAY_TOKEN_DAYS`` (30) days and at most ``ASSAY_TOKEN_MAX_DAYS`` (365) days after it is made
(rules in ``assay.engines.accounts.tokens``). Tokens made before expiry existed keep none.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User, update_last_login
from django.http import HttpRequest

from assay import clock
from assay.accounts.models import AccountEvent, AccountEventKind, ApiToken
from assay.engines.accounts.tokens import (
    Scope,
    TokenState,
    lifetime_problem,
    may_use,
    token_state,
)
from assay.errors import InvalidInput, NotFound
from assay.files.digest import text_sha256
from assay.keyset import Page, paginate

PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to see whether a token is in use.
TOUCH_EVERY = dt.timedelta(minutes=1)


TOKENS_ORDER = ("-created_at", "-pk")


class LoginThrottled(Exception):
    """Too many failed sign-ins for this username from this address (django-axes)."""


class SecondFactorNeeded(Exception):
    """The password was right but this account must also give a code (ASSAY_REQUIRE_2FA):
    ``code`` is ``otp_required``, ``otp_invalid`` or ``two_factor_enrolment_required``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def default_days() -> int:
    return int(getattr(settings, "ASSAY_TOKEN_DAYS", 30))


def max_days() -> int:
    return int(getattr(settings, "ASSAY_TOKEN_MAX_DAYS", 365))


def token_create(
    *,
    user: User,
    name: str = "",
    scope: str = Scope.WRITE,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the plaintext, which is never stored.
    ``expires_in_days`` defaults to ``ASSAY_TOKEN_DAYS``."""
    if not user.is_active:
        raise InvalidInput({"user": f"{user} is not an active user"})
    if len(name) > 100:
        raise InvalidInput({"name": "use at most 100 characters"})
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise InvalidInput({"name": "a token's name has no control characters"})
    if scope not in tuple(Scope):
        raise InvalidInput({"scope": "a token's scope is 'read' or 'write'"})
    days = default_days() if expires_in_days is None else expires_in_days
    if problem := lifetime_problem(days, maximum=max_days()):
        raise InvalidInput({"expires_in_days": problem})
    plaintext = secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_prefix=plaintext[:PREFIX_LENGTH],
        key_sha256=text_sha256(plaintext),
        scope=str(scope),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return token, plaintext


def token_resolve(plaintext: str) -> ApiToken | None:
    """The unrevoked token of an active user that ``plaintext`` is, expired or not (the caller
    tells expired apart: ``token_state``); None for anything else. Marks it used."""
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
    live = token_state(revoked_at=None, expires_at=token.expires_at, now=now) is TokenState.ACTIVE
    if live and (token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_authenticate(plaintext: str, method: str | None = None) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired, inactive;
    with ``method``: also when the token's scope does not allow that method)."""
    token = token_resolve(plaintext)
    if token is None or token.state() != TokenState.ACTIVE:
        return None
    if method is not None and not may_use(scope=token.scope, method=method).allowed:
        return None
    return token.user


def token_login(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    name: str = "",
    scope: str = Scope.WRITE,
    expires_in_days: int | None = None,
    otp: str = "",
) -> tuple[ApiToken, str] | None:
    """Sign in with a username and password and get a new token, or None for any wrong
    sign-in (unknown user, wrong password, inactive account: one answer for all). Staff who
    must use a second factor also give ``otp`` (a code from their authenticator, or a recovery
    code), else ``SecondFactorNeeded``.

    Django's ``authenticate`` runs the same backends as the web sign-in, django-axes first, so
    API failures and web failures count together towards the same lockout; a locked-out pair
    raises ``LoginThrottled`` whatever the password."""
    expires = default_days() if expires_in_days is None else expires_in_days
    if problem := lifetime_problem(expires, maximum=max_days()):
        raise InvalidInput({"expires_in_days": problem})
    user = authenticate(request, username=username, password=password)
    if user is None:
        if _locked_out(request, username):
            raise LoginThrottled()
        return None
    _second_factor(user, otp)
    made = token_create(user=user, name=name, scope=scope, expires_in_days=expires)
    # A sign-in without a session: not Django's login() (it and its receivers, axes's too,
    # write a session, which would answer a cookie), but what a web sign-in also does: record
    # last_login, and clear the failures axes counted so far (AXES_RESET_ON_SUCCESS).
    update_last_login(type(user), user)
    AccountEvent.objects.create(
        kind=AccountEventKind.SIGNED_IN, user=user, reason=f"API token {made[0].key_prefix}…"
    )
    if getattr(settings, "AXES_RESET_ON_SUCCESS", False):
        from axes.handlers.proxy import AxesProxyHandler

        handler = AxesProxyHandler.get_implementation()
        if hasattr(handler, "reset_user_attempts"):
            handler.reset_user_attempts(request, {"username": user.get_username()})
    return made


def _second_factor(user: User, otp: str) -> None:
    from assay.accounts import two_factor

    if not two_factor.two_factor_required(user):
        return
    if not two_factor.has_device(user):
        raise SecondFactorNeeded(
            "two_factor_enrolment_required",
            "this account must sign in with an authenticator app: set one up on the web first",
        )
    if not otp.strip():
        raise SecondFactorNeeded(
            "otp_required", "this account must also give an authenticator code"
        )
    found = two_factor.code_check(user=user, code=otp)
    if not found.ok:
        raise SecondFactorNeeded("otp_invalid", found.message)


def _locked_out(request: HttpRequest, username: str) -> bool:
    """Whether axes now refuses this username from this address. The flag it leaves on the
    request would make its middleware answer with the web page instead of the API's JSON."""
    from axes.handlers.proxy import AxesProxyHandler

    flagged = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return flagged or not AxesProxyHandler.is_allowed(request, {"username": username})


def tokens_page(
    user: User, cursor: str | None = None, size: int | str | None = None
) -> Page[ApiToken]:
    """A page of ``user``'s own tokens, newest first (revoked and expired ones included)."""
    return paginate(ApiToken.objects.filter(user_id=user.pk), TOKENS_ORDER, cursor, size)


def own_token(user: User, token_id: int) -> ApiToken:
    """``user``'s token ``token_id``; NotFound when missing or someone else's."""
    token = ApiToken.objects.filter(pk=token_id, user_id=user.pk).first()
    if token is None:
        raise NotFound("no such token")
    return token


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
