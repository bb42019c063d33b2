"""Two-factor sign-in with an authenticator app (django-otp: TOTP, plus one-time recovery codes).

When the installation requires it (``ASSAY_REQUIRE_2FA``), staff (``assay.engines.accounts.
identity.needs_two_factor``) who have signed in reach only the enrolment and code pages until
they give a code this session (``TwoFactorMiddleware``); API tokens for them need a code too
(``code_check``). django-otp refuses a code used before (a TOTP time step counts once) and
slows down guessing: after each wrong code in a row, a device waits twice as long as before
(1 s, 2 s, 4 s …) before it checks another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assay.accounts.models import AccountEvent, AccountEventKind
from assay.audits.models import BodyMembership
from assay.centres.models import Membership
from assay.engines.accounts.identity import TwoFactor, needs_two_factor, two_factor_step
from assay.users import User

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"
SESSION_REQUIRED = "assay_2fa_required"  # [user id, required]: roles are read once per session
SESSION_BY_PROVIDER = "assay_2fa_by_provider"  # the identity provider vouched for MFA (amr)
WRONG_CODE = "That code is not right (or was used already). Wait for the next code and try again."
SLOW_DOWN = "Too many wrong codes in a row: wait {seconds} seconds before trying again."


def two_factor_required(user: User) -> bool:
    """Whether this person must give a code on this installation: staff always, and anyone
    else who set up an authenticator of their own accord."""
    if not settings.ASSAY_REQUIRE_2FA:
        return False
    return needs_two_factor(
        installation_requires=True,
        superuser=user.is_superuser,
        centre_roles=Membership.objects.filter(user=user, active=True).values_list(
            "role", flat=True
        ),
        body_roles=BodyMembership.objects.filter(user=user).values_list("role", flat=True)[:1],
    ) or has_device(user)


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_verified(request: HttpRequest) -> bool:
    """A code was given this session (or the identity provider vouched for a second factor)."""
    user = request.user
    return bool(
        getattr(user, "is_verified", lambda: False)() or request.session.get(SESSION_BY_PROVIDER)
    )


def session_forget(request: HttpRequest) -> None:
    """A new sign-in in the same browser owes its own code: drop what this session proved."""
    for key in (DEVICE_ID_SESSION_KEY, SESSION_BY_PROVIDER, SESSION_REQUIRED):
        request.session.pop(key, None)


def step_for(request: HttpRequest) -> TwoFactor:
    """What the signed-in person of ``request`` must do about a second factor now."""
    user = request.user
    if not settings.ASSAY_REQUIRE_2FA or not user.is_authenticated:
        return two_factor_step(required=False, has_device=False, verified=False)
    kept = request.session.get(SESSION_REQUIRED)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == user.pk:
        required = bool(kept[1])
    else:
        required = two_factor_required(user)
        request.session[SESSION_REQUIRED] = [user.pk, required]
    verified = session_verified(request)
    if not required or verified:
        return two_factor_step(required=required, has_device=True, verified=verified)
    return two_factor_step(required=True, has_device=has_device(user), verified=False)


# Pages a person who still owes a second factor may reach: the two pages themselves, signing
# out, static files and the probes. The API answers 403 in JSON instead of redirecting.
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/healthz", "/readyz")


class TwoFactorMiddleware:
    """Sends staff who owe a second factor to enrolment or to the code page (with ``next``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.ASSAY_REQUIRE_2FA or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        found = step_for(request)
        if not found.required:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            body = {"status": 403, "code": "two_factor_required", "message": found.reason}
            return JsonResponse({"error": {**body, "details": []}}, status=403)
        name = "two-factor-setup" if found.step == "enrol" else "two-factor-verify"
        target = reverse(name)
        if request.headers.get("HX-Request") == "true":
            # htmx would follow a 302 and swap the code page into a fragment of the page;
            # HX-Redirect makes the browser itself go there, back to the page it was on.
            back = _htmx_page(request)
            if back:
                target += "?" + urlencode({"next": back})
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = target
            return answer
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


def _htmx_page(request: HttpRequest) -> str:
    """The page an htmx request came from (``HX-Current-URL``), as a local path, when it is
    this site's; "" otherwise (the code page then sends them home)."""
    current = request.headers.get("HX-Current-URL", "")
    if not current or not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(current)
    if parts.path.startswith(OPEN_PREFIXES):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed (reloading the
    page does not change the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an SVG QR code in a data URI (an <img>: no inline
    script or style)."""
    import segno  # only on the enrolment page

    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True, slots=True)
class Checked:
    ok: bool
    message: str = ""
    device: Any = None
    recovery_codes: tuple[str, ...] = ()  # new ones, after enrolment (shown once)


def _throttled(device: Any) -> str:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return ""
    from django.utils import timezone

    seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return SLOW_DOWN.format(seconds=seconds)


def _clean(code: str) -> str:
    return "".join(code.split())[:32]


def enrolment_confirm(*, request: HttpRequest, user: User, code: str) -> Checked:
    """Confirm the pending authenticator with a code from it; on success the session counts as
    verified and the answer carries the new recovery codes (shown once)."""
    device = pending_device(user)
    if message := _throttled(device):
        return Checked(False, message)
    if not device.verify_token(_clean(code)):
        return Checked(False, _throttled(device) or WRONG_CODE)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user)
        AccountEvent.objects.create(
            kind=AccountEventKind.TWO_FACTOR_ENROLLED, user=user, by=user, reason=AUTHENTICATOR
        )
    otp_login(request, device)
    return Checked(True, device=device, recovery_codes=tuple(codes))


def recovery_codes_renew(user: User) -> list[str]:
    """New one-time recovery codes (the old ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def code_check(*, user: User, code: str) -> Checked:
    """Check a code against the person's authenticator, then their recovery codes (a recovery
    code works once). A wrong code is recorded in the account's history."""
    cleaned = _clean(code)
    devices: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if len(cleaned) != 6 or not cleaned.isdigit():
        devices += list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        if message := _throttled(device):
            return Checked(False, message)
        if device.verify_token(cleaned):
            return Checked(True, device=device)
    AccountEvent.objects.create(kind=AccountEventKind.TWO_FACTOR_FAILED, user=user)
    waits = [m for d in devices if (m := _throttled(d))]
    return Checked(False, waits[0] if waits else WRONG_CODE)


def code_verify(*, request: HttpRequest, code: str) -> Checked:
    """The code page: a right code marks this session verified and is recorded as a sign-in."""
    user: Any = request.user
    found = code_check(user=user, code=code)
    if found.ok:
        otp_login(request, found.device)
        kind = "recovery code" if isinstance(found.device, StaticDevice) else AUTHENTICATOR
        AccountEvent.objects.create(
            kind=AccountEventKind.SIGNED_IN, user=user, reason=f"second factor: {kind}"
        )
    return found


def two_factor_reset(*, user: User, reason: str) -> int:
    """Remove the person's authenticator and recovery codes (they lost both): the operator's
    act on the server (``assay user reset-2fa``), recorded with the reason. Where the
    installation requires it, the person sets up a new one at their next sign-in. Answers how
    many devices were removed."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        removed += (
            StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
        )
        AccountEvent.objects.create(
            kind=AccountEventKind.TWO_FACTOR_RESET, user=user, reason=reason
        )
    return removed
