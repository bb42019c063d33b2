"""The learning plan: which units, with which assessors and internal verifier.

Every write checks the user's role first; the separation of duties keeps a candidate off
their own registration's duties, and an internal verifier off units they assess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from assay import clock
from assay.catalogue.planning import PlanDecision, plan_check
from assay.catalogue.selectors import (
    qualification_engine_spec,
    units_without_content,
)
from assay.centres.models import Role
from assay.centres.permissions import can_administer, roles_at
from assay.centres.services import can_take_new_candidates
from assay.engines.accounts import duties
from assay.engines.coverage import NO_CONTENT
from assay.errors import InvalidInput, NotAllowed
from assay.registrations.enrolment import (
    enrolment_append,
    enrolment_lock,
    plan_stored,
)
from assay.registrations.models import (
    PlanUnit,
    Registration,
)
from assay.registrations.prior_learning import accepted_rpl
from assay.registrations.selectors import credited_units
from assay.registrations.signals import progress_changed
from assay.users import User


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
        progress_changed([registration.pk])  # bulk_create sends no model signal
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


def _already_assessing(registration: Registration, item: PlanUnitInput, assessor: Any) -> bool:
    return registration.plan_units.filter(unit_number=item.unit, assessor=assessor).exists()


def without_content_refusal(unit: str) -> str:
    """Why a unit without content cannot go on a plan that does not allow such units."""
    return (
        f"unit {unit}: {NO_CONTENT}; this learning plan does not allow units without content "
        "(tick “allow units without content” to plan it for credit transfer)"
    )
