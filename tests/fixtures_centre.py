"""The role world, built through the services, for API, CLI and bulk tests: each person is
named after the one role they hold (``centre_admin``, ``assessor_assigned``…), which is what
the role matrices iterate. The shared world of named people is ``tests/world.py``; the
factories used here are in ``tests/factories.py``.

Pytest fixtures ``world`` and ``tokens``; import them where needed (they replace the shared
``world`` in that module)::

    from tests.fixtures_centre import tokens, world  # noqa: F401

The clock is pinned to 2013-03-01, inside the seed qualifications' registration window
(4430-04: last registration 31/07/2014).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User

from assay.accounts.services import token_create, token_revoke
from assay.centres.models import Centre
from assay.centres.people import competence_record
from assay.centres.services import membership_grant
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.models import Registration, RplClaim
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import rpl_claim_create
from tests.factories import CG, EDEXCEL, make_centre, make_user, register

TODAY = "2013-03-01"

# Every role the role matrix tries, each a different person.
ROLES = (
    "candidate_self",
    "candidate_other",
    "assessor_assigned",
    "assessor_other",
    "iv_assigned",
    "iv_other",
    "lead_iqa",
    "centre_admin",
    "tutor",
    "employer_contact",
    "ev_assigned",
    "ev_other",
    "admin_other_centre",
    "awarding_body",
)


@dataclass
class World:
    """Centre ``north`` with a person in every role and two registrations; centre ``south``
    with its own administrator, external verifier and registration."""

    north: Centre
    south: Centre
    people: dict[str, User]
    registration: Registration  # Alice at north: assessor_assigned, iv_assigned, her employer
    other_registration: Registration  # Bob at north: assessor_other and iv_other
    south_registration: Registration
    claim: RplClaim  # Alice's undecided RPL claim for unit 402
    extra: dict[str, Any] = field(default_factory=dict)  # "competence": iv_assigned's V1;
    # "spare": an account with no role anywhere

    def __getitem__(self, role: str) -> User:
        return self.people[role]


def build_world() -> World:
    ab = make_user("awarding_body", is_superuser=True, is_staff=True)
    north = make_centre(ab, "N1001", "North Training")
    south = make_centre(ab, "S2002", "South Skills", quals=(CG,))
    people = {"awarding_body": ab}
    north_roles = {
        "centre_admin": "centre_admin",
        "tutor": "tutor",
        "assessor_assigned": "assessor",
        "assessor_other": "assessor",
        "iv_assigned": "internal_verifier",
        "iv_other": "internal_verifier",
        "lead_iqa": "lead_iqa",
        "employer_contact": "employer_contact",
        "ev_assigned": "external_verifier",
        "candidate_self": "candidate",
        "candidate_other": "candidate",
    }
    for name, role in north_roles.items():
        people[name] = make_user(name)
        membership_grant(by=ab, centre=north, user=people[name], role=role)
    for name, role in {
        "admin_other_centre": "centre_admin",
        "ev_other": "external_verifier",
    }.items():
        people[name] = make_user(name)
        membership_grant(by=ab, centre=south, user=people[name], role=role)
    admin = people["centre_admin"]
    alice = register(admin, north, CG)
    candidate_account_link(by=admin, candidate=alice.candidate, user=people["candidate_self"])
    candidate_employer_contact_set(
        by=admin, candidate=alice.candidate, user=people["employer_contact"]
    )
    plan_set(
        by=admin,
        registration=alice,
        units=[PlanUnitInput("401", people["assessor_assigned"].pk, dt.date(2013, 6, 30))],
        internal_verifier_id=people["iv_assigned"].pk,
    )
    bob = register(admin, north, EDEXCEL, first_name="Bob", last_name="Baker", email="")
    candidate_account_link(by=admin, candidate=bob.candidate, user=people["candidate_other"])
    plan_set(
        by=admin,
        registration=bob,
        units=[PlanUnitInput("7", people["assessor_other"].pk)],
        internal_verifier_id=people["iv_other"].pk,
    )
    carol = register(people["admin_other_centre"], south, CG, first_name="Carol")
    claim = rpl_claim_create(
        by=admin, registration=alice, unit="402", evidence="Certificate from a 2011 course"
    )
    competence = competence_record(
        by=admin,
        centre=north,
        user=people["iv_assigned"],
        role="internal_verifier",
        av_unit="V1",
        started_on=dt.date(2012, 6, 1),
    )
    extra = {"competence": competence, "spare": make_user("spare")}
    return World(north, south, people, alice, bob, carol, claim, extra)


@pytest.fixture
def world(catalogue: None, settings: Any) -> World:
    settings.ASSAY_TODAY = TODAY
    return build_world()


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    """A live bearer token for every role, plus ``bad_token`` and ``revoked_token``."""
    result = {role: token_create(user=world[role], name="tests")[1] for role in ROLES}
    revoked, plaintext = token_create(user=world["centre_admin"], name="revoked")
    token_revoke(token=revoked)
    result["revoked_token"] = plaintext
    result["bad_token"] = "not-a-real-token-" + "x" * 26
    return result
