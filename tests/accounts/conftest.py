"""The web tests' small world (Northgate and Southgate, a person in every role) plus helpers
for invitations: the link in the last email, and a registration whose candidate has no sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from assay.registrations.models import Registration
from assay.registrations.services import registration_create
from tests.world import World, adult

LINK = re.compile(r"https?://\S+/invitation/([\w-]+)/")


def token_in_last_email() -> str:
    """The token of the invitation link in the newest email."""
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


@pytest.fixture
def eli(world: World) -> Registration:
    """Eli Smith, registered at Northgate by Carol, with no sign-in yet."""
    import datetime as dt

    return registration_create(
        by=world.user("carol"),
        centre=world.north,
        qualification_key="4430-04",
        candidate_input=adult("Eli"),
        registered_on=dt.date(2012, 9, 3),
    )


@pytest.fixture
def settings_mail(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def sending(django_capture_on_commit_callbacks: Any) -> Any:
    """``with sending():`` runs the emails queued for after the commit, as a real request
    would (tests run inside one transaction that never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
