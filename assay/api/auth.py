"""Who is calling: a bearer token (programs) or the signed-in browser session.

``Authorization: Bearer <token>`` is checked against the stored SHA-256 of live tokens. An
expired token answers 401 "token expired"; a token of scope ``read`` answers 403 to every unsafe
method (POST, PUT, PATCH, DELETE) anywhere in the API, before the operation runs. The
session is accepted for the browser's own calls; a signed-in session must pass Django's CSRF
check on unsafe methods, while an anonymous request simply falls through to 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from assay.accounts.services import token_resolve
from assay.engines.accounts.tokens import EXPIRED, TokenState, may_use
from assay.errors import NotAllowed
from assay.users import User


class TokenExpired(AuthenticationError):
    """A real token past its expiry: 401 with the message "token expired"."""

    def __init__(self) -> None:
        super().__init__(401, EXPIRED)


class TokenAuth(HttpBearer):
    """Bearer token from ``POST /auth/login`` or ``assay token create USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = token_resolve(token.strip())
        if row is None:
            return None
        if row.state() == TokenState.EXPIRED:
            raise TokenExpired()
        decision = may_use(scope=row.scope, method=request.method or "GET")
        if not decision.allowed:
            raise NotAllowed(decision.reason)
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


class BrowserSession(SessionAuth):
    """Django's session cookie; CSRF is checked only once there is a signed-in session."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), BrowserSession()]


def who(request: HttpRequest) -> User:
    """The authenticated user of a request that passed ``AUTH``."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user
