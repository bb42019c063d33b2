"""Single sign-on through OpenID Connect (mozilla-django-oidc), to existing accounts only.

The provider is configured by environment (``ASSAY_OIDC_*``, docs/accounts.md). Its endpoints
come from its discovery document, fetched on first use and kept by the process (each may be
given instead). The library does the authorisation-code flow with state, nonce and PKCE; this
module adds what it leaves out — the ID token's issuer and audience are checked — and decides
which account the identity is (``assay.engines.accounts.identity.sso_match``): the one linked to
the provider's subject before, or the one active account with the email the provider verified
(then linked). Anything else is refused with a sentence saying why, and recorded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assay import clock
from assay.accounts.models import AccountEvent, AccountEventKind, SsoIdentity
from assay.engines.accounts.identity import Match, SsoMatch, provider_asserted_mfa, sso_match
from assay.users import User

BACKEND = "assay.accounts.sso.SsoBackend"
_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense; ``str()`` says so in words."""


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


def sso_enabled() -> bool:
    """Single sign-on is on when a client id is configured."""
    return bool(settings.ASSAY_OIDC_CLIENT_ID)


def provider_name() -> str:
    return str(settings.ASSAY_OIDC_PROVIDER_NAME)


_discovered: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def _discovery_url() -> str:
    if settings.ASSAY_OIDC_DISCOVERY_URL:
        return str(settings.ASSAY_OIDC_DISCOVERY_URL)
    issuer = str(settings.ASSAY_OIDC_ISSUER).rstrip("/")
    return f"{issuer}/.well-known/openid-configuration" if issuer else ""


def _discover(url: str) -> dict[str, Any]:
    """The discovery document at ``url``, fetched once per process (a failure is not kept)."""
    with _lock:
        if url in _discovered:
            return _discovered[url]
    try:
        answer = requests.get(url, timeout=settings.ASSAY_OIDC_TIMEOUT)
        answer.raise_for_status()
        document = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(
            f"{provider_name()} is not answering at the moment, so single sign-on is not "
            "available. Try again later, or sign in with your username and password."
        ) from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{provider_name()} answered with an unusable configuration.")
    with _lock:
        _discovered[url] = document
    return document


def forget_discovery() -> None:
    """Drop the kept discovery documents (tests; a provider that moved its endpoints)."""
    with _lock:
        _discovered.clear()


def provider() -> Provider:
    """The configured provider with every endpoint; raises ``ProviderUnavailable``."""
    given = {
        "authorization_endpoint": settings.ASSAY_OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.ASSAY_OIDC_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.ASSAY_OIDC_USERINFO_ENDPOINT,
        "jwks_uri": settings.ASSAY_OIDC_JWKS_ENDPOINT,
    }
    issuer = str(settings.ASSAY_OIDC_ISSUER)
    if not all(given.values()) or not issuer:
        url = _discovery_url()
        if not url:
            raise ProviderUnavailable("Single sign-on is not configured (no issuer).")
        document = _discover(url)
        for key in _ENDPOINTS:
            given[key] = given[key] or document.get(key, "")
        issuer = issuer or str(document.get("issuer", ""))
    if not all(given.values()) or not issuer:
        raise ProviderUnavailable(f"{provider_name()}'s configuration lacks an endpoint.")
    return Provider(
        name=provider_name(),
        issuer=issuer,
        client_id=str(settings.ASSAY_OIDC_CLIENT_ID),
        client_secret=str(settings.ASSAY_OIDC_CLIENT_SECRET),
        **{key: str(value) for key, value in given.items()},
    )


class SsoRefused(SuspiciousOperation):
    """The identity is no account here; ``match`` carries the reason."""

    def __init__(self, match: SsoMatch) -> None:
        super().__init__(match.reason)
        self.match = match


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with lazy endpoints, issuer and audience checks, and
    matching to existing accounts only. Password sign-ins pass through it untouched."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint here; this backend is built for every sign-in
        # attempt, password ones too, so endpoints are looked up only on a real callback.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not sso_enabled() or set(kwargs) - {"nonce", "code_verifier"}:
            return None
        if "nonce" not in kwargs:
            return None
        found = provider()
        self.provider = found
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = found.client_id
        self.OIDC_RP_CLIENT_SECRET = found.client_secret
        self.OIDC_RP_SIGN_ALGO = str(settings.ASSAY_OIDC_SIGN_ALGO)
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        if attr == "OIDC_TIMEOUT":
            return settings.ASSAY_OIDC_TIMEOUT
        if attr == "OIDC_RP_SCOPES":
            return settings.ASSAY_OIDC_SCOPES
        return OIDCAuthenticationBackend.get_settings(attr, *args)

    def get_payload_data(self, token: Any, key: Any) -> Any:
        """The ID token's claims, checked for signature, expiry, issuer and audience (the
        library checks only the first two)."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed as agreed.")
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"The ID token is not valid: {exc}") from exc

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        info = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The provider's user information is not the ID token's.")
        claims = {**info, **payload}
        try:
            user = sso_account(issuer=self.provider.issuer, claims=claims)
        except SsoRefused as refused:
            # The library turns this into a silent None; the callback page says why.
            self.request.assay_sso_refusal = refused.match
            raise
        self.request.assay_sso_mfa = provider_asserted_mfa(
            amr=payload.get("amr"), trusted=bool(settings.ASSAY_OIDC_TRUST_MFA)
        )
        return user

    def get_user(self, user_id: Any) -> Any:
        return ModelBackend.get_user(self, user_id)


def sso_account(*, issuer: str, claims: dict[str, Any]) -> User:
    """The account a provider identity is, linking it on the first verified-email match;
    raises ``SsoRefused`` (recorded as a refused sign-in) when there is none."""
    subject = str(claims.get("sub", ""))
    link = SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    linked = link.first()
    email = claims.get("email")
    by_email: list[tuple[int, bool]] = []
    if linked is None and isinstance(email, str) and email.strip():
        by_email = list(
            User.objects.filter(email__iexact=email.strip()).values_list("pk", "is_active")
        )
    match = sso_match(
        claims=claims,
        linked_user_id=linked.user_id if linked else None,
        linked_user_active=bool(linked and linked.user.is_active),
        email_user_ids=by_email,
        provider=provider_name(),
    )
    if match.match == Match.REFUSED:
        AccountEvent.objects.create(
            kind=AccountEventKind.SIGN_IN_REFUSED,
            user_id=linked.user_id if linked else None,
            reason=f"single sign-on ({match.code}): {email or 'no email'} / {subject}",
        )
        raise SsoRefused(match)
    with transaction.atomic():
        if linked is None:
            user = User.objects.get(pk=int(match.user_id or 0))
            SsoIdentity.objects.create(
                issuer=issuer,
                subject=subject,
                user=user,
                email=str(email),
                last_used_at=clock.now(),
            )
            AccountEvent.objects.create(
                kind=AccountEventKind.SSO_LINKED,
                user=user,
                reason=f"{provider_name()} identity {subject} matched by verified email {email}",
            )
        else:
            user = linked.user
            SsoIdentity.objects.filter(pk=linked.pk).update(last_used_at=clock.now())
    return user


def sign_in_record(*, user: User, method: str) -> None:
    """One line of the account's history per sign-in: how (password, single sign-on, the
    second factor)."""
    AccountEvent.objects.create(kind=AccountEventKind.SIGNED_IN, user=user, reason=method)
