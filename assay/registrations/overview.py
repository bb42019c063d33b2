"""Read models for the centre and registration pages: each page asks one function here.

Everything is narrowed to what the user may see (``centres_visible_to``,
``registrations_visible_to``): an object outside that raises NotFound exactly like a missing
one. Pages that only some roles may open raise NotAllowed. The ``can_…`` flags only decide
which buttons a page offers; the services check every action again themselves (ADR 0006).
No rule is decided here: deadlines, lifecycle moves, entry rules and plan checks come from the
engines through the services and selectors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from assay.catalogue.models import Qualification, Unit
from assay.catalogue.planning import plan_check, plan_complete
from assay.catalogue.selectors import (
    NotFound,
    qualification_engine_spec,
    qualification_get,
    qualification_list,
    units_overview,
    units_without_content,
)
from assay.centres.models import (
    Centre,
    Competence,
    CompetenceRole,
    CpdEntry,
    Membership,
    QualificationApproval,
    Role,
    Site,
)
from assay.centres.permissions import (
    STAFF_ROLES,
    AnyUser,
    can_administer,
    can_change_status,
    roles_at,
)
from assay.centres.services import can_take_new_candidates, competence_decisions
from assay.engines.competence.deadlines import Competence as CompetenceDecision
from assay.engines.competence.deadlines import CompetenceStatus
from assay.engines.entry.rules import CentreApproval, EntryDecision, PeriodEnd
from assay.engines.registration.lifecycle import FINAL, MEANINGS, allowed_targets, expiry_due
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.errors import InvalidInput, NotAllowed
from assay.registrations.dashboard import centre_get
from assay.registrations.expiry import due_to_expire_count
from assay.registrations.facts import current_approval
from assay.registrations.models import (
    Candidate,
    Extension,
    InitialAssessment,
    PlanUnit,
    Refusal,
    Registration,
    RplClaim,
    Signature,
    SignatureDocument,
    Status,
    StatusChange,
)
from assay.registrations.selectors import refusals_at, registration_get, registrations_visible_to
from assay.registrations.services import (
    CandidateInput,
    accepted_rpl,
    registration_check,
    registration_period,
)
from assay.registrations.status import completion_check

User = AbstractBaseUser

# Most urgent first on the dashboard.
_URGENCY = {
    CompetenceStatus.OVERDUE: 0,
    CompetenceStatus.DUE_SOON: 1,
    CompetenceStatus.ON_TRACK: 2,
    CompetenceStatus.QUALIFIED: 3,
}
IV_ROLES = (Role.INTERNAL_VERIFIER, Role.LEAD_IQA)


def _staff(centre: Centre) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(centre=centre, active=True)
        .exclude(role=Role.CANDIDATE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role", "pk")
    )


# --- Centre dashboard -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusGroup:
    status: str
    label: str
    registrations: list[Registration]

    @property
    def count(self) -> int:
        return len(self.registrations)


@dataclass(frozen=True, slots=True)
class StaffDeadline:
    person: Any
    roles: list[str]
    competence: Competence
    decision: CompetenceDecision


@dataclass(frozen=True, slots=True)
class ApprovalInForce:
    qualification_code: str
    approval: CentreApproval | None


@dataclass(frozen=True, slots=True)
class CentreDashboard:
    centre: Centre
    today: dt.date
    roles: frozenset[str]
    can_administer: bool
    statuses: list[StatusGroup]
    deadlines: list[StaffDeadline]
    approvals: list[ApprovalInForce]
    refusals: list[Refusal]
    sites: list[Site]
    due_to_expire: int  # registrations past their end date (counted for administrators only)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.statuses)

    @property
    def read_only(self) -> bool:
        return not self.can_administer

    @property
    def external_verifier(self) -> bool:
        return Role.EXTERNAL_VERIFIER in self.roles and not self.can_administer

    @property
    def keeps_anchors(self) -> bool:
        """May download the record anchors (``portfolios/anchors.py``)."""
        return self.can_administer or bool(self.roles & {Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})


def centre_dashboard(user: AnyUser, pk: int, today: dt.date) -> CentreDashboard:
    """Candidates by status (only those the user may see), staff A/V deadlines, approvals in
    force today, sites, and for administrators the refusals log and how many registrations
    are due to expire."""
    centre = centre_get(user, pk)
    admin = can_administer(user, centre)
    visible = list(
        registrations_visible_to(user)
        .filter(centre=centre)
        .select_related(None)
        .select_related("candidate", "qualification")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    statuses = [
        StatusGroup(value, str(label), [r for r in visible if r.status == value])
        for value, label in Status.choices
    ]
    return CentreDashboard(
        centre=centre,
        today=today,
        roles=frozenset(roles_at(user, centre)),
        can_administer=admin,
        statuses=statuses,
        deadlines=_deadlines(centre, today),
        approvals=_approvals(centre, today),
        refusals=list(refusals_at(user, centre).select_related("by")),
        sites=list(centre.sites.all()),
        due_to_expire=due_to_expire_count(centre, today) if admin else 0,
    )


def _deadlines(centre: Centre, today: dt.date) -> list[StaffDeadline]:
    roles: dict[int, list[str]] = {}
    people: dict[int, Any] = {}
    for membership in _staff(centre).filter(role__in=STAFF_ROLES):
        people[membership.user_id] = membership.user
        roles.setdefault(membership.user_id, []).append(membership.get_role_display())
    rows = [
        StaffDeadline(person, roles[pk], competence, decision)
        for pk, person in people.items()
        for competence, decision in competence_decisions(person, today)
    ]
    return sorted(rows, key=lambda row: _URGENCY[row.decision.status])


def _approvals(centre: Centre, today: dt.date) -> list[ApprovalInForce]:
    codes = (
        QualificationApproval.objects.filter(centre=centre)
        .order_by("qualification_code")
        .values_list("qualification_code", flat=True)
        .distinct()
    )
    return [ApprovalInForce(code, current_approval(centre, code, today)) for code in codes]


# --- People and roles -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    user: Any
    memberships: list[Membership]
    competences: list[tuple[Competence, CompetenceDecision | None]]
    cpd: list[CpdEntry]
    can_record_competence: bool  # offer the A/V unit forms (the services decide)
    can_log_cpd: bool  # offer the CPD form: their own, or a centre administrator's

    @property
    def cpd_hours(self) -> Decimal:
        return sum((entry.hours for entry in self.cpd), Decimal(0))

    def competence(self, pk: int) -> Competence:
        """One of this person's A/V unit records, or NotFound."""
        for row, _ in self.competences:
            if row.pk == pk:
                return row
        raise NotFound(f"no A/V unit record {pk} for {self.user.get_username()}")


@dataclass(frozen=True, slots=True)
class CentrePeople:
    centre: Centre
    today: dt.date
    people: list[Person]
    can_grant: bool
    qualification_codes: list[str]
    competence_roles: list[tuple[str, str]]  # an EV's units: the awarding body only

    def person(self, user_id: int) -> Person:
        """Someone on this page, or NotFound (missing and not-here alike)."""
        for person in self.people:
            if person.user.pk == user_id:
                return person
        raise NotFound(f"no person {user_id} at centre {self.centre.number}")


def centre_people(user: AnyUser, pk: int, today: dt.date) -> CentrePeople:
    """Everyone holding a role at the centre (candidates aside), with their competence
    records (A/V deadline decisions where the services give one) and CPD log, and which
    forms to offer: A/V units for administrators, CPD for oneself and administrators."""
    centre = centre_get(user, pk)
    admin = can_administer(user, centre)
    memberships: dict[int, list[Membership]] = {}
    users: dict[int, Any] = {}
    for membership in _staff(centre):
        users[membership.user_id] = membership.user
        memberships.setdefault(membership.user_id, []).append(membership)
    competences: dict[int, list[Competence]] = {}
    for row in Competence.objects.filter(user_id__in=users).order_by("user", "role", "pk"):
        competences.setdefault(row.user_id, []).append(row)
    cpd: dict[int, list[CpdEntry]] = {}
    for entry in CpdEntry.objects.filter(user_id__in=users):
        cpd.setdefault(entry.user_id, []).append(entry)
    people = []
    for pk_, person in users.items():
        decided = {row.pk: d for row, d in competence_decisions(person, today)}
        staff = any(m.role in STAFF_ROLES for m in memberships[pk_])
        people.append(
            Person(
                person,
                memberships[pk_],
                [(row, decided.get(row.pk)) for row in competences.get(pk_, [])],
                cpd.get(pk_, []),
                can_record_competence=admin and staff,
                can_log_cpd=staff and (admin or pk_ == user.pk),
            )
        )
    codes = sorted({q.code for q in qualification_list()})
    superuser = bool(getattr(user, "is_superuser", False))
    roles = [
        (value, str(label))
        for value, label in CompetenceRole.choices
        if superuser or value != CompetenceRole.EXTERNAL_VERIFIER
    ]
    return CentrePeople(centre, today, people, admin, codes, roles)


# --- Registration wizard ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistrationForm:
    centre: Centre
    qualifications: list[Qualification]
    today: dt.date


def registration_form(user: AnyUser, pk: int, today: dt.date) -> RegistrationForm:
    """What the registration wizard offers; only a centre administrator may open it."""
    centre = centre_get(user, pk)
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can register candidates")
    return RegistrationForm(centre, qualification_list(), today)


@dataclass(frozen=True, slots=True)
class RegistrationPreview:
    qualification: Qualification
    registered_on: dt.date
    decision: EntryDecision
    period: PeriodEnd


def registration_preview(
    user: AnyUser,
    pk: int,
    *,
    qualification_key: str,
    candidate: CandidateInput,
    registered_on: dt.date,
) -> RegistrationPreview:
    """The entry rules' decision and the end date a registration would get; saves nothing."""
    centre = centre_get(user, pk)
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can register candidates")
    qual = qualification_get(qualification_key)
    decision = registration_check(
        centre=centre, qualification=qual, candidate=candidate, registered_on=registered_on
    )
    return RegistrationPreview(
        qual, registered_on, decision, registration_period(qual, registered_on)
    )


# --- Registration (candidate) page -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanRow:
    unit: PlanUnit
    title: str
    level: int | None
    credit: int | None


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: str
    label: str
    text: str
    sha256: str
    signatures: list[Signature]


@dataclass(frozen=True, slots=True)
class StatusOption:
    """A status the registration may move to, what it means, and (for *completed*) whether
    the rules of combination allow it yet and why not."""

    value: str
    label: str
    meaning: str
    final: bool
    available: bool = True
    why_not: tuple[str, ...] = ()


def status_options(registration: Registration) -> list[StatusOption]:
    """The next statuses with their meanings, final ones flagged, *completed* checked."""
    options = []
    for target in allowed_targets(LifeStatus(registration.status)):
        available, why_not = True, tuple[str, ...]()
        if target is LifeStatus.COMPLETED:
            completion = completion_check(registration)
            available = completion.allowed
            why_not = () if completion.allowed else completion.reasons
        options.append(
            StatusOption(
                target.value,
                str(Status(target.value).label),
                MEANINGS[target],
                target in FINAL,
                available,
                why_not,
            )
        )
    return options


@dataclass(frozen=True, slots=True)
class RegistrationPage:
    registration: Registration
    candidate: Candidate
    today: dt.date
    expiry_due: bool
    next_statuses: list[StatusOption]
    extensions: list[Extension]
    plan: list[PlanRow]
    plan_decision: dict[str, Any]
    accepted_rpl: list[str]
    rpl_claims: list[RplClaim]
    unit_choices: list[tuple[str, str]]
    initial_assessment: InitialAssessment | None
    documents: list[DocumentView]
    history: list[StatusChange]
    held: list[str]
    can_change_status: bool
    can_edit_plan: bool
    can_assess_initially: bool
    can_claim_rpl: bool
    can_decide_rpl: bool
    sign_as: list[str]
    can_link_accounts: bool
    employer_contacts: list[Any]  # the centre's employer contacts (administrators only)
    sees_personal_details: bool = True  # date of birth and phone (not employer contacts)
    # Units whose content is not in the catalogue (ADR 0010) and who may credit units.
    without_content: frozenset[str] = frozenset()
    can_record_credit_transfer: bool = False


def _units(qual: Qualification) -> dict[str, Any]:
    return {u.number: u for u in qualification_engine_spec(qual).units}


def signing_capacities(user: AnyUser, registration: Registration) -> list[str]:
    """The capacities in which ``user`` is offered the sign buttons (the service decides)."""
    plan = list(registration.plan_units.all())
    offered = [
        ("candidate", registration.candidate.user_id == user.pk),
        ("assessor", any(u.assessor_id == user.pk for u in plan)),
        ("employer", registration.candidate.employer_contact_id == user.pk),
    ]
    return [capacity for capacity, yes in offered if yes and user.is_authenticated]


def document_text(registration: Registration, document: str) -> str:
    """The exact text a signature on ``document`` covers (its SHA-256 is recorded)."""
    candidate = registration.candidate
    qual = registration.qualification
    head = (
        f"Candidate: {candidate.first_name} {candidate.last_name}\n"
        f"Centre: {registration.centre.name} ({registration.centre.number})\n"
        f"Qualification: {qual.code} {qual.title}\n"
        f"Registered on: {registration.registered_on:%d/%m/%Y}; "
        f"assessment must be complete by {registration.end_date:%d/%m/%Y}.\n"
    )
    if document == SignatureDocument.INDUCTION:
        return head + (
            "Induction checklist. The candidate has been told about, and understands:\n"
            "1. the requirements of the qualification they will work towards;\n"
            "2. their responsibilities as a candidate;\n"
            "3. the responsibilities of the centre;\n"
            "4. who their assessors and internal verifier are, and how assessment is "
            "carried out in their real job;\n"
            "5. how to appeal against an assessment decision."
        )
    if document == SignatureDocument.LEARNING_CONTRACT:
        units = _units(qual)
        lines = []
        for row in registration.plan_units.all():
            unit = units.get(row.unit_number)
            title = unit.title if unit is not None else ""
            who = _name(row.assessor) if row.assessor else "assessor to be named"
            when = f", target {row.target_date:%d/%m/%Y}" if row.target_date else ""
            lines.append(f"- Unit {row.unit_number} {title} ({who}{when})")
        plan = "\n".join(lines) or "- No units planned yet"
        iv = _name(registration.internal_verifier) if registration.internal_verifier else "none"
        return head + (
            "Learning contract. The candidate, the assessors and the employer agree to the "
            "learning plan below and to assessment in the candidate's real job.\n"
            f"Units:\n{plan}\nInternal verifier: {iv}"
        )
    raise ValueError(f"unknown document {document!r}")


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def registration_page(user: AnyUser, pk: int, today: dt.date) -> RegistrationPage:
    """A registration the user may see, with everything its page shows."""
    registration = registration_get(user, pk)
    centre = registration.centre
    roles = roles_at(user, centre)
    admin = can_administer(user, centre)
    units = _units(registration.qualification)
    plan_units = list(registration.plan_units.all())
    rpl = accepted_rpl(registration)
    claims = list(
        RplClaim.objects.filter(registration=registration)
        .select_related("decided_by")
        .order_by("created_at", "pk")
    )
    signatures = list(registration.signatures.all())
    documents = []
    for value, label in SignatureDocument.choices:
        text = document_text(registration, value)
        documents.append(
            DocumentView(
                value,
                str(label),
                text,
                hashlib.sha256(text.encode("utf-8")).hexdigest(),
                [s for s in signatures if s.document == value],
            )
        )
    status = LifeStatus(registration.status)
    change = can_change_status(user, centre)
    return RegistrationPage(
        registration=registration,
        candidate=registration.candidate,
        today=today,
        expiry_due=expiry_due(status, registration.end_date, today),
        next_statuses=status_options(registration) if change else [],
        extensions=list(registration.extensions.select_related("by")),
        plan=[
            PlanRow(
                row,
                getattr(units.get(row.unit_number), "title", ""),
                getattr(units.get(row.unit_number), "level", None),
                getattr(units.get(row.unit_number), "credit", None),
            )
            for row in plan_units
        ],
        plan_decision=plan_check(
            registration.qualification, [u.unit_number for u in plan_units] + rpl
        ),
        accepted_rpl=rpl,
        rpl_claims=claims,
        unit_choices=[(n, f"{n} {u.title}") for n, u in units.items()],
        initial_assessment=InitialAssessment.objects.filter(registration=registration)
        .select_related("by")
        .first(),
        documents=documents,
        history=list(registration.history.all()),
        held=list(registration.candidate.held.values_list("qualification_code", flat=True)),
        can_change_status=change,
        can_edit_plan=admin,
        can_assess_initially=admin or Role.TUTOR in roles,
        can_claim_rpl=admin or registration.candidate.user_id == user.pk,
        can_decide_rpl=any(u.assessor_id == user.pk for u in plan_units),
        sign_as=signing_capacities(user, registration),
        can_link_accounts=admin,
        employer_contacts=[m.user for m in _staff(centre).filter(role=Role.EMPLOYER_CONTACT)]
        if admin
        else [],
        sees_personal_details=admin
        or registration.candidate.user_id == user.pk
        or bool(roles & set(STAFF_ROLES))
        or bool(getattr(user, "is_superuser", False)),
        without_content=units_without_content(registration.qualification),
        can_record_credit_transfer=admin
        or (Role.ASSESSOR in roles and any(u.assessor_id == user.pk for u in plan_units)),
    )


# --- Learning plan editor --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessorChoice:
    user: Any
    can_take_new_candidates: bool


@dataclass(frozen=True, slots=True)
class PlanEditor:
    registration: Registration
    units: list[Unit]
    planned: dict[str, PlanUnit]
    assessors: list[AssessorChoice]
    verifiers: list[Any]
    decision: dict[str, Any]
    accepted_rpl: list[str]
    without_content: frozenset[str] = frozenset()


def plan_editor(user: AnyUser, pk: int, today: dt.date) -> PlanEditor:
    """The plan form: the qualification's units, the centre's assessors (with whether each
    may be given new candidates) and internal verifiers. Centre administrators only."""
    registration = registration_get(user, pk)
    centre = registration.centre
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can change the learning plan")
    staff = list(_staff(centre))
    assessors: dict[int, Any] = {m.user_id: m.user for m in staff if m.role == Role.ASSESSOR}
    verifiers: dict[int, Any] = {m.user_id: m.user for m in staff if m.role in IV_ROLES}
    plan_units = list(registration.plan_units.all())
    rpl = accepted_rpl(registration)
    return PlanEditor(
        registration=registration,
        units=list(units_overview(registration.qualification)),
        planned={u.unit_number: u for u in plan_units},
        assessors=[
            AssessorChoice(person, can_take_new_candidates(person, today))
            for person in assessors.values()
        ],
        verifiers=list(verifiers.values()),
        decision=plan_check(registration.qualification, [u.unit_number for u in plan_units] + rpl),
        accepted_rpl=rpl,
        without_content=units_without_content(registration.qualification),
    )


def _editable(user: AnyUser, pk: int) -> Registration:
    registration = registration_get(user, pk)
    if not can_administer(user, registration.centre):
        raise NotAllowed("only a centre administrator can change the learning plan")
    return registration


@dataclass(frozen=True, slots=True)
class PlanPreview:
    registration: Registration
    units: list[str]
    accepted_rpl: list[str]
    decision: dict[str, Any] | None = None
    completion: dict[str, Any] | None = None
    suggested: list[Any] | None = None


def plan_preview(user: AnyUser, pk: int, units: list[str]) -> PlanPreview:
    """The rules engine's check of ticked units plus accepted RPL; saves nothing."""
    registration = _editable(user, pk)
    rpl = accepted_rpl(registration)
    try:
        decision = plan_check(registration.qualification, [*units, *rpl])
    except NotFound as exc:
        raise InvalidInput({"unit": str(exc)}) from exc
    return PlanPreview(registration, units, rpl, decision=decision)


def plan_suggestion(
    user: AnyUser, pk: int, units: list[str], allow_without_content: bool | None = None
) -> PlanPreview:
    """The planner's optimal completion of the ticked units plus accepted RPL. Units whose
    content is not in the catalogue are suggested only when the plan allows them (None: the
    registration's saved choice; ADR 0010)."""
    registration = _editable(user, pk)
    rpl = accepted_rpl(registration)
    allow = (
        registration.allow_units_without_content
        if allow_without_content is None
        else allow_without_content
    )
    try:
        completion = plan_complete(
            registration.qualification, have=[*units, *rpl], allow_without_content=allow
        )
    except NotFound as exc:
        raise InvalidInput({"unit": str(exc)}) from exc
    known = _units(registration.qualification)
    suggested = [known[n] for n in completion["add"]]
    return PlanPreview(registration, units, rpl, completion=completion, suggested=suggested)
