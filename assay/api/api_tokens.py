"""Sign in for a token, and one's own tokens: ``POST /auth/login``, ``GET /auth/tokens``,
``DELETE /auth/tokens/{token_id}``.

Sign-in takes a username and password and answers a new token, shown once. Any wrong sign-in
(unknown username, wrong password, deactivated account) answers the same 401; the sign-in
throttling of the web (django-axes: ``AXES_FAILURE_LIMIT`` failures for one username from one
address pause it for ``AXES_COOLOFF_TIME``) counts API and web failures together and answers
429 ``throttled`` while it lasts. Listing and revoking reach only the caller's own tokens: any
other token id answers 404 exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from assay.accounts.models import ApiToken
from assay.accounts.services import (
    LoginThrottled,
    SecondFactorNeeded,
    own_token,
    token_login,
    token_revoke,
    tokens_page,
)
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.keyset import Page

router = Router(tags=["tokens"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, 401: s.Error, 422: s.Error}
LOGIN_ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 422: s.Error, 429: s.Error}
WRONG_SIGN_IN = "the username or password is not right"
THROTTLED = "too many failed sign-ins for this username from this address; try again later"


def _error(status: int, code: str, message: str) -> Status[Any]:
    """The API's one error shape (``assay.api.api.error_response``, which imports this)."""
    body = {"status": status, "code": code, "message": message, "details": []}
    return Status(status, {"error": body})


class LoginIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field("", max_length=100, description="What the token is for")
    scope: Literal["read", "write"] = Field(
        "write", description="read: GET only (any other method answers 403); write: everything"
    )
    expires_in_days: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Days until the token stops working; default ASSAY_TOKEN_DAYS (30), "
        "at most ASSAY_TOKEN_MAX_DAYS (365)",
    )
    otp: str = Field(
        "",
        max_length=32,
        description="A code from the authenticator app (or a recovery code): needed by staff "
        "when the installation requires two-factor sign-in (ASSAY_REQUIRE_2FA)",
    )


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first 8 characters, to recognise it")
    scope: Literal["read", "write"]
    state: Literal["active", "expired", "revoked"]
    created_at: dt.datetime
    expires_at: dt.datetime | None = Field(description="None: made before tokens had an expiry")
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    current: bool = Field(description="The token this request was made with")


class NewTokenOut(ApiTokenOut):
    token: str = Field(description="The bearer token itself: shown this once, never again")


def _out(row: ApiToken, request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "api_token", None)
    return {
        "id": row.pk,
        "name": row.name,
        "prefix": row.key_prefix,
        "scope": row.scope,
        "state": row.state(),
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "last_used_at": row.last_used_at,
        "revoked_at": row.revoked_at,
        "current": current is not None and current.pk == row.pk,
    }


@router.post("auth/login", auth=None, response={201: NewTokenOut, **LOGIN_ERRORS})
def login(request: HttpRequest, body: LoginIn) -> Status[Any]:
    """Sign in with a username and password and get a new bearer token (shown once; send it as
    ``Authorization: Bearer <token>``). A wrong sign-in answers 401 whether or not the username
    exists; too many failed sign-ins for the username from this address (web and API together)
    answer 429 until the cool-off ends. Where staff must use two-factor sign-in, such an account
    also sends ``otp``: without it 401 ``otp_required``, a wrong or reused code 401
    ``otp_invalid``, no authenticator set up yet 403 ``two_factor_enrolment_required``."""
    try:
        made = token_login(
            request=request,
            username=body.username,
            password=body.password,
            name=body.name,
            scope=body.scope,
            expires_in_days=body.expires_in_days,
            otp=body.otp,
        )
    except LoginThrottled:
        return _error(429, "throttled", THROTTLED)
    except SecondFactorNeeded as exc:
        status = 403 if exc.code == "two_factor_enrolment_required" else 401
        return _error(status, exc.code, exc.message)
    if made is None:
        return _error(401, "unauthenticated", WRONG_SIGN_IN)
    row, plaintext = made
    return Status(201, {**_out(row, request), "token": plaintext})


@router.get("auth/tokens", response={200: s.PageOut[ApiTokenOut], **LIST_ERRORS})
def tokens(request: HttpRequest, page: Query[s.PageQuery]) -> Page[dict[str, Any]]:
    """A page of the caller's own tokens, newest first, with revoked and expired ones (never
    the token itself: only its first 8 characters)."""
    found = tokens_page(who(request), page.cursor, page.size)
    return found.map(lambda row: _out(row, request))


@router.delete("auth/tokens/{token_id}", response={200: ApiTokenOut, **ERRORS})
def revoke(request: HttpRequest, token_id: int) -> dict[str, Any]:
    """Revoke one of the caller's own tokens for good (it may be the one in use); revoking a
    revoked token changes nothing. Someone else's token answers 404."""
    row = token_revoke(token=own_token(who(request), token_id))
    return _out(row, request)
