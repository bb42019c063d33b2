"""Prior learning: RPL claims and their decision by an assessor of the candidate, and credit
transfer of units achieved elsewhere (ADR 0010). Accepted units count in the rules of
combination; every act is appended to the registration's enrolment chain.
"""

from __future__ import annotations

from django.db import transaction

from assay import clock
from assay.catalogue.selectors import (
    qualification_engine_spec,
)
from assay.centres.models import Role
from assay.centres.permissions import can_administer, roles_at
from assay.engines.accounts import duties
from assay.errors import InvalidInput, NotAllowed
from assay.registrations.enrolment import (
    enrolment_append,
    enrolment_lock,
)
from assay.registrations.models import (
    PriorKind,
    Registration,
    RplClaim,
)
from assay.registrations.selectors import credited_units
from assay.users import User


def accepted_rpl(registration: Registration) -> list[str]:
    return list(registration.rpl_claims.filter(accepted=True).values_list("unit_number", flat=True))


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


def _refuse_own(by: User, registration: Registration) -> None:
    """The last line of the separation of duties: no assessor's act on one's own registration."""
    decision = duties.may_act_on(own_registration=registration.candidate.user_id == by.pk)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
