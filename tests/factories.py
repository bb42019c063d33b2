"""Small factories for building test data through the services: people, approved centres,
candidate details and registrations. Users get no password (no slow hashing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from assay.centres.models import Centre, Competence
from assay.centres.services import ApprovalInput, approval_record
from assay.registrations.links import candidate_account_link
from assay.registrations.models import Registration
from assay.registrations.plans import PlanUnitInput, plan_set
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


def assessor_qualified(user: User) -> None:
    """An A1 award held since 2010, so the user may assess on their own."""
    Competence.objects.create(
        user=user,
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2010, 1, 1),
        achieved_on=dt.date(2010, 6, 1),
    )


def enrol_dana(by: User, centre: Centre, dan: User, assessors: dict[str, User]) -> Registration:
    """Dana Reyes on 4430-04 (registered 01/12/2012), signing in as ``dan``, with one planned
    unit per entry of ``assessors`` (unit number → assessor)."""
    reg = registration_create(
        by=by,
        centre=centre,
        qualification_key=CG,
        candidate_input=CandidateInput(
            first_name="Dana",
            last_name="Reyes",
            date_of_birth=dt.date(1980, 5, 17),
            job_role="Customer service manager",
        ),
        registered_on=dt.date(2012, 12, 1),
    )
    candidate_account_link(by=by, candidate=reg.candidate, user=dan)
    units = [PlanUnitInput(unit, assessor_id=user.pk) for unit, user in assessors.items()]
    plan_set(by=by, registration=reg, units=units)
    return reg
