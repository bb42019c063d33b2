"""Who is calling: a bearer token (programs) or the signed-in browser session.

``Authorization: Bearer <token>`` is checked against the stored SHA-256 of live tokens. The
session is accepted for the browser's own calls; a signed-in session must pass Django's CSRF
check on unsafe methods, while an anonymous request simply falls through to 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from assay.accounts.services import token_authenticate
from assay.users import User


class TokenAuth(HttpBearer):
    """Bearer token created with ``assay token create USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token.strip())
        if user is None:
            return None
        request.user = user
        return user


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
