"""Lodging, deciding, escalating and withdrawing an appeal; recording a complaint.

Each act locks its subject (the registration, then the appeal row), folds the appeal's chain
(``engines.appeals``), refuses with every reason the engine gives (a person who may not act
at all: NotAllowed; anything else: InvalidInput), appends its record to the chain
``appeal:<pk>`` and copies the new state onto the row, all in one transaction. An appeal
upheld on a signed-off unit reopens the unit in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assay import clock
from assay.appeals import notices
from assay.appeals.models import Appeal, Complaint
from assay.appeals.records import appeal_chain, complaints_chain, event_of, fold
from assay.centres.models import Centre, Role
from assay.centres.permissions import registration_filter, roles_at
from assay.engines.appeals import (
    Actor,
    AppealState,
    Event,
    Kind,
    Stage,
    appeal_state,
    decider_refusals,
    refusals,
)
from assay.engines.plausible import reason_problem
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.notifications import events
from assay.portfolios.models import Decision, DecisionKind
from assay.portfolios.records import decision_append, registration_lock, unit_signed_off
from assay.portfolios.services import is_assessor_of
from assay.records.services import chain_records, record_append
from assay.registrations.models import Registration
from assay.users import AnyUser, User

APPEALABLE = (
    DecisionKind.CRITERION_JUDGED,
    DecisionKind.MAPPING_REJECTED,
    DecisionKind.UNIT_SIGNED_OFF,
)
OVERSEERS = (Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.EXTERNAL_VERIFIER)


def decision_day(decision: Decision) -> dt.date:
    """The day of a decision as the centre reads it (its hashed moment, in local time)."""
    return timezone.localtime(dt.datetime.fromisoformat(decision.at)).date()


def acted_in(registration: Registration, unit: str, decision: Decision) -> set[int]:
    """Everyone who made the appealed decision or any other decision in its unit."""
    found = set(
        Decision.objects.filter(registration=registration, unit_number=unit).values_list(
            "actor_id", flat=True
        )
    )
    return found | {decision.actor_id}


def actor_facts(user: AnyUser, registration: Registration, unit: str, decision: Decision) -> Actor:
    """What the engine needs to know of ``user`` for an appeal on ``decision``."""
    if not user.is_authenticated:
        return Actor(0)
    roles = roles_at(user, registration.centre)
    iqa = Role.LEAD_IQA in roles or (
        Role.INTERNAL_VERIFIER in roles and registration.internal_verifier_id == user.pk
    )
    return Actor(
        user.pk,
        appellant=registration.candidate.user_id == user.pk,
        unit_assessor=is_assessor_of(user, registration, unit),
        acted_in_decision=user.pk in acted_in(registration, unit, decision),
        iqa=iqa,
        centre_reviewer=bool({Role.CENTRE_ADMIN, Role.LEAD_IQA} & roles),
        allocated_ev=Role.EXTERNAL_VERIFIER in roles,
        operator=bool(getattr(user, "is_superuser", False)),
    )


def _refuse(found: list[str], field: str = "appeal") -> None:
    if found:
        raise InvalidInput({field: "; ".join(found)})


def _copy(appeal: Appeal, state: AppealState) -> None:
    appeal.stage = str(state.stage)
    appeal.status = str(state.status)
    appeal.due_on = state.due_on


def _payload(event: Event, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"on": event.on.isoformat(), "reason": event.reason, **extra}
    if event.stage is not None:
        payload["stage"] = str(event.stage)
    if event.upheld is not None:
        payload["upheld"] = event.upheld
    return payload


# --- reading -----------------------------------------------------------------------------------


def appeals_visible_to(user: AnyUser) -> QuerySet[Appeal]:
    """Appeals on registrations ``user`` may read (the candidate, their assessors and IV, the
    centre's administrators, lead IQAs, tutors and allocated EVs) — not the candidate's
    employer: an appeal is between the candidate and the centre."""
    visible = Registration.objects.filter(registration_filter(user, employer=False)).values("pk")
    return Appeal.objects.filter(registration_id__in=visible)


def appeal_registration_get(user: AnyUser, pk: int) -> Registration:
    """The registration whose appeals ``user`` may read or lodge: NotFound, as for a missing
    one, for everyone else (the candidate's employer included)."""
    visible = Registration.objects.filter(registration_filter(user, employer=False))
    found = visible.select_related("candidate", "centre").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no registration {pk}")
    return found


def may_read_appeals(user: AnyUser, registration: Registration) -> bool:
    """Whether a page that shows ``registration`` to ``user`` may link to its appeals: only its
    employer contact with no other relation to it may not (a query only for them)."""
    if registration.candidate.employer_contact_id != user.pk:
        return True
    if registration.candidate.user_id == user.pk or getattr(user, "is_superuser", False):
        return True
    visible = Registration.objects.filter(registration_filter(user, employer=False))
    return visible.filter(pk=registration.pk).exists()


def appeal_get(user: AnyUser, registration_pk: int, pk: int) -> Appeal:
    found = (
        appeals_visible_to(user)
        .select_related("registration__candidate", "registration__centre", "decision")
        .filter(pk=pk, registration_id=registration_pk)
        .first()
    )
    if found is None:
        raise NotFound("no such appeal")
    return found


def appeal_state_of(appeal: Appeal, today: dt.date | None = None) -> AppealState:
    return fold(chain_records(appeal_chain(appeal.pk)), today)


def may_oversee(user: AnyUser, centre: Centre) -> bool:
    """A centre's appeals and complaints: its administrators, lead IQAs and allocated EVs."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return bool(set(OVERSEERS) & roles_at(user, centre))


def may_complain(user: AnyUser, centre: Centre) -> bool:
    """Anyone with a role at the centre, or a candidate registered there."""
    if not user.is_authenticated:
        return False
    return (
        bool(roles_at(user, centre))
        or centre.registrations.filter(candidate__user_id=user.pk).exists()
    )


# --- acts --------------------------------------------------------------------------------------


def appeal_lodge(
    *, by: User, registration: Registration, decision: Decision, grounds: str
) -> Appeal:
    """The candidate appeals one judgement, mapping rejection or sign-off on their portfolio."""
    if decision.registration_id != registration.pk or decision.kind not in APPEALABLE:
        raise InvalidInput(
            {
                "decision": "only a criterion judgement, a rejected mapping or a sign-off"
                " of this portfolio can be appealed"
            }
        )
    unit = decision.unit_number
    facts = actor_facts(by, registration, unit, decision)
    if not facts.appellant:
        raise NotAllowed("only the candidate can appeal a decision on their own portfolio")
    grounds = grounds.strip()
    event = Event(Kind.LODGED, clock.today(), by.pk, grounds, decision_on=decision_day(decision))
    with transaction.atomic():
        Registration.objects.select_for_update().get(pk=registration.pk)
        state = appeal_state([], event.on)
        _refuse(refusals(state, event, facts), "grounds")
        live = Appeal.objects.filter(decision=decision).exclude(status="withdrawn")
        if live.exists():
            raise InvalidInput({"decision": "this decision is already under appeal"})
        appeal = Appeal(
            registration=registration,
            unit_number=unit,
            decision=decision,
            grounds=grounds,
            lodged_by=by,
        )
        state = appeal_state([event], event.on)
        _copy(appeal, state)
        appeal.save()
        record_append(
            appeal_chain(appeal.pk),
            kind=str(Kind.LODGED),
            by=by,
            payload=_payload(
                event,
                registration=registration.pk,
                unit=unit,
                decision=decision.pk,
                decision_seq=decision.seq,
                decision_hash=decision.hash,
                decision_on=event.decision_on.isoformat() if event.decision_on else None,
                grounds=grounds,
                lodged_by=by.pk,
            ),
        )
        notices.waiting(appeal, Stage.ASSESSOR_REVIEW, by, ())
    return appeal


def _locked(appeal: Appeal) -> tuple[Appeal, AppealState]:
    """Lock the registration, then the appeal; its state folded from the chain."""
    Registration.objects.select_for_update().get(pk=appeal.registration_id)
    row = Appeal.objects.select_for_update().get(pk=appeal.pk)
    row.registration = appeal.registration
    row.decision = appeal.decision
    records = chain_records(appeal_chain(appeal.pk))
    return row, fold(records)


def _append(row: Appeal, event: Event, by: User) -> AppealState:
    name = appeal_chain(row.pk)
    record_append(name, kind=str(event.kind), by=by, payload=_payload(event))
    state = fold(chain_records(name))
    _copy(row, state)
    row.save(update_fields=["stage", "status", "due_on"])
    return state


def appeal_decide(
    *, by: User, appeal: Appeal, upheld: bool, reasons: str, stage: str | None = None
) -> Appeal:
    """The current stage's reviewer upholds or dismisses the appeal, with reasons. ``stage``
    is the stage the reviewer saw (refused if the appeal has moved on)."""
    registration, unit = appeal.registration, appeal.unit_number
    facts = actor_facts(by, registration, unit, appeal.decision)
    try:
        seen = Stage(stage) if stage else None
    except ValueError:
        raise InvalidInput({"stage": f"no stage {stage!r}"}) from None
    with transaction.atomic():
        row, state = _locked(appeal)
        assert state.stage is not None
        if refused := decider_refusals(state.stage, facts):
            raise NotAllowed("; ".join(refused))
        event = Event(
            Kind.DECIDED,
            clock.today(),
            by.pk,
            reasons.strip(),
            stage=seen or state.stage,
            upheld=bool(upheld),
        )
        _refuse(refusals(state, event, facts), "reasons")
        after = _append(row, event, by)
        assert after.stage is not None
        if upheld and unit_signed_off(registration, unit):
            _reopen(by, row, after.stage, reasons.strip())
        notices.decided(row, after.stage, bool(upheld), reasons.strip(), by)
    return row


def _reopen(by: User, appeal: Appeal, stage: Stage, reasons: str) -> Decision:
    """Reopen the appealed unit (the appeal's outcome stands in for the role check of
    ``unit_reopen``): a UNIT_REOPENED decision in the registration's chain, notified alike."""
    registration = appeal.registration
    reason = f"appeal {appeal.pk} upheld at {stage.label}: {reasons}"
    last = registration_lock(registration)
    decision = decision_append(
        registration=registration,
        last=last,
        by=by,
        kind=DecisionKind.UNIT_REOPENED,
        unit=appeal.unit_number,
        payload={"reason": reason},
    )
    events.unit_reopened(by=by, registration=registration, unit=appeal.unit_number, reason=reason)
    return decision


def appeal_escalate(*, by: User, appeal: Appeal, reason: str) -> Appeal:
    """The candidate takes a dismissed appeal to the next stage, saying why."""
    facts = actor_facts(by, appeal.registration, appeal.unit_number, appeal.decision)
    if not facts.appellant:
        raise NotAllowed("only the candidate who lodged the appeal can escalate it")
    with transaction.atomic():
        row, state = _locked(appeal)
        event = Event(Kind.ESCALATED, clock.today(), by.pk, reason.strip())
        _refuse(refusals(state, event, facts), "reason")
        after = _append(row, event, by)
        assert after.stage is not None
        acted = acted_in(appeal.registration, appeal.unit_number, appeal.decision)
        acted |= {line.actor for line in after.history if line.kind is Kind.DECIDED and line.actor}
        notices.waiting(row, after.stage, by, acted)
    return row


def appeal_withdraw(*, by: User, appeal: Appeal, reason: str) -> Appeal:
    """The candidate withdraws an open or dismissed appeal, saying why."""
    facts = actor_facts(by, appeal.registration, appeal.unit_number, appeal.decision)
    if not facts.appellant:
        raise NotAllowed("only the candidate who lodged the appeal can withdraw it")
    with transaction.atomic():
        row, state = _locked(appeal)
        event = Event(Kind.WITHDRAWN, clock.today(), by.pk, reason.strip())
        _refuse(refusals(state, event, facts), "reason")
        _append(row, event, by)
    return row


def complaint_record(*, by: User, centre: Centre, text: str) -> Complaint:
    """A complaint about the centre, from anyone with a role there or a candidate there."""
    if not may_complain(by, centre):
        raise NotAllowed("only someone at this centre can complain about it")
    if problem := reason_problem(text, "what the complaint is about"):
        raise InvalidInput({"text": problem})
    text = text.strip()
    with transaction.atomic():
        Centre.objects.select_for_update().get(pk=centre.pk)
        complaint = Complaint.objects.create(centre=centre, by=by, text=text)
        record_append(
            complaints_chain(centre.pk),
            kind="complaint",
            by=by,
            payload={"complaint": complaint.pk, "by": by.pk, "text": text},
        )
    return complaint


def history_of(appeal: Appeal) -> list[Event]:
    """The appeal's events as chained (for its page and the API)."""
    return [event_of(r) for r in chain_records(appeal_chain(appeal.pk))]


# --- lists -------------------------------------------------------------------------------------

NEWEST_FIRST = ("-lodged_at", "-pk")
COMPLAINTS_NEWEST_FIRST = ("-at", "-pk")


def registration_appeals(registration: Registration) -> QuerySet[Appeal]:
    """A registration's appeals (the caller has read the registration through
    ``registration_get``, which narrows to what the user may see)."""
    return Appeal.objects.filter(registration=registration)


def centre_get(user: AnyUser, pk: int) -> Centre:
    """A centre whose appeals and complaints ``user`` may read, else NotFound (a candidate or
    staff member there who may not read them: NotAllowed)."""
    centre = Centre.objects.filter(pk=pk).first()
    if centre is None or not (may_oversee(user, centre) or may_complain(user, centre)):
        raise NotFound("no such centre")
    return centre


def centre_appeals(user: AnyUser, centre: Centre) -> QuerySet[Appeal]:
    """A centre's appeals, for its administrators, lead IQAs and allocated EVs (one query a
    page: the candidate and the centre come joined)."""
    if not may_oversee(user, centre):
        raise NotAllowed(
            "only a centre administrator, lead IQA or the centre's external verifier can read"
            " its appeals and complaints"
        )
    return Appeal.objects.filter(registration__centre=centre).select_related(
        "registration__candidate"
    )


def centre_complaints(user: AnyUser, centre: Centre) -> QuerySet[Complaint]:
    centre_appeals(user, centre)  # the same readers
    return Complaint.objects.filter(centre=centre).select_related("by")


def appeal_find(user: AnyUser, pk: int) -> Appeal:
    """An appeal ``user`` may read, by its number alone (the CLI), else NotFound."""
    found = (
        appeals_visible_to(user)
        .select_related("registration__candidate", "registration__centre", "decision")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(f"no appeal {pk}")
    return found
