"""People and codes for the two-factor tests."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assay.centres.models import Centre, Membership

PASSWORD = "local-pass-123"


def person(username: str, role: str | None = None, email: str = "", **extra: object) -> User:
    """A user with a password and, if ``role`` is given, that role at a centre."""
    user = User.objects.create_user(username, email=email, password=PASSWORD, **extra)
    if role:
        centre, _ = Centre.objects.get_or_create(number="N1", defaults={"name": "North"})
        Membership.objects.create(user=user, centre=centre, role=role)
    return user


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later), computed
    with django-otp's own TOTP from the device's secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
