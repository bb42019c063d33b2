"""May this candidate be registered for this qualification at this centre on this day?

The rules are the City & Guilds 4430-04 handbook's (sections 2–4): centre approval, the last
registration date, the minimum age, not re-taking a qualification already held, and
assessment in a real job; and no sanction of the external verifier's suspending
registrations or withdrawing approval in force (``assay.engines.sanctions``: "existing
sanctions will apply"). Every failed rule is reported, so a centre fixes all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..dates import ddmmyyyy
from ..sanctions.levels import Act
from ..sanctions.rules import Sanction, blocks
from .held import Match, held_match
from .period import PeriodEnd, registration_end

__all__ = [
    "Approval",
    "CandidateFacts",
    "CentreApproval",
    "Check",
    "EntryDecision",
    "PeriodEnd",
    "QualificationFacts",
    "Reason",
    "age_on",
    "entry_decision",
    "registration_end",
]

ALREADY_HOLDS = (
    "Candidates should not be entered for a qualification of the same type, content and level "
    "as that of a qualification they already hold."
)


class Approval(StrEnum):
    """A centre's standing with the awarding body for one qualification."""

    APPROVED = "approved"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class Check(StrEnum):
    """The stable code of each entry rule (what callers and translations key on)."""

    CENTRE_NOT_APPROVED = "centre-not-approved"
    AFTER_LAST_REGISTRATION = "after-last-registration"
    UNDER_MINIMUM_AGE = "under-minimum-age"
    ALREADY_HOLDS = "already-holds"
    NO_REAL_JOB = "no-real-job"
    CENTRE_SANCTIONED = "centre-sanctioned"


@dataclass(frozen=True, slots=True)
class CentreApproval:
    """The centre's status for the qualification over ``[since, until]`` (both inclusive;
    ``until`` None is open-ended). Outside that window the status is unknown, so not approved."""

    status: Approval
    since: date
    until: date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise ValueError(f"approval ends {self.until} before it starts {self.since}")


@dataclass(frozen=True, slots=True)
class QualificationFacts:
    """What the catalogue says about a qualification. ``equivalents`` are codes it declares
    of the same type, content and level; None dates and ages mean the source sets none."""

    code: str
    title: str
    level: int
    last_registration: date | None
    last_certification: date | None
    minimum_age: int | None
    real_job_required: bool
    equivalents: frozenset[str] = frozenset()
    qualification_id: str = ""
    predecessors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What the centre knows about the candidate; ``real_job`` is paid or voluntary work."""

    date_of_birth: date
    held_qualifications: frozenset[str]
    real_job: bool


@dataclass(frozen=True, slots=True)
class Reason:
    """One failed rule: its stable ``code`` and a sentence naming the facts."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class EntryDecision:
    """Allowed exactly when no rule failed; ``reasons`` lists every failure in rule order."""

    allowed: bool
    reasons: tuple[Reason, ...]

    def __post_init__(self) -> None:
        if self.allowed == bool(self.reasons):
            raise ValueError("a decision is allowed exactly when it has no reasons")


def age_on(born: date, on: date) -> int:
    """Age in whole years on ``on``. A 29 February birthday is reached on 1 March in
    non-leap years (the England and Wales reading; Scots law would use 28 February).
    Raises ValueError for a day before birth, which is a data error, not an age."""
    if on < born:
        raise ValueError(f"{ddmmyyyy(on)} is before the date of birth {ddmmyyyy(born)}")
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before_birthday


def entry_decision(
    *,
    candidate: CandidateFacts,
    qualification: QualificationFacts,
    approval: CentreApproval | None,
    registered_on: date,
    sanctions: Sequence[Sanction] = (),
) -> EntryDecision:
    """Check every entry rule for registering ``candidate`` on ``registered_on``;
    ``sanctions`` are the centre's (all of them: the rule picks those in force)."""
    found = (
        _centre(approval, qualification.code, registered_on),
        *_sanctioned(sanctions, qualification.code, registered_on),
        _last_registration(qualification, registered_on),
        _age(candidate, qualification, registered_on),
        _already_holds(candidate, qualification),
        _real_job(candidate, qualification),
    )
    reasons = tuple(reason for reason in found if reason is not None)
    return EntryDecision(allowed=not reasons, reasons=reasons)


def approval_problem(approval: CentreApproval | None, code: str, on: date) -> Reason | None:
    """Why the centre may not register candidates for ``code`` on ``on`` (None: it may).

    Public so that dashboards show "in force" by the same rule the entry decision applies.
    """
    return _centre(approval, code, on)


def _centre(approval: CentreApproval | None, code: str, on: date) -> Reason | None:
    """A centre may register candidates only while approved for the qualification."""
    check = Check.CENTRE_NOT_APPROVED
    if approval is None:
        return Reason(check, f"The centre holds no approval to offer {code}.")
    why = f"; reason: {approval.reason}" if approval.reason else ""
    if approval.status is not Approval.APPROVED:
        return Reason(
            check,
            f"The centre's approval for {code} is {approval.status} "
            f"since {ddmmyyyy(approval.since)}{why or '; no reason recorded'}.",
        )
    if on < approval.since:
        return Reason(
            check,
            f"The centre's approval for {code} starts on {ddmmyyyy(approval.since)}, "
            f"after registration on {ddmmyyyy(on)}.",
        )
    if approval.until is not None and on > approval.until:
        return Reason(
            check,
            f"The centre's approval for {code} ended on {ddmmyyyy(approval.until)}, "
            f"before registration on {ddmmyyyy(on)}{why}.",
        )
    return None


def _sanctioned(sanctions: Sequence[Sanction], code: str, on: date) -> list[Reason]:
    """No registrations while the external verifier's sanction suspends them or withdraws
    the centre's approval, for the centre or for this qualification."""
    return [
        Reason(Check.CENTRE_SANCTIONED, f"{message[0].upper()}{message[1:]}.")
        for message in blocks(sanctions, Act.REGISTRATION, on, code)
    ]


def _last_registration(qualification: QualificationFacts, on: date) -> Reason | None:
    """No registrations are accepted after the published last registration date."""
    last = qualification.last_registration
    if last is None or on <= last:
        return None
    return Reason(
        Check.AFTER_LAST_REGISTRATION,
        f"Registration on {ddmmyyyy(on)} is after the last registration date for "
        f"{qualification.code}, {ddmmyyyy(last)}.",
    )


def _age(candidate: CandidateFacts, qualification: QualificationFacts, on: date) -> Reason | None:
    """Registrations are refused for candidates below the qualification's approved age."""
    minimum = qualification.minimum_age
    if minimum is None:
        return None
    age = age_on(candidate.date_of_birth, on)
    if age >= minimum:
        return None
    return Reason(
        Check.UNDER_MINIMUM_AGE,
        f"The candidate is {age} on {ddmmyyyy(on)}; {qualification.code} is not approved "
        f"for candidates under {minimum}.",
    )


def _already_holds(candidate: CandidateFacts, qualification: QualificationFacts) -> Reason | None:
    """Holding the qualification (by code or id, whatever the case or spacing), a declared
    equivalent or its declared predecessor bars entry."""
    found = held_match(
        candidate.held_qualifications,
        code=qualification.code,
        qualification_id=qualification.qualification_id,
        equivalents=qualification.equivalents,
        predecessors=qualification.predecessors,
    )
    if not found:
        return None
    code = qualification.code
    parts = []
    for kind, words in (
        (Match.SAME, f"the candidate already holds {code}"),
        (Match.EQUIVALENT, f"declared equivalent to {code} (same type, content and level)"),
        (Match.PREDECESSOR, f"the predecessor of {code} (same type, content and level)"),
    ):
        held = [m.held for m in found if m.match is kind]
        if not held:
            continue
        if kind is Match.SAME:
            recorded = f" (recorded as {', '.join(held)})" if held != [code] else ""
            parts.append(words + recorded)
        else:
            parts.append(f"the candidate already holds {', '.join(held)}, {words}")
    sentence = "; ".join(parts)
    return Reason(Check.ALREADY_HOLDS, f"{sentence[0].upper()}{sentence[1:]}. {ALREADY_HOLDS}")


def _real_job(candidate: CandidateFacts, qualification: QualificationFacts) -> Reason | None:
    """Where simulation is not accepted, the candidate needs a job to be assessed in."""
    if not qualification.real_job_required or candidate.real_job:
        return None
    return Reason(
        Check.NO_REAL_JOB,
        f"The candidate has no real job; Level {qualification.level} assessment for "
        f"{qualification.code} {qualification.title} must be carried out in a real job "
        "(either paid or voluntary), and simulation is not accepted.",
    )
