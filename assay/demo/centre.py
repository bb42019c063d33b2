"""Demo centre: Northgate Training Centre, its staff in every role, about twenty candidates at
different stages on both seed qualifications, and refused registrations showing each entry rule.

Made for the demo date 01/03/2013 (``ASSAY_TODAY=2013-03-01``): Alice's A/V deadline
(15/04/2013) is then due soon and Bob's (01/12/2012) has passed. Everything goes through the
services, with the clock pinned to the day each step happened, so the data obey the rules they
demonstrate. Idempotent: a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay.centres.models import Centre, Competence, CpdEntry, QualificationApproval, Role, Site
from assay.centres.people import competence_record, cpd_record
from assay.centres.services import ApprovalInput, approval_record, membership_grant, site_add
from assay.errors import RegistrationRefused
from assay.progress.completion import registration_transition
from assay.progress.registration_page import document_text
from assay.registrations.induction import initial_assessment_record, signature_record
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.models import Candidate, Refusal, Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import rpl_claim_create, rpl_decide
from assay.registrations.services import CandidateInput, registration_create

DEMO_DATE = dt.date(2013, 3, 1)
PASSWORD = "assay-demo"
CENTRE_NUMBER = "0042"
APPROVED_FROM = dt.date(2011, 9, 1)
CG = "4430-04"
EDX = "EDEXCEL-L3-NVQ-CS"
HARBOUR = "Harbour Retail Ltd"

# username, first name, last name, role at the centre
STAFF = [
    ("carol", "Carol", "Clarke", Role.CENTRE_ADMIN),
    ("tom", "Tom", "Turner", Role.TUTOR),
    ("alice", "Alice", "Archer", Role.ASSESSOR),
    ("bob", "Bob", "Baker", Role.ASSESSOR),
    ("anna", "Anna", "Ahmed", Role.ASSESSOR),
    ("ian", "Ian", "Irving", Role.INTERNAL_VERIFIER),
    ("linda", "Linda", "Lewis", Role.LEAD_IQA),
    ("eve", "Eve", "Evans", Role.EXTERNAL_VERIFIER),
    ("ed", "Ed", "Edwards", Role.EMPLOYER_CONTACT),
    ("cand1", "Priya", "Shah", Role.CANDIDATE),
    ("cand2", "Hannah", "Cole", Role.CANDIDATE),
    ("cand3", "Liam", "Walsh", Role.CANDIDATE),
]

# username, role, A/V unit, started with the standards, achieved (None: working towards it)
COMPETENCE = [
    ("alice", "assessor", "A1", dt.date(2011, 10, 15), None),  # deadline 15/04/2013: due soon
    ("bob", "assessor", "A1", dt.date(2011, 6, 1), None),  # deadline 01/12/2012: overdue
    ("anna", "assessor", "A1", dt.date(2009, 1, 12), dt.date(2010, 2, 20)),
    ("ian", "internal_verifier", "V1", dt.date(2009, 5, 1), dt.date(2010, 6, 30)),
    ("linda", "internal_verifier", "V1", dt.date(2007, 9, 3), dt.date(2008, 7, 14)),
    ("eve", "external_verifier", "V2", dt.date(2008, 1, 7), dt.date(2008, 11, 28)),
]

CPD = [
    ("alice", dt.date(2012, 11, 20), "6.0", "Standardisation day on the 4430-04 evidence"),
    ("alice", dt.date(2013, 1, 28), "3.0", "A1 portfolio workshop"),
    ("anna", dt.date(2012, 10, 9), "7.5", "Institute of Customer Service conference"),
    ("ian", dt.date(2012, 12, 4), "4.0", "Internal verification sampling update"),
    ("linda", dt.date(2013, 2, 12), "3.5", "Awarding body centre update webinar"),
]

CG_FULL = ["401", "402", "403", "405", "410", "411", "412"]
CG_START = ["401", "402", "405"]
EDX_FULL = ["7", "8", "18", "24", "25", "32", "39", "40"]
EDX_START = ["7", "8", "19"]


@dataclass(frozen=True, slots=True)
class DemoCandidate:
    first: str
    last: str
    born: dt.date
    qualification: str
    registered_on: dt.date
    job_role: str
    employer: str
    plan: list[str]
    assessor: str
    verifier: str
    path: tuple[str, ...] = ()  # statuses after "registered", in order
    account: str = ""
    job_kind: str = "paid"
    held: tuple[str, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)


def _c(*args: Any, **kwargs: Any) -> DemoCandidate:
    return DemoCandidate(*args, **kwargs)


D = dt.date
IN_PROGRESS = ("in_progress",)
COMPLETED = ("in_progress", "completed")
CANDIDATES = [
    _c("Priya", "Shah", D(1984, 3, 12), CG, D(2012, 1, 16), "Customer service manager",
       HARBOUR, CG_FULL[:-1], "alice", "ian", IN_PROGRESS, account="cand1",
       extras={"rpl": "412", "signed": True, "initial": True}),
    _c("Marcus", "Bell", D(1979, 7, 2), CG, D(2011, 11, 7), "Head of customer experience",
       "Northgate Borough Council", CG_FULL, "bob", "ian", IN_PROGRESS),
    _c("Hannah", "Cole", D(1990, 11, 23), EDX, D(2012, 9, 3), "Contact centre team leader",
       HARBOUR, EDX_START, "alice", "ian", account="cand2", extras={"initial": True}),
    _c("Daniel", "Okafor", D(1987, 5, 30), CG, D(2011, 10, 3), "Service delivery manager",
       "Riverside Leisure Trust", CG_FULL, "anna", "linda", COMPLETED),
    _c("Liam", "Walsh", D(1992, 2, 8), EDX, D(2012, 4, 23), "Front desk supervisor",
       "Castle Hotel", EDX_FULL, "anna", "ian", IN_PROGRESS, account="cand3"),
    _c("Fatima", "Hussain", D(1981, 9, 17), CG, D(2012, 6, 11), "Customer relations manager",
       HARBOUR, CG_FULL, "alice", "linda", IN_PROGRESS),
    _c("George", "Whitfield", D(1975, 12, 1), CG, D(2011, 12, 5), "Operations manager",
       "Northgate Water", CG_FULL, "bob", "ian", COMPLETED),
    _c("Chloe", "Martin", D(1993, 4, 25), EDX, D(2012, 11, 19), "Retail supervisor",
       HARBOUR, EDX_START, "alice", "ian"),
    _c("Ravi", "Kumar", D(1986, 8, 14), CG, D(2013, 1, 14), "Service improvement lead",
       "Riverside Leisure Trust", CG_START, "anna", "ian"),
    _c("Emma", "Doyle", D(1989, 1, 30), EDX, D(2011, 10, 24), "Team leader, housing repairs",
       "Northgate Borough Council", EDX_FULL, "anna", "linda", COMPLETED),
    _c("Tomasz", "Nowak", D(1983, 6, 6), CG, D(2012, 3, 5), "Customer service manager",
       "Castle Hotel", CG_START, "bob", "ian", ("in_progress", "withdrawn"),
       extras={"reason": "Left the hotel; no longer in a customer service role"}),
    _c("Aisha", "Bello", D(1991, 10, 9), EDX, D(2012, 7, 2), "Call centre supervisor",
       HARBOUR, EDX_FULL[:6], "alice", "ian", IN_PROGRESS),
    _c("Peter", "Quinn", D(1972, 3, 3), CG, D(2012, 10, 1), "Head of member services",
       "Riverside Leisure Trust", CG_FULL[:5], "anna", "linda", IN_PROGRESS),
    _c("Sarah", "Lloyd", D(1988, 5, 19), EDX, D(2012, 2, 13), "Duty manager",
       "Northgate Leisure Centre", EDX_START, "bob", "ian", ("transferred",),
       extras={"reason": "Moved to the Southgate centre with her employer"}),
    _c("Kwame", "Mensah", D(1985, 12, 22), CG, D(2013, 2, 4), "Customer experience manager",
       HARBOUR, [], "alice", "ian"),
    _c("Olivia", "Reed", D(1994, 8, 1), EDX, D(2013, 2, 18), "Reception team leader",
       "Castle Hotel", [], "anna", "ian"),
    _c("Nathan", "Price", D(1980, 1, 11), CG, D(2012, 5, 14), "Customer service manager",
       "Northgate Water", CG_FULL, "anna", "ian", ("in_progress",)),
    _c("Megan", "Hughes", D(1990, 6, 27), EDX, D(2012, 1, 9), "Service desk supervisor",
       "Northgate Borough Council", EDX_FULL[:4], "alice", "linda", ("withdrawn",),
       extras={"reason": "Long-term sick leave; may re-register later"}),
    _c("Jack", "Thompson", D(1982, 4, 4), CG, D(2012, 8, 20), "Area customer service lead",
       HARBOUR, CG_FULL, "alice", "ian", IN_PROGRESS),
    _c("Zara", "Ali", D(1992, 9, 15), EDX, D(2012, 12, 3), "Team leader",
       "Riverside Leisure Trust", EDX_START, "anna", "linda"),
]  # fmt: skip

# Refused registrations: one per entry rule (name, born, held, registered on, which rule).
REFUSED = [
    ("Jordan", "Lee", D(1996, 6, 14), (), D(2013, 2, 18), "under 18"),
    ("Grace", "Patel", D(1978, 2, 2), (CG,), D(2013, 1, 21), "already holds 4430-04"),
    ("Oliver", "Grant", D(1983, 11, 8), (), D(2014, 8, 1), "after the last registration date"),
]


def _pinned(day: dt.date) -> override_settings:
    """The one clock, pinned to the day a demo step happened."""
    return override_settings(ASSAY_TODAY=day.isoformat())


def _people() -> Iterator[str]:
    users = get_user_model()
    for username, first, last, _ in STAFF:
        email = f"{username}@example.org"  # so self-service password reset works in the demo
        user, created = users.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": email}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        elif not user.email:
            users.objects.filter(pk=user.pk).update(email=email)
        yield f"user {username}: {'created' if created else 'exists'}"


def _centre(admin: Any) -> Iterator[str]:
    centre, created = Centre.objects.get_or_create(
        number=CENTRE_NUMBER,
        defaults={
            "name": "Northgate Training Centre",
            "address": "12 Mill Lane, Northgate NG1 4AB",
        },
    )
    yield f"centre {centre}: {'created' if created else 'exists'}"
    for name, address in [
        ("Northgate main campus", "12 Mill Lane, Northgate NG1 4AB"),
        ("Riverside Business Park", "Unit 4, Riverside Business Park, Northgate NG3 2RP"),
    ]:
        if not Site.objects.filter(centre=centre, name=name).exists():
            site_add(by=admin, centre=centre, name=name, address=address)
    for code in (CG, EDX):
        if not QualificationApproval.objects.filter(
            centre=centre, qualification_code=code
        ).exists():
            approval_record(
                by=admin,
                centre=centre,
                approval=ApprovalInput(code, "approved", APPROVED_FROM),
            )
            yield f"approval {code} from {APPROVED_FROM:%d/%m/%Y}: recorded"
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_names())}
    for username, _, _, role in STAFF:
        membership_grant(by=admin, centre=centre, user=users[username], role=role)
    carol = users["carol"]
    for username, kind, unit, started, achieved in COMPETENCE:
        person = users[username]
        if Competence.objects.filter(user=person, role=kind, av_unit=unit).exists():
            continue
        competence_record(
            by=admin if kind == "external_verifier" else carol,  # an EV's: the awarding body
            centre=centre,
            user=person,
            role=kind,
            av_unit=unit,
            started_on=started,
            achieved_on=achieved,
        )
    for username, on, hours, activity in CPD:
        person = users[username]
        if not CpdEntry.objects.filter(user=person, on=on, activity=activity).exists():
            cpd_record(by=person, user=person, on=on, hours=Decimal(hours), activity=activity)
    yield "staff roles, sites, A/V units and CPD: in place"


def _names() -> list[str]:
    return [username for username, *_ in STAFF]


def _register(centre: Centre, who: dict[str, Any], c: DemoCandidate) -> Registration:
    carol = who["carol"]
    registration = registration_create(
        by=carol,
        centre=centre,
        qualification_key=c.qualification,
        candidate_input=CandidateInput(
            first_name=c.first,
            last_name=c.last,
            date_of_birth=c.born,
            email=f"{c.first.lower()}.{c.last.lower()}@example.org",
            phone=f"01632 960{CANDIDATES.index(c):03d}",
            employer=c.employer,
            job_role=c.job_role,
            job_kind=c.job_kind,
            held=c.held,
        ),
        registered_on=c.registered_on,
    )
    candidate = registration.candidate
    if c.account:
        candidate_account_link(by=carol, candidate=candidate, user=who[c.account])
    if c.employer == HARBOUR:
        candidate_employer_contact_set(by=carol, candidate=candidate, user=who["ed"])
    assessor = who[c.assessor]
    with _pinned(c.registered_on):
        plan_set(
            by=carol,
            registration=registration,
            units=[PlanUnitInput(n, assessor.pk, None) for n in c.plan],
            internal_verifier_id=who[c.verifier].pk,
        )
    _extras(registration, who, c)
    for step, status in enumerate(c.path, start=1):
        if status == "completed":
            _credit_plan(registration, who, c)
        reason = c.extras.get("reason", "") if step == len(c.path) else ""
        registration_transition(
            by=carol,
            registration=registration,
            to=status,
            reason=reason or DEMO_REASONS[status],
            confirmed=True,
        )
    return registration


# The reason the demo gives for a status change when the candidate's row names none.
DEMO_REASONS = {
    "in_progress": "Induction done and the learning plan agreed; assessment starts.",
    "completed": "Every rule of combination is met by units credited from prior learning.",
    "withdrawn": "The candidate asked to withdraw.",
    "transferred": "The candidate moved to another centre.",
    "expired": "The period of registration ended.",
}


def _credit_plan(registration: Registration, who: dict[str, Any], c: DemoCandidate) -> None:
    """A completed demo registration needs its units achieved: here each planned unit is
    credited through recognition of prior learning, accepted by the candidate's assessor."""
    for unit in c.plan:
        claim = rpl_claim_create(
            by=who["carol"],
            registration=registration,
            unit=unit,
            evidence=f"Unit {unit} certificated by a previous centre (credit transfer); "
            "certificate checked against the unit's criteria.",
        )
        rpl_decide(by=who[c.assessor], claim=claim, accept=True)


def _extras(registration: Registration, who: dict[str, Any], c: DemoCandidate) -> None:
    if c.extras.get("initial"):
        initial_assessment_record(
            by=who["tom"],
            registration=registration,
            training_needs="Report writing for service reviews; use of the complaints system.",
            support_needs="Evening assessment visits to fit shift work.",
            job_role_facts={
                "delivers_service_directly": True,
                "monitors_or_develops_quality": True,
                "leads_team_or_department": True,
                "plans_or_implements_strategy": c.qualification == CG,
                "advises_on_customer_service": False,
                "first_qualification_or_new_to_work": False,
            },
        )
    if unit := c.extras.get("rpl"):
        claim = rpl_claim_create(
            by=who["carol"],
            registration=registration,
            unit=unit,
            evidence="Certificate and portfolio from a 2010 in-company programme on "
            "customer service improvement, checked against the unit's criteria.",
        )
        rpl_decide(by=who[c.assessor], claim=claim, accept=True)
    if c.extras.get("signed"):
        for document in ("induction", "learning_contract"):
            text = document_text(registration, document)
            for username, capacity in [(c.account, "candidate"), (c.assessor, "assessor")]:
                signature_record(
                    by=who[username],
                    registration=registration,
                    document=document,
                    capacity=capacity,
                    text=text,
                    ip_address="127.0.0.1",
                    user_agent="Assay demo loader",
                )
        signature_record(
            by=who["ed"],
            registration=registration,
            document="learning_contract",
            capacity="employer",
            text=document_text(registration, "learning_contract"),
            ip_address="127.0.0.1",
            user_agent="Assay demo loader",
        )


def _refusals(centre: Centre, carol: Any) -> Iterator[str]:
    for first, last, born, held, on, rule in REFUSED:
        name = f"{first} {last}"
        if Refusal.objects.filter(centre=centre, candidate_name=name).exists():
            yield f"refused {name} ({rule}): exists"
            continue
        try:
            registration_create(
                by=carol,
                centre=centre,
                qualification_key=CG,
                candidate_input=CandidateInput(
                    first_name=first,
                    last_name=last,
                    date_of_birth=born,
                    job_role="Customer service adviser",
                    held=held,
                ),
                registered_on=on,
            )
        except RegistrationRefused as refused:
            yield f"refused {name} ({rule}): {refused.reasons[0][0]}"
        else:  # pragma: no cover - the rules changed under the demo
            raise RuntimeError(f"the demo expected {name}'s registration to be refused")


def demo_centre_load() -> Iterator[str]:
    """Create the demo centre, its people and candidates, skipping whatever already exists."""
    yield from _people()
    admin = get_user_model().objects.get(username="admin")
    with _pinned(DEMO_DATE):
        yield from _centre(admin)
        centre = Centre.objects.get(number=CENTRE_NUMBER)
        who = {u.username: u for u in get_user_model().objects.filter(username__in=_names())}
        created = 0
        for c in CANDIDATES:
            if Candidate.objects.filter(
                centre=centre, first_name=c.first, last_name=c.last
            ).exists():
                continue
            with transaction.atomic():
                _register(centre, who, c)
            created += 1
        yield f"candidates: {created} registered, {len(CANDIDATES) - created} already there"
        yield from _refusals(centre, who["carol"])
