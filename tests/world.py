"""A small world for the centre and registration pages, built through the services.

Northgate (0042) and Southgate (0043). Dan is the candidate most pages show: assessed by Alice on
unit 401, verified by Ian, employed by Ed's company; he has one evidence item (an observation)
proposed for 401 criterion 1.1. Dora is another Northgate candidate (Edna's employee, no plan
yet). Everyone else holds exactly one role, so each stands for one row of the
role matrix; Nina holds no role at all (an account waiting to become a candidate's sign-in).
The clock is pinned to 01/03/2013: Alice's A/V deadline (15/04/2013) is then due soon and
Arthur's (01/12/2012) has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from assay.centres.models import Centre, Role
from assay.centres.people import competence_record, cpd_record
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.portfolios.models import CriterionMapping, EvidenceItem
from assay.portfolios.services import evidence_add, mapping_propose
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.models import Registration, RplClaim
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import rpl_claim_create
from assay.registrations.services import CandidateInput, registration_create

TODAY = "2013-03-01"

# Role-matrix row → the username that plays it (None: not signed in).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "candidate-self": "dan",
    "other-candidate": "dora",
    "assessor-assigned": "alice",
    "assessor-not-assigned": "arthur",
    "iv-assigned": "ian",
    "iv-not-assigned": "iris",
    "lead-iqa": "linda",
    "centre-admin": "carol",
    "tutor": "tom",
    "employer-of-candidate": "ed",
    "other-employer": "edna",
    "ev-assigned": "eve",
    "ev-not-assigned": "evan",
    "admin-other-centre": "sue",
}

GRANTS = [
    ("north", "carol", Role.CENTRE_ADMIN),
    ("north", "tom", Role.TUTOR),
    ("north", "alice", Role.ASSESSOR),
    ("north", "arthur", Role.ASSESSOR),
    ("north", "ian", Role.INTERNAL_VERIFIER),
    ("north", "iris", Role.INTERNAL_VERIFIER),
    ("north", "linda", Role.LEAD_IQA),
    ("north", "eve", Role.EXTERNAL_VERIFIER),
    ("north", "ed", Role.EMPLOYER_CONTACT),
    ("north", "edna", Role.EMPLOYER_CONTACT),
    ("north", "dan", Role.CANDIDATE),
    ("north", "dora", Role.CANDIDATE),
    ("south", "sue", Role.CENTRE_ADMIN),
    ("south", "evan", Role.EXTERNAL_VERIFIER),
]


@dataclass
class World:
    users: dict[str, Any]
    north: Centre
    south: Centre
    dan: Registration
    dora: Registration
    claim: RplClaim
    item: EvidenceItem
    mapping: CriterionMapping

    def user(self, name: str) -> Any:
        return self.users[name]


def adult(first: str, last: str = "Smith", **overrides: Any) -> CandidateInput:
    data: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "date_of_birth": dt.date(1980, 5, 17),
        "employer": "Harbour Retail Ltd",
        "job_role": "Customer service manager",
    }
    return CandidateInput(**{**data, **overrides})


def build_world() -> World:
    users_model = get_user_model()
    sam = users_model.objects.create_user("sam", is_superuser=True, is_staff=True)
    north = Centre.objects.create(number="0042", name="Northgate Training Centre")
    south = Centre.objects.create(number="0043", name="Southgate College")
    centres = {"north": north, "south": south}
    for centre, codes in [(north, ("4430-04", "EDEXCEL-L3-NVQ-CS")), (south, ("4430-04",))]:
        for code in codes:
            approval_record(
                by=sam,
                centre=centre,
                approval=ApprovalInput(code, "approved", dt.date(2011, 9, 1)),
            )
    names = sorted({name for _, name, _ in GRANTS})
    users = {
        name: users_model.objects.create_user(name, first_name=name.capitalize(), last_name="Test")
        for name in names
    }
    users["sam"] = sam
    users["nina"] = users_model.objects.create_user("nina", first_name="Nina", last_name="Test")
    for centre, name, role in GRANTS:
        membership_grant(by=sam, centre=centres[centre], user=users[name], role=role)
    carol = users["carol"]
    for name, started in [("alice", dt.date(2011, 10, 15)), ("arthur", dt.date(2011, 6, 1))]:
        competence_record(
            by=carol,
            centre=north,
            user=users[name],
            role="assessor",
            av_unit="A1",
            started_on=started,
        )
    cpd_record(
        by=users["alice"],
        user=users["alice"],
        on=dt.date(2013, 1, 28),
        hours=Decimal(3),
        activity="A1 portfolio workshop",
    )

    def register(first: str, account: str, employer: str) -> Registration:
        reg = registration_create(
            by=carol,
            centre=north,
            qualification_key="4430-04",
            candidate_input=adult(first),
            registered_on=dt.date(2012, 9, 3),
        )
        candidate_account_link(by=carol, candidate=reg.candidate, user=users[account])
        candidate_employer_contact_set(by=carol, candidate=reg.candidate, user=users[employer])
        return reg

    dan = register("Dan", "dan", "ed")
    dora = register("Dora", "dora", "edna")
    plan_set(
        by=carol,
        registration=dan,
        units=[PlanUnitInput("401", users["alice"].pk, dt.date(2013, 6, 30))],
        internal_verifier_id=users["ian"].pk,
    )
    claim = rpl_claim_create(by=carol, registration=dan, unit="412", evidence="ILM certificate")
    item = evidence_add(
        by=users["dan"],
        registration=dan,
        method="observation",
        started_on=dt.date(2013, 2, 1),
        place="Customer service desk",
        description="Alice watched me brief the team on the returns policy",
        context="real_job",
    )
    mapping = mapping_propose(by=users["dan"], item=item, unit="401", target="1.1")
    return World(users, north, south, dan, dora, claim, item, mapping)
