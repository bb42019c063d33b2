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
from dataclasses import dataclass
from typing import Any

from assay.catalogue.models import Qualification, Unit
from assay.catalogue.planning import PlanCompletion, PlanDecision, plan_check, plan_complete
from assay.catalogue.selectors import (
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
    Role,
)
from assay.centres.permissions import (
    STAFF_ROLES,
    can_administer,
)
from assay.centres.selectors import competence_get
from assay.centres.services import can_take_new_candidates
from assay.engines.entry.rules import EntryDecision, PeriodEnd
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.keyset import Page, paginate
from assay.registrations.candidate_list import CandidateFilter, centre_candidates_page
from assay.registrations.dashboard import CentreDashboard, centre_dashboard, centre_get
from assay.registrations.models import (
    PlanUnit,
    Refusal,
    Registration,
    Status,
)
from assay.registrations.prior_learning import accepted_rpl
from assay.registrations.selectors import refusals_at, registration_get
from assay.registrations.services import CandidateInput, registration_check, registration_period
from assay.registrations.staff import (
    STAFF_ORDER,
    PersonAtCentre,
    centre_staff,
    people_at,
    staff_users,
)
from assay.users import AnyUser

IV_ROLES = (Role.INTERNAL_VERIFIER, Role.LEAD_IQA)


# --- Centre dashboard -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    label: str
    count: int


REFUSALS_PAGE = 20


@dataclass(frozen=True, slots=True)
class CentreDashboardPage:
    """The dashboard's figures (``dashboard.CentreDashboard``, the read model the API and the
    CLI answer with) and what only the page shows: the count of each status, one keyset page
    of the candidates (narrowed by ``narrow``), one page of the refusals log for
    administrators, and which actions to offer. Nothing on it grows with the number of
    learners (issue 12)."""

    centre: Centre
    figures: CentreDashboard
    can_administer: bool
    statuses: list[StatusCount]
    narrow: CandidateFilter
    candidates: Page[Registration]
    refusals: Page[Refusal]

    @property
    def qualifications(self) -> list[str]:
        """The codes a candidate list can be narrowed to: the centre's approvals."""
        return [row.qualification for row in self.figures.approvals]

    @property
    def narrowed(self) -> bool:
        return bool(self.narrow.status or self.narrow.qualification or self.narrow.search)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.figures.centre.roles)

    @property
    def external_verifier(self) -> bool:
        return Role.EXTERNAL_VERIFIER in self.roles and not self.can_administer

    @property
    def sees_eqa(self) -> bool:
        """May open the external verification page (``assay/eqa/access.py``)."""
        return self.can_administer or bool(self.roles & {Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})

    @property
    def keeps_anchors(self) -> bool:
        """May download the record anchors (``portfolios/anchors.py``)."""
        return self.can_administer or bool(self.roles & {Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})


def centre_dashboard_page(
    user: AnyUser,
    pk: int,
    today: dt.date,
    narrow: CandidateFilter | None = None,
    cursor: str | None = None,
    size: int | str | None = None,
    refusals_cursor: str | None = None,
) -> CentreDashboardPage:
    """The centre's figures (only candidates the user may see), one page of its candidates
    (``cursor``, ``size``; InvalidInput for a bad one) and for administrators one page of the
    refusals log (``refusals_cursor``). A constant number of queries whatever the centre's
    size: counts come from aggregates, lists from keyset pages."""
    centre = centre_get(user, pk)
    admin = can_administer(user, centre)
    figures = centre_dashboard(user, centre, today)
    narrow = narrow or CandidateFilter()
    candidates = centre_candidates_page(user, centre, narrow, cursor, size)
    counts = figures.registrations.by_status
    statuses = [StatusCount(value, str(label), counts[value]) for value, label in Status.choices]
    refusals = paginate(
        refusals_at(user, centre).select_related("by"),
        ("-at", "-pk"),
        refusals_cursor if admin else None,
        REFUSALS_PAGE,
    )
    return CentreDashboardPage(centre, figures, admin, statuses, narrow, candidates, refusals)


# --- People and roles -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the people page: their read model (``staff.PersonAtCentre``, whose A/V
    units and CPD entries are the API's ``CompetenceState`` and ``CpdOut``), the account the
    forms act on, and which forms to offer (the services decide)."""

    user: Any
    facts: PersonAtCentre
    can_record_competence: bool  # offer the A/V unit forms
    can_log_cpd: bool  # offer the CPD form: their own, or a centre administrator's

    def competence(self, pk: int) -> Competence:
        """One of this person's A/V unit records, or NotFound."""
        return competence_get(self.user, pk)


@dataclass(frozen=True, slots=True)
class CentrePeople:
    centre: Centre
    today: dt.date
    people: list[Person]  # one keyset page of them (``pages``), by name
    can_grant: bool
    qualification_codes: list[str]
    competence_roles: list[tuple[str, str]]  # an EV's units: the awarding body only
    pages: Page[Any] | None = None  # the cursors around ``people``

    def person(self, user_id: int) -> Person:
        """Someone on this page, or NotFound (missing and not-here alike)."""
        for person in self.people:
            if person.user.pk == user_id:
                return person
        raise NotFound(f"no person {user_id} at centre {self.centre.number}")


def centre_people(
    user: AnyUser,
    pk: int,
    today: dt.date,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    person_id: int | None = None,
) -> CentrePeople:
    """A keyset page of the people holding a role at the centre (candidates aside), by name,
    with their competence records (with the engine's A/V deadline verdict) and CPD log, and
    which forms to offer: A/V units for administrators, CPD for oneself and administrators.
    ``person_id``: a form posted for that person from this page; they are shown even if the
    page moved on meanwhile (someone was added before them)."""
    centre = centre_get(user, pk)
    admin = can_administer(user, centre)
    found = paginate(staff_users(centre), STAFF_ORDER, cursor, size)
    among = [u.pk for u in found.items]
    if person_id is not None and person_id not in among:
        among.append(person_id)  # narrowed to the centre's staff by ``people_at``
    people = []
    for account, facts in people_at(centre, today, among):
        staff = any(role.role in STAFF_ROLES for role in facts.roles)
        people.append(
            Person(
                account,
                facts,
                can_record_competence=admin and staff,
                can_log_cpd=staff and (admin or account.pk == user.pk),
            )
        )
    codes = sorted({q.code for q in qualification_list()})
    superuser = bool(getattr(user, "is_superuser", False))
    roles = [
        (value, str(label))
        for value, label in CompetenceRole.choices
        if superuser or value != CompetenceRole.EXTERNAL_VERIFIER
    ]
    return CentrePeople(centre, today, people, admin, codes, roles, found)


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


def units_by_number(qual: Qualification) -> dict[str, Any]:
    return {u.number: u for u in qualification_engine_spec(qual).units}


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
    decision: PlanDecision
    accepted_rpl: list[str]
    without_content: frozenset[str] = frozenset()


def plan_editor(user: AnyUser, pk: int, today: dt.date) -> PlanEditor:
    """The plan form: the qualification's units, the centre's assessors (with whether each
    may be given new candidates) and internal verifiers. Centre administrators only."""
    registration = registration_get(user, pk)
    centre = registration.centre
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can change the learning plan")
    staff = list(centre_staff(centre))
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
    decision: PlanDecision | None = None
    completion: PlanCompletion | None = None
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
    known = units_by_number(registration.qualification)
    suggested = [known[n] for n in completion.add]
    return PlanPreview(registration, units, rpl, completion=completion, suggested=suggested)
