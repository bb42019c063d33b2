"""Page test helpers shared by several test modules: a signed-in client, a page's text, the
registration form, row counts and extra candidates."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from assay.registrations.models import Candidate, HeldQualification, Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.services import registration_create
from tests.world import World, adult


def signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def plain(body: str) -> str:
    """The text of a page without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def register_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Nia",
        "last_name": "Jones",
        "date_of_birth": "1985-02-02",
        "email": "nia@example.org",
        "employer": "Harbour Retail Ltd",
        "job_role": "Customer service manager",
        "job_kind": "paid",
        "qualification": "4430-04",
        "registered_on": "2013-03-01",
    }
    return {**data, **overrides}


def counts() -> tuple[int, int, int]:
    return (
        Registration.objects.count(),
        Candidate.objects.count(),
        HeldQualification.objects.count(),
    )


def add_candidates(world: World, how_many: int) -> None:
    """More Northgate candidates on both qualifications, each with a plan."""
    for n in range(how_many):
        reg = registration_create(
            by=world.user("carol"),
            centre=world.north,
            qualification_key="4430-04" if n % 2 else "EDEXCEL-L3-NVQ-CS",
            candidate_input=adult(f"Cand{n}"),
        )
        units = ["401", "402", "403"] if n % 2 else ["7", "8", "18"]
        plan_set(
            by=world.user("carol"),
            registration=reg,
            units=[PlanUnitInput(u, world.user("alice").pk) for u in units],
            internal_verifier_id=world.user("ian").pk,
        )
