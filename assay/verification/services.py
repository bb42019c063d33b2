"""The IQA acts: set a strategy, draw a sample, verify a pick.

``sample_draw`` reads the facts (``facts.py``), asks the engine for the sample and its
allocation, and stores the draw and every pick with its reasons in one transaction.
``unit_verify`` checks the separation of duties through the engine's rule on the unit's own
decisions, appends the verdict to the registration's decision chain and, when action is
required on a signed-off unit, reopens it there and then (a ``UNIT_REOPENED`` decision with the
feedback as reason, as ``unit_reopen`` writes) and tells the assessor.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import replace
from typing import Any

from django.db import transaction

from assay import clock
from assay.centres.models import Centre, Role
from assay.centres.permissions import can_change_status, roles_at
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import reason_problem
from assay.engines.verification import (
    Outcome,
    Period,
    allocate,
    coverage,
    draw,
    gaps,
    may_verify,
    parse_strategy,
)
from assay.engines.verification import Verification as Sampled
from assay.errors import InvalidInput, NotAllowed
from assay.notifications import events
from assay.portfolios.models import Decision, DecisionKind
from assay.portfolios.records import decision_append, registration_lock, unit_signed_off
from assay.users import User
from assay.verification.facts import (
    facts_of,
    qualification_known,
    unit_records,
    verifier_of,
)
from assay.verification.facts import team_of as verifiers_of
from assay.verification.models import SampleDraw, SamplePick, SamplingStrategy, Verification

DUE_DAYS = 28  # a pick is due four weeks after the draw
MAX_SEED = 2**63 - 1
EARLIEST = dt.date(1990, 1, 1)  # before NVQs; keeps date arithmetic in range
MAX_DAYS = 3 * 366


def _refuse_unless_lead(by: User, centre: Centre) -> None:
    if not can_change_status(by, centre):
        raise NotAllowed("only a lead IQA or centre administrator can do this")


def strategy_set(
    *, by: User, centre: Centre, qualification: str, data: dict[str, Any]
) -> SamplingStrategy:
    """A new current strategy (the engine validates it; every problem named, nothing
    saved when one is wrong)."""
    _refuse_unless_lead(by, centre)
    if not qualification_known(centre, qualification):
        raise InvalidInput(
            {"qualification": f"no registration on {qualification!r} at this centre"}
        )
    clean = {k: v for k, v in data.items() if k not in ("centre", "qualification")}
    try:
        parse_strategy({**clean, "centre": str(centre.pk), "qualification": qualification})
    except ValueError as error:
        raise InvalidInput({"strategy": str(error)}) from None
    return SamplingStrategy.objects.create(
        centre=centre, qualification_code=qualification, data=clean, created_by=by
    )


def sample_draw(
    *,
    by: User,
    centre: Centre,
    qualification: str,
    period_start: dt.date,
    period_end: dt.date,
    seed: int | None = None,
) -> SampleDraw:
    """Draw and store the sample of the period, allocated to the centre's verifiers."""
    _refuse_unless_lead(by, centre)
    errors: dict[str, str] = {}
    if not qualification_known(centre, qualification):
        errors["qualification"] = f"no registration on {qualification!r} at this centre"
    if period_end < period_start:
        errors["period_end"] = (
            f"the period ends ({ddmmyyyy(period_end)}) before it starts ({ddmmyyyy(period_start)})"
        )
    elif period_start > clock.today():
        errors["period_start"] = "the period has not started yet"
    elif period_start < EARLIEST:
        errors["period_start"] = f"a plan starts no earlier than {ddmmyyyy(EARLIEST)}"
    elif (period_end - period_start).days > MAX_DAYS:
        errors["period_end"] = "a plan covers at most three years"
    if seed is not None and (isinstance(seed, bool) or not 0 <= seed <= MAX_SEED):
        errors["seed"] = f"a whole number from 0 to {MAX_SEED}"
    if errors:
        raise InvalidInput(errors)
    period = Period(period_start, period_end)
    seed = secrets.randbelow(2**31) if seed is None else seed
    today = clock.today()
    try:
        facts = facts_of(centre, qualification, period)
        sample = draw(
            facts.strategy,
            facts.records,
            facts.assessors,
            seed=seed,
            period=period,
            history=facts.history,
        )
    except ValueError as error:
        raise InvalidInput({"draw": str(error)}) from None
    allocation = allocate(sample, verifiers_of(centre, qualification), on=today)
    chosen = {a.pick.key: int(a.verifier_id) for a in allocation.assignments}
    refused = {
        r.pick.key: [f"{'; '.join(why)}" for _, why in r.reasons]
        or ["no internal verifier at the centre"]
        for r in allocation.refused
    }
    # The plan's own gaps and coverage as drawn, kept with it: the lead IQA's page shows them
    # without reading the centre's whole assessment record again on every visit.
    sampled_on = min(period.end, today)
    drawn = [Sampled.of(p.record, sampled_on) for p in sample.picks]
    found = gaps(facts.strategy, facts.records, facts.assessors, [*facts.history, *drawn], on=today)
    cells = coverage(facts.strategy, facts.records, facts.assessors, sample.keys, period=period)
    names = {a.id: a.name for a in facts.assessors}
    with transaction.atomic():
        row = SampleDraw.objects.create(
            centre=centre,
            qualification_code=qualification,
            period_start=period_start,
            period_end=period_end,
            seed=seed,
            strategy=facts.strategy_row,
            drawn_by=by,
            gaps=[{"dimension": g.dimension.value, "message": g.message} for g in found],
            cells=[
                {
                    "assessor": names.get(c.assessor_id, c.assessor_id),
                    "unit": c.unit,
                    "method": c.method,
                    "population": c.population,
                    "required": c.required,
                    "sampled": c.sampled,
                    "rag": c.rag.value,
                }
                for c in cells
            ],
        )
        SamplePick.objects.bulk_create(
            SamplePick(
                draw=row,
                position=n,
                registration_id=int(pick.record.registration_id),
                unit_number=pick.record.unit,
                assessor_id=int(pick.record.assessor_id),
                stage=pick.stage.value,
                dimension=pick.dimension.value,
                reasons=list(pick.reasons),
                methods=sorted(pick.record.methods),
                site=pick.record.site,
                verifier_id=chosen.get(pick.key),
                refusals=refused.get(pick.key, []),
                due_on=today + dt.timedelta(days=DUE_DAYS),
            )
            for n, pick in enumerate(sample.picks, start=1)
        )
    return row


def latest_verification(pick: SamplePick) -> Verification | None:
    return pick.verifications.order_by("-at", "-pk").first()


def refuse_own_assessment(by: User, pick: SamplePick) -> None:
    """NotAllowed, with the engine's reasons, when ``by`` judged, confirmed or signed off in
    the unit or is its assessor (on the plan or in the pick)."""
    registration = pick.registration
    centre = registration.centre
    found = unit_records(
        centre, pick.draw.qualification_code, [(registration.pk, pick.unit_number)]
    )
    reasons: list[str] = []
    if found:
        # The V-unit deadline stops new samples (``allocate``), not the verification of a
        # pick already allocated: the rule is asked about the duties alone.
        duties_only = replace(verifier_of(by, centre), v_unit_on=dt.date.min)
        reasons = may_verify(duties_only, found[0], on=clock.today())
    if pick.assessor_id == by.pk and (not found or found[0].assessor_id != str(by.pk)):
        reasons.append(f"you are the candidate's assessor for unit {pick.unit_number}")
    if reasons:
        raise NotAllowed("; ".join(reasons))


def unit_verify(
    *,
    by: User,
    pick: SamplePick,
    outcome: str,
    feedback: str,
    due_on: dt.date | None = None,
    expected_seq: int | None = None,
) -> Decision:
    """Record the allocated IV's (or a lead IQA's) verdict on ``pick`` as a chained decision;
    *action required* reopens a signed-off unit in the same transaction and tells the
    assessor. Refused, with nothing changed, for anyone who assessed in the unit."""
    registration = pick.registration
    centre = registration.centre
    roles = roles_at(by, centre)
    allocated = pick.verifier_id == by.pk and Role.INTERNAL_VERIFIER in roles
    if not allocated and Role.LEAD_IQA not in roles:
        raise NotAllowed(
            "only the internal verifier allocated this unit or a lead IQA can verify it"
        )
    errors: dict[str, str] = {}
    try:
        verdict = Outcome(outcome)
    except ValueError:
        errors["outcome"] = "choose agree or action required"
        verdict = None
    if problem := reason_problem(feedback, "feedback to the assessor"):
        errors["feedback"] = problem
    if verdict is Outcome.ACTION_REQUIRED:
        if due_on is None:
            errors["due_on"] = "say by when the assessor must act"
        elif due_on < clock.today():
            errors["due_on"] = "the due date has passed"
    if errors:
        raise InvalidInput(errors)
    assert verdict is not None
    due = due_on if verdict is Outcome.ACTION_REQUIRED else None
    unit = pick.unit_number
    with transaction.atomic():
        last = registration_lock(registration, expected_seq)
        previous = latest_verification(pick)
        if previous is not None and previous.outcome == Outcome.AGREE:
            raise InvalidInput({"pick": "this unit is already verified: agreed"})
        refuse_own_assessment(by, pick)
        decision = decision_append(
            registration=registration,
            last=last,
            by=by,
            kind=DecisionKind.UNIT_VERIFIED,
            unit=unit,
            payload={
                "pick": pick.pk,
                "outcome": verdict.value,
                "feedback": feedback.strip(),
                "due_on": due.isoformat() if due else None,
            },
        )
        Verification.objects.create(
            pick=pick,
            decision=decision,
            outcome=verdict.value,
            feedback=feedback.strip(),
            due_on=due,
            by=by,
        )
        if verdict is Outcome.ACTION_REQUIRED:
            assert due is not None
            if unit_signed_off(registration, unit):
                decision_append(
                    registration=registration,
                    last=decision,
                    by=by,
                    kind=DecisionKind.UNIT_REOPENED,
                    unit=unit,
                    payload={"reason": feedback.strip()},
                )
                events.unit_reopened(
                    by=by, registration=registration, unit=unit, reason=feedback.strip()
                )
            if pick.assessor_id is not None:
                events.iqa_action_required(
                    by=by,
                    registration=registration,
                    unit=unit,
                    assessor_id=pick.assessor_id,
                    feedback=feedback.strip(),
                    due=ddmmyyyy(due),
                )
        return decision
