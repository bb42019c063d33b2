"""The registration page: the registration with its plan, documents, history and the statuses
it may move to (*completed* only when the signed-off and credited units meet the rules of
combination, so this read model sits above portfolios)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assay.catalogue.planning import PlanDecision, plan_check
from assay.catalogue.selectors import (
    units_without_content,
)
from assay.centres.models import (
    Role,
)
from assay.centres.permissions import (
    can_administer,
    can_change_status,
    roles_at,
    sees_personal_details,
)
from assay.engines.registration.lifecycle import FINAL, MEANINGS, allowed_targets, expiry_due
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.files.digest import text_sha256
from assay.progress.completion import completion_check
from assay.registrations.models import (
    Candidate,
    Extension,
    InitialAssessment,
    PlanUnit,
    Registration,
    RplClaim,
    Signature,
    SignatureDocument,
    Status,
)
from assay.registrations.overview import units_by_number
from assay.registrations.prior_learning import accepted_rpl
from assay.registrations.selectors import registration_get
from assay.registrations.shapes import CandidateOut, HistoryEntry, InitialAssessmentOut, RplOut
from assay.registrations.staff import centre_staff
from assay.users import AnyUser, User

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
    plan_decision: PlanDecision
    accepted_rpl: list[str]
    rpl_claims: list[RplOut]
    unit_choices: list[tuple[str, str]]
    initial_assessment: InitialAssessmentOut | None
    documents: list[DocumentView]
    history: list[HistoryEntry]
    facts: CandidateOut  # the API's candidate: no date of birth or phone unless seen
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
        units = units_by_number(qual)
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


def _name(user: User) -> str:
    return str(user.get_full_name() or user.get_username())


def registration_page(user: AnyUser, pk: int, today: dt.date) -> RegistrationPage:
    """A registration the user may see, with everything its page shows."""
    registration = registration_get(user, pk)
    centre = registration.centre
    roles = roles_at(user, centre)
    admin = can_administer(user, centre)
    units = units_by_number(registration.qualification)
    plan_units = list(registration.plan_units.all())
    rpl = accepted_rpl(registration)
    claims = list(
        RplClaim.objects.filter(registration=registration)
        .select_related("decided_by")
        .order_by("created_at", "pk")
    )
    signatures = list(registration.signatures.all())
    assessment = (
        InitialAssessment.objects.filter(registration=registration).select_related("by").first()
    )
    documents = []
    for value, label in SignatureDocument.choices:
        text = document_text(registration, value)
        documents.append(
            DocumentView(
                value,
                str(label),
                text,
                text_sha256(text),
                [s for s in signatures if s.document == value],
            )
        )
    status = LifeStatus(registration.status)
    change = can_change_status(user, centre)
    personal = sees_personal_details(user, centre, registration.candidate.user_id)
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
        rpl_claims=[RplOut.of(claim) for claim in claims],
        unit_choices=[(n, f"{n} {u.title}") for n, u in units.items()],
        initial_assessment=None if assessment is None else InitialAssessmentOut.of(assessment),
        documents=documents,
        history=[HistoryEntry.of(h) for h in registration.history.select_related("by")],
        facts=CandidateOut.of(registration.candidate, personal=personal),
        can_change_status=change,
        can_edit_plan=admin,
        can_assess_initially=admin or Role.TUTOR in roles,
        can_claim_rpl=admin or registration.candidate.user_id == user.pk,
        can_decide_rpl=any(u.assessor_id == user.pk for u in plan_units),
        sign_as=signing_capacities(user, registration),
        can_link_accounts=admin,
        employer_contacts=[m.user for m in centre_staff(centre).filter(role=Role.EMPLOYER_CONTACT)]
        if admin
        else [],
        sees_personal_details=personal,
        without_content=units_without_content(registration.qualification),
        can_record_credit_transfer=admin
        or (Role.ASSESSOR in roles and any(u.assessor_id == user.pk for u in plan_units)),
    )
