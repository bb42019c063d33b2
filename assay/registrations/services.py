"""Writes for registrations: every one checks the user's role and relation first.

Entry refusals save nothing of the registration; the attempt and its reasons are logged as a
``Refusal`` so the centre can explain them. Status changes and signatures are append-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.planning import PlanDecision, plan_check
from assay.catalogue.selectors import (
    qualification_engine_spec,
    qualification_get,
    units_without_content,
)
from assay.centres.models import Centre, Role
from assay.centres.permissions import can_administer, roles_at
from assay.centres.services import can_take_new_candidates
from assay.engines.accounts import duties
from assay.engines.coverage import NO_CONTENT
from assay.engines.entry.rules import (
    CandidateFacts,
    CentreApproval,
    EntryDecision,
    PeriodEnd,
    entry_decision,
    registration_end,
)
from assay.engines.plausible import birth_date_problem, business_date_problem, text_problem
from assay.engines.text import visible
from assay.errors import InvalidInput, NotAllowed, RegistrationRefused
from assay.files.digest import text_sha256
from assay.registrations.enrolment import (
    enrolment_append,
    enrolment_lock,
    plan_stored,
    registration_stored,
)
from assay.registrations.facts import current_approval, qualification_facts
from assay.registrations.models import (
    Candidate,
    HeldQualification,
    InitialAssessment,
    JobKind,
    PlanUnit,
    PriorKind,
    Refusal,
    Registration,
    RplClaim,
    Signature,
    SignatureDocument,
    Status,
    StatusChange,
)
from assay.registrations.selectors import credited_units
from assay.registrations.signing import USER_AGENT_MAX
from assay.users import User


@dataclass(frozen=True, slots=True)
class CandidateInput:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    email: str = ""
    phone: str = ""
    employer: str = ""
    job_role: str = ""
    job_kind: str = JobKind.PAID
    held: tuple[str, ...] = field(default_factory=tuple)

    def problems(self) -> dict[str, str]:
        """Every field's problem (empty when the details are plausible): bulk import lists
        them per row, the other paths raise them."""
        errors: dict[str, str] = {}
        if not visible(self.first_name):
            errors["first_name"] = "enter the candidate's first name"
        if not visible(self.last_name):
            errors["last_name"] = "enter the candidate's last name"
        for name in ("first_name", "last_name", "email", "phone", "employer", "job_role"):
            problem = text_problem(getattr(self, name))
            if problem and name not in errors:
                errors[name] = problem
        if self.job_kind not in JobKind.values:
            errors["job_kind"] = f"choose one of {', '.join(JobKind.values)}"
        born = birth_date_problem(self.date_of_birth, clock.today())
        if born:
            errors["date_of_birth"] = born
        return errors

    def validate(self) -> None:
        errors = self.problems()
        if errors:
            raise InvalidInput(errors)


def registered_on_check(on: dt.date) -> None:
    """Refuse a registration date outside the plausible window (1990 to two years ahead)."""
    problem = business_date_problem(on, clock.today())
    if problem:
        raise InvalidInput({"registered_on": f"the registration date {problem}"})


def _facts(data: CandidateInput | Candidate) -> CandidateFacts:
    if isinstance(data, Candidate):
        held = frozenset(data.held.values_list("qualification_code", flat=True))
        return CandidateFacts(data.date_of_birth, held, data.real_job)
    return CandidateFacts(data.date_of_birth, frozenset(data.held), data.job_kind != JobKind.NONE)


def registration_check(
    *,
    centre: Centre,
    qualification: Qualification,
    candidate: CandidateInput | Candidate,
    registered_on: dt.date | None = None,
    approvals: dict[tuple[str, dt.date], CentreApproval | None] | None = None,
) -> EntryDecision:
    """The entry rules' decision, with every reason; changes nothing (live checks, dry runs).

    ``approvals`` memoises the centre's approval per (code, date) across many checks (bulk)."""
    on = registered_on or clock.today()
    registered_on_check(on)
    if isinstance(candidate, CandidateInput):
        born = birth_date_problem(candidate.date_of_birth, clock.today())
        if born:
            raise InvalidInput({"date_of_birth": born})
    if candidate.date_of_birth > on:
        raise InvalidInput(
            {"date_of_birth": f"the date of birth {candidate.date_of_birth} is after {on}"}
        )
    memo = {} if approvals is None else approvals
    key = (qualification.code, on)
    if key not in memo:
        memo[key] = current_approval(centre, qualification.code, on)
    return entry_decision(
        candidate=_facts(candidate),
        qualification=qualification_facts(qualification),
        approval=memo[key],
        registered_on=on,
    )


def registration_period(qualification: Qualification, registered_on: dt.date) -> PeriodEnd:
    """The end date (and its explanation) a registration on ``registered_on`` gets."""
    return registration_end(
        registered_on=registered_on,
        period_months=registration_months(qualification),
        last_certification=qualification.last_certification,
    )


def registration_months(qualification: Qualification) -> int:
    """The qualification's default period of registration: its spec's
    ``registration_period_months`` where the awarding body gives one, else the installation's
    ``ASSAY_REGISTRATION_MONTHS`` (the seed handbooks give none)."""
    months = qualification.spec.content.get("registration_period_months")
    return int(months) if months else int(settings.ASSAY_REGISTRATION_MONTHS)


def registration_create(
    *,
    by: User,
    centre: Centre,
    qualification_key: str,
    candidate: Candidate | None = None,
    candidate_input: CandidateInput | None = None,
    registered_on: dt.date | None = None,
    log_refusal: bool = True,
) -> Registration:
    """Register a new or existing candidate, or raise RegistrationRefused with every reason."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can register candidates")
    if (candidate is None) == (candidate_input is None):
        raise InvalidInput({"candidate": "give either an existing candidate or new details"})
    if candidate is not None and candidate.centre_id != centre.pk:
        raise InvalidInput({"candidate": "the candidate belongs to another centre"})
    if candidate_input is not None:
        candidate_input.validate()
    qual = qualification_get(qualification_key)
    on = registered_on or clock.today()
    registered_on_check(on)
    subject: CandidateInput | Candidate = candidate or candidate_input  # type: ignore[assignment]
    decision = registration_check(
        centre=centre, qualification=qual, candidate=subject, registered_on=on
    )
    if not decision.allowed:
        if log_refusal:
            name = str(candidate) if candidate else f"{subject.first_name} {subject.last_name}"
            Refusal.objects.create(
                centre=centre,
                candidate_name=name,
                qualification_code=qual.code,
                attempted_on=on,
                reasons=[{"code": r.code, "message": r.message} for r in decision.reasons],
                by_id=by.pk,
            )
        raise RegistrationRefused([(r.code, r.message) for r in decision.reasons])
    period = registration_period(qual, on)
    with transaction.atomic():
        if candidate is None:
            assert candidate_input is not None
            candidate = Candidate.objects.create(
                centre=centre,
                first_name=candidate_input.first_name.strip(),
                last_name=candidate_input.last_name.strip(),
                date_of_birth=candidate_input.date_of_birth,
                email=candidate_input.email,
                phone=candidate_input.phone,
                employer=candidate_input.employer,
                job_role=candidate_input.job_role,
                job_kind=candidate_input.job_kind,
            )
            HeldQualification.objects.bulk_create(
                HeldQualification(candidate=candidate, qualification_code=code)
                for code in candidate_input.held
            )
        registration = Registration.objects.create(
            candidate=candidate,
            centre=centre,
            qualification=qual,
            registered_on=on,
            end_date=period.end,
            end_date_explanation=period.explanation,
            created_by_id=by.pk,
        )
        first = StatusChange.objects.create(
            registration=registration, from_status="", to_status=Status.REGISTERED, by_id=by.pk
        )
        # A row created in this transaction is invisible to others until commit: no lock needed.
        enrolment_append(
            registration.pk,
            "registered",
            by=by,
            columns=registration_stored(registration),
            rows={"status_change": [first]},
        )
    return registration


@dataclass(frozen=True, slots=True)
class PlanUnitInput:
    unit: str
    assessor_id: int | None = None
    target_date: dt.date | None = None


def plan_set(
    *,
    by: User,
    registration: Registration,
    units: Sequence[PlanUnitInput],
    internal_verifier_id: int | None = None,
    allow_units_without_content: bool | None = None,
) -> PlanDecision:
    """Replace the learning plan; returns the rules engine's check of the planned units.

    Assessors must hold the assessor role at the centre and be within their A/V deadline; the
    internal verifier must hold an IV role and never verify a unit they assess. A unit whose
    content is not in the catalogue is refused unless the plan allows such units
    (``allow_units_without_content``; None keeps the registration's choice) or the unit is
    already credited: it can only be achieved by credit transfer (ADR 0010).
    """
    centre = registration.centre
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can change the learning plan")
    numbers = {u.number for u in qualification_engine_spec(registration.qualification).units}
    allow = (
        registration.allow_units_without_content
        if allow_units_without_content is None
        else allow_units_without_content
    )
    blocked = set() if allow else units_without_content(registration.qualification)
    blocked -= set(credited_units(registration)) if blocked else set()
    errors: dict[str, str] = {}
    today = clock.today()
    user_model = get_user_model()
    for item in units:
        if item.unit not in numbers:
            errors[f"unit {item.unit}"] = (
                f"unknown unit {item.unit!r} in {registration.qualification.code}"
            )
        elif item.unit in blocked:
            errors[f"unit {item.unit}"] = without_content_refusal(item.unit)
        if item.assessor_id is not None:
            assessor = user_model.objects.filter(pk=item.assessor_id).first()
            if assessor is not None and (refusal := _own_duty(registration, "assessor", assessor)):
                errors[f"assessor {item.unit}"] = refusal
            elif assessor is None or Role.ASSESSOR not in roles_at(assessor, centre):
                errors[f"assessor {item.unit}"] = "not an assessor at this centre"
            elif not _already_assessing(
                registration, item, assessor
            ) and not can_take_new_candidates(assessor, today):
                errors[f"assessor {item.unit}"] = (
                    f"{assessor} is past their A/V unit deadline and cannot be given new candidates"
                )
    if internal_verifier_id is not None:
        iv = user_model.objects.filter(pk=internal_verifier_id).first()
        if iv is not None and (refusal := _own_duty(registration, "internal_verifier", iv)):
            errors["internal_verifier"] = refusal
        elif iv is None or not roles_at(iv, centre) & {Role.INTERNAL_VERIFIER, Role.LEAD_IQA}:
            errors["internal_verifier"] = "not an internal verifier at this centre"
        elif any(u.assessor_id == internal_verifier_id for u in units):
            errors["internal_verifier"] = (
                "an internal verifier must never verify their own assessments"
            )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        enrolment_lock(registration)
        registration.plan_units.all().delete()
        PlanUnit.objects.bulk_create(
            PlanUnit(
                registration=registration,
                unit_number=u.unit,
                assessor_id=u.assessor_id,
                target_date=u.target_date,
            )
            for u in units
        )
        registration.internal_verifier_id = internal_verifier_id
        registration.allow_units_without_content = allow
        registration.save(update_fields=["internal_verifier", "allow_units_without_content"])
        enrolment_append(
            registration.pk,
            "plan_set",
            by=by,
            columns={
                "internal_verifier": internal_verifier_id,
                "allow_units_without_content": allow,
            },
            plan=plan_stored(registration.pk),
        )
    return plan_check(
        registration.qualification, [u.unit for u in units] + accepted_rpl(registration)
    )


def _own_duty(registration: Registration, duty: str, user: User) -> str:
    """The refusal when ``user`` is the registration's own candidate (separation of duties)."""
    decision = duties.may_take_duty(
        duty=duty,
        own_registration=registration.candidate.user_id == user.pk,
        name=user.get_username(),
    )
    return decision.reason


def _refuse_own(by: User, registration: Registration) -> None:
    """The last line of the separation of duties: no assessor's act on one's own registration."""
    decision = duties.may_act_on(own_registration=registration.candidate.user_id == by.pk)
    if not decision.allowed:
        raise NotAllowed(decision.reason)


def _already_assessing(registration: Registration, item: PlanUnitInput, assessor: Any) -> bool:
    return registration.plan_units.filter(unit_number=item.unit, assessor=assessor).exists()


def without_content_refusal(unit: str) -> str:
    """Why a unit without content cannot go on a plan that does not allow such units."""
    return (
        f"unit {unit}: {NO_CONTENT}; this learning plan does not allow units without content "
        "(tick “allow units without content” to plan it for credit transfer)"
    )


def accepted_rpl(registration: Registration) -> list[str]:
    return list(registration.rpl_claims.filter(accepted=True).values_list("unit_number", flat=True))


def initial_assessment_record(
    *,
    by: User,
    registration: Registration,
    training_needs: str,
    support_needs: str,
    job_role_facts: dict[str, bool],
) -> InitialAssessment:
    """Record training and support needs and the recommended level from the job role."""
    from assay.engines.entry.level import JobRole, recommend_level

    if not can_administer(by, registration.centre) and Role.TUTOR not in roles_at(
        by, registration.centre
    ):
        raise NotAllowed("only a centre administrator or tutor records the initial assessment")
    recommendation = recommend_level(JobRole(**job_role_facts))
    assessment, _ = InitialAssessment.objects.update_or_create(
        registration=registration,
        defaults={
            "training_needs": training_needs,
            "support_needs": support_needs,
            "job_role_facts": job_role_facts,
            "recommended_level": recommendation.level,
            "recommendation_reasons": list(recommendation.reasons),
            "by": by,
        },
    )
    return assessment


def rpl_claim_create(*, by: User, registration: Registration, unit: str, evidence: str) -> RplClaim:
    if not can_administer(by, registration.centre) and not (
        registration.candidate.user_id == by.pk
    ):
        raise NotAllowed("only the candidate or a centre administrator can claim RPL")
    numbers = {u.number for u in qualification_engine_spec(registration.qualification).units}
    if unit not in numbers:
        raise InvalidInput({"unit": f"unknown unit {unit!r} in {registration.qualification.code}"})
    if not evidence.strip():
        raise InvalidInput({"evidence": "describe the prior learning and its evidence"})
    with transaction.atomic():
        enrolment_lock(registration)
        claim = RplClaim.objects.create(
            registration=registration, unit_number=unit, evidence=evidence
        )
        enrolment_append(registration.pk, "rpl_claimed", by=by, rows={"claim": [claim]})
    return claim


def credit_transfer_record(
    *,
    by: User,
    registration: Registration,
    unit: str,
    certificate_reference: str,
    note: str = "",
) -> RplClaim:
    """Record a unit achieved elsewhere (credit transfer): who, when and the certificate it
    is on. Accepted as recorded, since the certificate is the evidence; it counts as achieved
    in progress and the rules of combination, and is never changed afterwards (ADR 0010).

    A centre administrator or an assessor of the candidate records it, having seen the
    certificate. A unit already credited is refused; one already signed off here stays
    signed off (progress shows the sign-off, the decision of record).
    """
    _refuse_own(by, registration)
    assessor = Role.ASSESSOR in roles_at(by, registration.centre) and (
        registration.plan_units.filter(assessor_id=by.pk).exists()
    )
    if not can_administer(by, registration.centre) and not assessor:
        raise NotAllowed(
            "only a centre administrator or an assessor of this candidate records credit transfer"
        )
    numbers = {u.number for u in qualification_engine_spec(registration.qualification).units}
    reference = certificate_reference.strip()
    with transaction.atomic():
        enrolment_lock(registration)  # two people crediting one unit: the second is refused
        errors: dict[str, str] = {}
        if unit not in numbers:
            errors["unit"] = f"unknown unit {unit!r} in {registration.qualification.code}"
        elif unit in credited_units(registration):
            errors["unit"] = f"unit {unit} is already credited"
        if not reference:
            errors["certificate_reference"] = (
                "enter the reference of the certificate the unit was achieved on"
            )
        if errors:
            raise InvalidInput(errors)
        claim = RplClaim.objects.create(
            registration=registration,
            unit_number=unit,
            kind=PriorKind.CREDIT_TRANSFER,
            certificate_reference=reference[:120],
            evidence=note.strip() or f"Credit transfer: certificate {reference}",
            accepted=True,
            decided_by_id=by.pk,
            decided_at=clock.now(),
        )
        enrolment_append(registration.pk, "credit_transferred", by=by, rows={"claim": [claim]})
    return claim


def rpl_decide(*, by: User, claim: RplClaim, accept: bool) -> RplClaim:
    """An assessor of the candidate accepts or rejects RPL; accepted units count in the rules."""
    registration = claim.registration
    _refuse_own(by, registration)
    if Role.ASSESSOR not in roles_at(by, registration.centre) or not (
        registration.plan_units.filter(assessor_id=by.pk).exists()
    ):
        raise NotAllowed("only an assessor of this candidate can decide on RPL")
    with transaction.atomic():
        enrolment_lock(registration)
        current = RplClaim.objects.get(pk=claim.pk)
        if current.accepted is not None:
            raise InvalidInput({"claim": "this RPL claim has already been decided"})
        claim.accepted = accept
        claim.decided_by_id = by.pk
        claim.decided_at = clock.now()
        claim.save(update_fields=["accepted", "decided_by", "decided_at"])
        enrolment_append(registration.pk, "rpl_decided", by=by, rows={"claim": [claim]})
    return claim


def signature_record(
    *,
    by: User,
    registration: Registration,
    document: str,
    capacity: str,
    text: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Sign the induction checklist or learning contract as candidate, assessor or employer."""
    if document not in SignatureDocument.values:
        raise InvalidInput({"document": f"unknown document {document!r}"})
    own = registration.candidate.user_id == by.pk  # signs as the candidate, never for others
    allowed = {
        "candidate": own,
        "assessor": not own and registration.plan_units.filter(assessor_id=by.pk).exists(),
        "employer": not own and registration.candidate.employer_contact_id == by.pk,
    }
    if capacity not in allowed:
        raise InvalidInput({"capacity": "sign as candidate, assessor or employer"})
    if not allowed[capacity]:
        raise NotAllowed(f"you cannot sign as the {capacity} of this registration")
    if not text.strip():
        raise InvalidInput({"text": "the signed text is empty"})
    with transaction.atomic():
        enrolment_lock(registration)
        signature = Signature.objects.create(
            registration=registration,
            document=document,
            signer_id=by.pk,
            capacity=capacity,
            text=text,
            text_sha256=text_sha256(text),
            ip_address=ip_address,
            user_agent=user_agent[:USER_AGENT_MAX],
        )
        enrolment_append(registration.pk, "signed", by=by, rows={"signature": [signature]})
    return signature
