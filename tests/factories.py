"""Small factories for building test data through the services: people, approved centres,
candidate details and registrations. Users get no password (no slow hashing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from assay.centres.models import Centre
from assay.centres.services import ApprovalInput, approval_record
from assay.registrations.models import Registration
from assay.registrations.services import CandidateInput, registration_create

CG = "4430-04"
EDEXCEL = "EDEXCEL-L3-NVQ-CS"


def make_user(username: str, password: str | None = None, **extra: Any) -> User:
    """A user, without a password unless a test signs in with one (hashing is slow);
    ``extra`` sets fields such as names."""
    first, _, last = username.partition("_")
    defaults = {"first_name": first.title(), "last_name": last.title()}
    return User.objects.create_user(username=username, password=password, **{**defaults, **extra})


def make_centre(
    by: User,
    number: str,
    name: str,
    quals: tuple[str, ...] = (CG, EDEXCEL),
    since: dt.date = dt.date(2012, 1, 1),
) -> Centre:
    """A centre approved for ``quals`` since ``since`` (recorded by the awarding body)."""
    centre = Centre.objects.create(number=number, name=name)
    for code in quals:
        approval_record(by=by, centre=centre, approval=ApprovalInput(code, "approved", since))
    return centre


def candidate(**overrides: Any) -> CandidateInput:
    """Details of an adult in a paid customer-service job; ``overrides`` change any field."""
    values: dict[str, Any] = {
        "first_name": "Alice",
        "last_name": "Archer",
        "date_of_birth": dt.date(1980, 5, 1),
        "email": "alice@example.org",
        "employer": "Acme Ltd",
        "job_role": "Customer service manager",
        "job_kind": "paid",
    }
    values.update(overrides)
    return CandidateInput(**values)


def register(by: User, centre: Centre, qual: str = CG, **details: Any) -> Registration:
    return registration_create(
        by=by, centre=centre, qualification_key=qual, candidate_input=candidate(**details)
    )
