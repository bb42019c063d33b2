"""Registering candidates: the entry rules' check, the period of registration, and the
registration itself (checks the user's role first).

Entry refusals save nothing of the registration; the attempt and its reasons are logged as a
``Refusal`` so the centre can explain them. The learning plan's writes are in ``plans.py``,
prior learning (RPL, credit transfer) in ``prior_learning.py``, the initial assessment and the
signed documents in ``induction.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import (
    qualification_get,
)
from assay.centres.models import Centre
from assay.centres.permissions import can_administer
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
from assay.registrations.enrolment import (
    enrolment_append,
    registration_stored,
)
from assay.registrations.facts import centre_sanctions, current_approval, qualification_facts
from assay.registrations.models import (
    Candidate,
    HeldQualification,
    JobKind,
    Refusal,
    Registration,
    Status,
    StatusChange,
)
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


def candidate_facts(data: CandidateInput | Candidate) -> CandidateFacts:
    """The candidate as the entry rules read it (held codes, date of birth, real job)."""
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
        candidate=candidate_facts(candidate),
        qualification=qualification_facts(qualification),
        approval=memo[key],
        registered_on=on,
        sanctions=centre_sanctions(centre),
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
