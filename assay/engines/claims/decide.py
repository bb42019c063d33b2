"""May a centre claim a certificate for a candidate? Every reason it may not.

Issue 14: a claim for a **unit certificate** (one or more units) or for the **full
qualification** is refused, with every reason at once, unless

* each unit claimed is signed off by an assessor or credited (RPL or credit transfer);
* the IQA sampling plan's requirement for each unit is met: a unit the centre's sample picked
  needs an internal verifier's *agree* — unless the centre holds direct claims status
  (``engines/sanctions/risk.py``), when the awarding body trusts the centre's own sampling;
* for the full qualification, the rules of combination are met by the signed-off and credited
  units (``engines/registration/completion.py``; the counted units are shown);
* the claim date lies within the registration period (``registered_on``..``end_date``) and on
  or before the qualification's last certification date (4430-04: 31/07/2017);
* the centre is approved for the qualification on the claim date (the entry rules' approval
  check) and no sanction in force suspends its claims (the reasons
  ``eqa.selectors.claims_blocked`` gives, passed in as facts);
* nothing claimed is already certified for this registration (a unit by a certificate in
  force; the full qualification by a qualification certificate in force — unit certificates
  do not stand in the way of the full qualification).

``allowed`` is true exactly when there is no reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ..combination.model import Spec
from ..dates import ddmmyyyy
from ..entry.rules import Approval, CentreApproval
from ..registration.completion import completion_decision

__all__ = [
    "ClaimDecision",
    "ClaimFacts",
    "ClaimKind",
    "Code",
    "Reason",
    "UnitFact",
    "claim_decision",
]


class ClaimKind(StrEnum):
    UNIT = "unit"
    QUALIFICATION = "qualification"


class Code(StrEnum):
    """The stable code of each refusal."""

    NO_UNITS = "no-units"
    UNKNOWN_UNIT = "unknown-unit"
    UNIT_NOT_ACHIEVED = "unit-not-achieved"
    ALREADY_CERTIFIED = "already-certified"
    SAMPLE_NOT_AGREED = "sample-not-agreed"
    RULES_NOT_MET = "rules-not-met"
    BEFORE_REGISTRATION = "before-registration"
    AFTER_REGISTRATION_END = "after-registration-end"
    AFTER_LAST_CERTIFICATION = "after-last-certification"
    CENTRE_NOT_APPROVED = "centre-not-approved"
    CLAIMS_SUSPENDED = "claims-suspended"


@dataclass(frozen=True, slots=True)
class Reason:
    code: Code
    text: str


@dataclass(frozen=True, slots=True)
class UnitFact:
    """One unit of the registration as the claim reads it. ``sampled``: the IQA plan picked it
    (interim or summative); ``agreed``: an internal verifier's latest verdict on a pick of it
    is *agree*."""

    number: str
    signed_off: bool = False
    credited: bool = False
    sampled: bool = False
    agreed: bool = False
    certified: bool = False

    @property
    def achieved(self) -> bool:
        return self.signed_off or self.credited


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """Everything the decision reads. ``units`` holds a fact for every unit of the
    registration the database knows anything about (others count as not achieved);
    ``claimed`` the unit numbers claimed (ignored for a full-qualification claim, which
    claims every achieved unit). ``sanctions`` are the sentences of the sanctions in force
    that suspend claims on ``claim_on``."""

    kind: ClaimKind
    qualification_code: str
    claim_on: date
    registered_on: date
    end_date: date
    last_certification: date | None
    approval: CentreApproval | None
    direct_claims: bool
    sanctions: tuple[str, ...]
    qualification_units: tuple[str, ...]
    units: tuple[UnitFact, ...]
    claimed: tuple[str, ...] = ()
    qualification_certified: bool = False
    spec: Spec | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    allowed: bool
    reasons: tuple[Reason, ...]
    counted_units: tuple[str, ...]
    summary: str = ""

    def texts(self) -> list[str]:
        return [r.text for r in self.reasons]


def _units_claimed(facts: ClaimFacts, by_number: dict[str, UnitFact]) -> tuple[str, ...]:
    if facts.kind is ClaimKind.QUALIFICATION:
        return tuple(
            n for n in facts.qualification_units if n in by_number and by_number[n].achieved
        )
    seen: list[str] = []
    for number in facts.claimed:
        if number not in seen:
            seen.append(number)
    return tuple(seen)


def _unit_reasons(
    facts: ClaimFacts, units: Sequence[str], by_number: dict[str, UnitFact]
) -> list[Reason]:
    reasons: list[Reason] = []
    known = set(facts.qualification_units)
    code = facts.qualification_code
    unknown = [n for n in units if n not in known]
    if unknown:
        reasons.append(Reason(Code.UNKNOWN_UNIT, f"Not units of {code}: {', '.join(unknown)}."))
    listed = [n for n in units if n in known]
    missing = [n for n in listed if not by_number.get(n, UnitFact(n)).achieved]
    if missing:
        reasons.append(
            Reason(
                Code.UNIT_NOT_ACHIEVED,
                f"Not signed off by an assessor nor credited (RPL or credit transfer): "
                f"unit {', '.join(missing)}.",
            )
        )
    certified = [n for n in listed if by_number.get(n, UnitFact(n)).certified]
    if facts.kind is ClaimKind.QUALIFICATION:
        certified = []
        if facts.qualification_certified:
            reasons.append(
                Reason(
                    Code.ALREADY_CERTIFIED,
                    f"The full qualification {code} is already certified for this registration.",
                )
            )
    if certified:
        reasons.append(
            Reason(
                Code.ALREADY_CERTIFIED,
                f"Already certified for this registration: unit {', '.join(certified)}.",
            )
        )
    if not facts.direct_claims:
        waiting = [
            n
            for n in listed
            if (u := by_number.get(n)) is not None and u.signed_off and u.sampled and not u.agreed
        ]
        if waiting:
            reasons.append(
                Reason(
                    Code.SAMPLE_NOT_AGREED,
                    f"The IQA sampling plan picked unit {', '.join(waiting)} and no internal "
                    "verifier has agreed yet (the centre holds no direct claims status).",
                )
            )
    return reasons


def _date_reasons(facts: ClaimFacts) -> list[Reason]:
    reasons: list[Reason] = []
    on = facts.claim_on
    if on < facts.registered_on:
        reasons.append(
            Reason(
                Code.BEFORE_REGISTRATION,
                f"The claim date {ddmmyyyy(on)} is before the registration "
                f"({ddmmyyyy(facts.registered_on)}).",
            )
        )
    if on > facts.end_date:
        reasons.append(
            Reason(
                Code.AFTER_REGISTRATION_END,
                f"The claim date {ddmmyyyy(on)} is after the registration period ended "
                f"({ddmmyyyy(facts.end_date)}).",
            )
        )
    last = facts.last_certification
    if last is not None and on > last:
        reasons.append(
            Reason(
                Code.AFTER_LAST_CERTIFICATION,
                f"The last certification date of {facts.qualification_code} was "
                f"{ddmmyyyy(last)}; the claim date is {ddmmyyyy(on)}.",
            )
        )
    return reasons


def _approval(approval: CentreApproval | None, code: str, on: date) -> str | None:
    """The centre must be approved for the qualification on the claim date (the entry rules'
    reading of an approval decision, worded for a claim)."""
    if approval is None:
        return f"The centre holds no approval to offer {code}."
    why = f"; reason: {approval.reason}" if approval.reason else ""
    if approval.status is not Approval.APPROVED:
        return (
            f"The centre's approval for {code} is {approval.status} "
            f"since {ddmmyyyy(approval.since)}{why or '; no reason recorded'}."
        )
    if on < approval.since:
        return (
            f"The centre's approval for {code} starts on {ddmmyyyy(approval.since)}, "
            f"after the claim date {ddmmyyyy(on)}."
        )
    if approval.until is not None and on > approval.until:
        return (
            f"The centre's approval for {code} ended on {ddmmyyyy(approval.until)}, "
            f"before the claim date {ddmmyyyy(on)}{why}."
        )
    return None


def claim_decision(facts: ClaimFacts) -> ClaimDecision:
    """Decide a claim; refused with every reason (none: allowed)."""
    by_number = {u.number: u for u in facts.units}
    units = _units_claimed(facts, by_number)
    reasons: list[Reason] = []
    counted: tuple[str, ...] = tuple(n for n in units if n in set(facts.qualification_units))
    summary = ""
    if not units:
        what = (
            "no unit is signed off or credited"
            if facts.kind is ClaimKind.QUALIFICATION
            else ("no unit is claimed")
        )
        reasons.append(Reason(Code.NO_UNITS, f"Nothing to certify: {what}."))
    reasons.extend(_unit_reasons(facts, units, by_number))
    if facts.kind is ClaimKind.QUALIFICATION:
        if facts.spec is None:
            raise ValueError("a full-qualification claim needs the qualification's rules")
        completion = completion_decision(
            facts.spec,
            signed_off=[u.number for u in facts.units if u.signed_off],
            credited=[u.number for u in facts.units if u.credited],
        )
        counted = completion.counted
        summary = completion.reasons[-1] if completion.allowed else completion.reasons[0]
        if not completion.allowed:
            reasons.append(Reason(Code.RULES_NOT_MET, " ".join(completion.reasons)))
    reasons.extend(_date_reasons(facts))
    problem = _approval(facts.approval, facts.qualification_code, facts.claim_on)
    if problem is not None:
        reasons.append(Reason(Code.CENTRE_NOT_APPROVED, problem))
    for sentence in facts.sanctions:
        text = sentence.strip()
        text = f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")
        reasons.append(Reason(Code.CLAIMS_SUSPENDED, text))
    return ClaimDecision(not reasons, tuple(reasons), counted, summary)
