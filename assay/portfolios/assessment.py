"""The assessor's acts and the reopening of a unit; each one appends a ``Decision``.

Each act locks the registration row, refuses a stale ``expected_seq`` where given, refuses a
signed-off unit (locked until a lead IQA or centre administrator reopens it), then appends
its record to the registration's hash chain in the same transaction.
"""

from __future__ import annotations

from django.db import transaction

from assay import clock
from assay.centres.permissions import can_change_status
from assay.engines.accounts import duties
from assay.engines.coverage.judging import (
    assessor_declaration,
    met_refusal,
    rejection_refusal,
    visible_text,
)
from assay.engines.plausible import reason_problem
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.notifications import events
from assay.portfolios.coverage import (
    confirmed_for,
    refuse_without_content,
    registration_coverage,
    unit_spec,
    unit_targets,
)
from assay.portfolios.models import CriterionMapping, Decision, DecisionKind, MappingStatus
from assay.portfolios.period import refuse_outside_registration_period
from assay.portfolios.record_checks import evidence_snapshot
from assay.portfolios.records import (
    decision_append,
    refuse_if_signed_off,
    registration_lock,
    unit_signed_off,
)
from assay.portfolios.services import is_assessor_of
from assay.portfolios.signals import unit_signed_off as unit_signed_off_signal
from assay.portfolios.waiting import waiting_refresh
from assay.registrations.models import Registration
from assay.users import User


def _check_assessor(by: User, registration: Registration, unit: str) -> None:
    """The assessor of ``unit``; never the registration's own candidate (the last line of the
    separation of duties, whatever a plan or a role grant says)."""
    decision = duties.may_act_on(own_registration=registration.candidate.user_id == by.pk)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    if not is_assessor_of(by, registration, unit):
        raise NotAllowed(f"only the assessor of unit {unit} on this plan can do this")


def mapping_decide(
    *,
    by: User,
    mapping: CriterionMapping,
    confirm: bool,
    expected_seq: int | None = None,
    reason: str = "",
) -> Decision:
    """Confirm or reject a proposed mapping (a confirmed one may later be rejected). A
    rejection needs a ``reason``: it is chained with the decision and shown to the candidate."""
    registration = mapping.item.registration
    unit = mapping.unit_number
    _check_assessor(by, registration, unit)
    refuse_without_content(registration, unit)
    refuse_outside_registration_period(registration, clock.today())
    reason = visible_text(reason)
    if not confirm and (refusal := rejection_refusal(reason)):
        raise InvalidInput({"reason": refusal})
    status = MappingStatus.CONFIRMED if confirm else MappingStatus.REJECTED
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        refuse_if_signed_off(registration, unit)
        current = CriterionMapping.objects.select_for_update().get(pk=mapping.pk)
        if current.status == status:
            raise InvalidInput({"mapping": f"this mapping is already {status.label.lower()}"})
        current.status = status
        current.decided_by_id = by.pk
        current.decided_at = clock.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        waiting_refresh([current.item_id])  # a decided mapping takes the item off the queue
        decision = decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.MAPPING_CONFIRMED if confirm else DecisionKind.MAPPING_REJECTED,
            unit=unit,
            payload={
                "mapping": current.pk,
                "item": current.item_id,
                "target": current.target,
                **({"evidence": evidence_snapshot(current.item)} if confirm else {}),
                **({} if confirm else {"reason": reason}),
            },
        )
        verdict = "confirmed" if confirm else "rejected"
        line = f"Unit {unit} {current.target}: evidence {current.item_id} {verdict}"
        line += "" if confirm else f" — {reason}"
        events.evidence_judged(by=by, registration=registration, unit=unit, line=line)
    mapping.status, mapping.decided_by_id = current.status, current.decided_by_id
    mapping.decided_at = current.decided_at
    return decision


def criterion_judge(
    *,
    by: User,
    registration: Registration,
    unit: str,
    criterion: str,
    met: bool,
    feedback: str = "",
    expected_seq: int | None = None,
) -> Decision:
    """Judge one criterion met or not yet met, with feedback (required when not yet met)."""
    _check_assessor(by, registration, unit)
    refuse_without_content(registration, unit)
    refuse_outside_registration_period(registration, clock.today())
    criteria = [t for t in unit_targets(unit_spec(registration, unit)) if "." in t]
    if criterion not in criteria:
        raise InvalidInput({"criterion": f"unit {unit} has no criterion {criterion!r}"})
    if not met and not feedback.strip():
        raise InvalidInput({"feedback": "say what the candidate still needs to show"})
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        refuse_if_signed_off(registration, unit)
        if refusal := met_refusal(
            unit, criterion, met, confirmed_for(registration, unit, criterion)
        ):
            raise InvalidInput({"met": refusal})
        decision = decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.CRITERION_JUDGED,
            unit=unit,
            payload={"criterion": criterion, "met": bool(met), "feedback": feedback.strip()},
        )
        line = f"Unit {unit} criterion {criterion}: {'met' if met else 'not yet met'}"
        line += f" — {feedback.strip()}" if feedback.strip() else ""
        events.evidence_judged(by=by, registration=registration, unit=unit, line=line)
        return decision


def span_record(
    *,
    by: User,
    registration: Registration,
    unit: str,
    sufficient_days: int,
    expected_seq: int | None = None,
) -> Decision:
    """Record the evidence period (in days) the assessor finds sufficient for the unit."""
    _check_assessor(by, registration, unit)
    refuse_without_content(registration, unit)
    refuse_outside_registration_period(registration, clock.today())
    if isinstance(sufficient_days, bool) or not isinstance(sufficient_days, int):
        raise InvalidInput({"sufficient_days": "a whole number of days"})
    if sufficient_days < 0:
        raise InvalidInput({"sufficient_days": "cannot be negative"})
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        refuse_if_signed_off(registration, unit)
        return decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.SPAN_RECORDED,
            unit=unit,
            payload={"sufficient_days": sufficient_days},
        )


def person_name(user: User) -> str:
    """What people read: the full name, or the username when there is none."""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full).strip() or user.get_username()


def sign_off_declaration(by: User, registration: Registration, unit: str) -> str:
    """The declaration ``by`` signs with the sign-off of ``unit`` (shown before signing)."""
    return assessor_declaration(unit, str(registration.candidate), person_name(by))


def unit_sign_off(
    *,
    by: User,
    registration: Registration,
    unit: str,
    expected_seq: int | None = None,
    declaration_sha256: str | None = None,
) -> Decision:
    """Sign the unit off when the coverage engine finds nothing missing; otherwise refuse with
    every reason. The assessor's declaration (valid, authentic, current, sufficient) and its
    SHA-256 are chained with the sign-off; ``declaration_sha256`` is the fingerprint of the text
    the assessor was shown, refused if it differs. The unit is then locked."""
    _check_assessor(by, registration, unit)
    refuse_without_content(registration, unit)
    refuse_outside_registration_period(registration, clock.today())
    declaration = sign_off_declaration(by, registration, unit)
    digest = text_sha256(declaration)
    if declaration_sha256 is not None and declaration_sha256 != digest:
        raise InvalidInput(
            {"declaration_sha256": "the declaration changed since you read it; reload it"}
        )
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        refuse_if_signed_off(registration, unit)
        coverage = registration_coverage(registration, [unit])[unit]
        if not coverage.ready_to_sign_off:
            raise InvalidInput(
                {"sign_off": f"unit {unit} is not ready: " + "; ".join(coverage.reasons)}
            )
        span = coverage.span
        assert span is not None  # ready implies confirmed evidence
        decision = decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.UNIT_SIGNED_OFF,
            unit=unit,
            payload={
                "span_start": span.start.isoformat(),
                "span_end": span.end.isoformat(),
                "criteria": [c.number for c in coverage.criteria],
                "declaration": declaration,
                "declaration_sha256": digest,
            },
        )
        line = f"Unit {unit} signed off"
        events.evidence_judged(by=by, registration=registration, unit=unit, line=line)
        unit_signed_off_signal.send(Registration, registration=registration, unit=unit, by=by)
        return decision


def unit_reopen(
    *,
    by: User,
    registration: Registration,
    unit: str,
    reason: str,
    expected_seq: int | None = None,
) -> Decision:
    """A lead IQA or centre administrator unlocks a signed-off unit, with a reason."""
    if not can_change_status(by, registration.centre):
        raise NotAllowed("only a lead IQA or centre administrator can reopen a unit")
    refusal = reason_problem(reason, "the reason the unit is reopened")
    if refusal:
        raise InvalidInput({"reason": refusal})
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        if not unit_signed_off(registration, unit):
            raise InvalidInput({"unit": f"unit {unit} is not signed off"})
        decision = decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.UNIT_REOPENED,
            unit=unit,
            payload={"reason": reason.strip()},
        )
        events.unit_reopened(by=by, registration=registration, unit=unit, reason=reason.strip())
        return decision
