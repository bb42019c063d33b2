"""Who is told when something happens in a portfolio, each with the reason they are told.

The rules (issue 4): new evidence goes to the assessors of the units it is claimed for, or
to every assessor on the plan when it is claimed for none yet; a judgement goes to the
candidate; a reopened sign-off goes to the candidate and the unit's assessor; a confirmed
witness statement goes to the candidate and the assessors of the units the evidence is
claimed for (every assessor on the plan when none). Nobody is told about their own act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Event", "Plan", "Recipient", "audience"]


class Event(StrEnum):
    EVIDENCE_SUBMITTED = "evidence_submitted"
    EVIDENCE_JUDGED = "evidence_judged"
    UNIT_REOPENED = "unit_reopened"
    WITNESS_CONFIRMED = "witness_confirmed"
    # Internal quality assurance (issue 13): the recipients are named by the verification app
    # (the pick's verifier, the unit's assessor), not by ``audience``.
    IQA_SAMPLE_SIGNED_OFF = "iqa_sample_signed_off"
    IQA_ACTION_REQUIRED = "iqa_action_required"
    # Appeals (issue 13): the recipients are named by the appeals app.
    APPEAL_DECIDED = "appeal_decided"
    APPEAL_WAITING = "appeal_waiting"
    # External verification (issue 13): the recipients are named by the EQA app.
    EQA_VISIT = "eqa_visit"
    EQA_ACTION_POINT = "eqa_action_point"
    EQA_SANCTION = "eqa_sanction"
    # Certification claims (issue 14): the recipients are named by the claims app.
    CLAIM_STATUS = "claim_status"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    # Certification audits (issue 15): the recipients are named by the audits app.
    AUDIT_FINDING = "audit_finding"
    AUDIT_ACTION = "audit_action"
    AUDIT_REPORTED = "audit_reported"
    # Deadline reminders (issue 16): the nightly job names the recipients
    # (``assay.engines.notifications.deadlines``).
    DEADLINE_REMINDER = "deadline_reminder"


@dataclass(frozen=True)
class Plan:
    """The people of one registration: the candidate's sign-in (None when they have none)
    and the assessor of each planned unit (None when nobody is assigned yet)."""

    candidate: int | None
    assessors: tuple[tuple[str, int | None], ...]

    def assessor_of(self, unit: str) -> int | None:
        return next((who for number, who in self.assessors if number == unit), None)


@dataclass(frozen=True)
class Recipient:
    user: int
    reason: str


def _assessors(plan: Plan, units: frozenset[str], fall_back: bool) -> dict[int, list[str]]:
    """Assessor → the units that make them a recipient (empty list: on the plan at all)."""
    found: dict[int, list[str]] = {}
    for number, who in plan.assessors:
        if who is not None and number in units:
            found.setdefault(who, []).append(number)
    if not found and fall_back:
        for _, who in plan.assessors:
            if who is not None:
                found.setdefault(who, [])
    return found


def _reason(units: list[str]) -> str:
    if not units:
        return "you assess units on this candidate's learning plan"
    label = "unit" if len(units) == 1 else "units"
    return f"you assess {label} {', '.join(sorted(units))} for this candidate"


def audience(
    event: Event, plan: Plan, units: Iterable[str] = (), actor: int | None = None
) -> tuple[Recipient, ...]:
    """Everyone to tell about ``event`` on ``units`` of ``plan``, by user id, never the actor."""
    concerned = frozenset(units)
    told: dict[int, str] = {}
    for_candidate = (Event.EVIDENCE_JUDGED, Event.UNIT_REOPENED, Event.WITNESS_CONFIRMED)
    if event in for_candidate and plan.candidate is not None:
        told[plan.candidate] = "it is your portfolio"
    if event != Event.EVIDENCE_JUDGED:
        fall_back = event != Event.UNIT_REOPENED
        for who, numbers in _assessors(plan, concerned, fall_back).items():
            told.setdefault(who, _reason(numbers))
    return tuple(Recipient(who, why) for who, why in sorted(told.items()) if who != actor)
