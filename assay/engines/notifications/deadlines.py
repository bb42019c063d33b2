"""Which deadlines are due for a reminder on a given day, whom to tell, and why — pure.

The schedule (``SCHEDULE``): 7 days before the due date, 1 day before, and the first day
overdue (the day after the due date; the due date itself is still in time). Only those days:
a night the job did not run is not made up later (the next day of the schedule still comes).

What is reminded, and who is told:

* an ICSS audit's corrective action (``due_on``): while the organisation owes it — open or
  rejected (an answer owed), or an accepted plan for a *major* nonconformity (its
  implementation, to be verified) — the organisation's contacts are told on each day of the
  schedule; on the first day overdue the audit's lead auditor is told as well, also when the
  organisation has answered and the auditor's review is what is late. Verified actions, and
  a minor nonconformity's accepted plan (checked at the next audit), are done: never reminded.
* an EQA action point (``due_on``): until it is marked done, its owner on each day; on the
  first day overdue also the centre's administrators and lead IQAs.
* a registration's end date (assessment must be complete by then): while it is unfinished,
  the centre's administrators and the candidate's assessors, 7 days and 1 day before. There
  is no overdue reminder: the night after the end date the registration expires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from assay.engines.registration.lifecycle import FINAL
from assay.engines.registration.lifecycle import Status as RegistrationStatus

__all__ = [
    "SCHEDULE",
    "Audience",
    "Deadline",
    "DeadlineKind",
    "Reminder",
    "Stage",
    "reminder_due",
    "stage_on",
]


class DeadlineKind(StrEnum):
    CORRECTIVE_ACTION = "corrective_action"
    EQA_ACTION_POINT = "eqa_action_point"
    REGISTRATION_END = "registration_end"


class Stage(StrEnum):
    WEEK_BEFORE = "7_days_before"
    DAY_BEFORE = "1_day_before"
    OVERDUE = "overdue"


# Stage → days from the due date to the reminder (negative: before it).
SCHEDULE: dict[Stage, int] = {Stage.WEEK_BEFORE: -7, Stage.DAY_BEFORE: -1, Stage.OVERDUE: 1}


class Audience(StrEnum):
    """The groups of people a reminder goes to; the app names the people in each."""

    CLIENT_CONTACTS = "client_contacts"  # the audited organisation's active contacts
    LEAD_AUDITOR = "lead_auditor"  # the audit's lead auditor
    POINT_OWNER = "point_owner"  # the EQA action point's owner
    CENTRE_LEADS = "centre_leads"  # the centre's administrators and lead IQAs
    CENTRE_ADMINS = "centre_admins"  # the centre's administrators
    ASSESSORS = "assessors"  # the assessors on the candidate's learning plan


WHY: dict[Audience, str] = {
    Audience.CLIENT_CONTACTS: "you are a contact of the audited organisation",
    Audience.LEAD_AUDITOR: "you lead this audit",
    Audience.POINT_OWNER: "you own this action point",
    Audience.CENTRE_LEADS: "you administer or lead quality assurance at this centre",
    Audience.CENTRE_ADMINS: "you administer this centre",
    Audience.ASSESSORS: "you assess units on this candidate's learning plan",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated thing to remind of: ``state`` is the item's own (a corrective action's
    open/proposed/accepted/rejected/verified, an action point's open/done, a registration's
    status); ``grade`` a corrective action's nonconformity (major/minor)."""

    kind: DeadlineKind
    item: int
    due_on: dt.date
    state: str
    grade: str = ""


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due today: who is told (with the reason each is), and a stable code."""

    deadline: Deadline
    stage: Stage
    day: dt.date
    audience: tuple[Audience, ...]
    code: str
    reason: str

    @property
    def key(self) -> str:
        """One key per item, stage and day: the same reminder is sent once however often the
        job runs (a unique column in the app)."""
        d = self.deadline
        return f"{d.kind}:{d.item}:{self.stage}:{self.day.isoformat()}"


def stage_on(due_on: dt.date, today: dt.date) -> Stage | None:
    """The stage of the schedule ``today`` is for a deadline on ``due_on``; None most days."""
    for stage, offset in SCHEDULE.items():
        if today == due_on + dt.timedelta(days=offset):
            return stage
    return None


def _when(stage: Stage, due_on: dt.date) -> str:
    day = due_on.strftime("%d/%m/%Y")
    if stage == Stage.OVERDUE:
        return f"was due on {day} and is overdue"
    return f"is due on {day}, in {-SCHEDULE[stage]} day(s)"


def _corrective_action(d: Deadline, stage: Stage) -> tuple[tuple[Audience, ...], str, str]:
    if d.state == "verified" or (d.state == "accepted" and d.grade != "major"):
        return (), "done", "the corrective action is verified or its plan accepted: done"
    client_owes = d.state in ("open", "rejected", "accepted")
    who: list[Audience] = [Audience.CLIENT_CONTACTS] if client_owes else []
    if stage == Stage.OVERDUE:
        who.append(Audience.LEAD_AUDITOR)
    if not who:
        return (), "waiting_on_auditor", "the organisation has answered; the review is not late yet"
    owed = {
        "open": "the organisation's answer",
        "rejected": "a new answer (the plan was rejected)",
        "accepted": "the accepted plan's implementation, for verification",
        "proposed": "the auditor's review of the answer",
    }.get(d.state, "the corrective action")
    return tuple(who), "corrective_action_due", f"{owed} {_when(stage, d.due_on)}"


def _action_point(d: Deadline, stage: Stage) -> tuple[tuple[Audience, ...], str, str]:
    if d.state == "done":
        return (), "done", "the action point is done"
    who = [Audience.POINT_OWNER]
    if stage == Stage.OVERDUE:
        who.append(Audience.CENTRE_LEADS)
    return tuple(who), "action_point_due", f"the EQA action point {_when(stage, d.due_on)}"


def _registration(d: Deadline, stage: Stage) -> tuple[tuple[Audience, ...], str, str]:
    status = RegistrationStatus(d.state)
    if status in FINAL:
        return (), "done", f"the registration is {status.value.replace('_', ' ')}"
    if stage == Stage.OVERDUE:
        return (), "expires", "past its end date the registration expires; nobody is reminded"
    day = d.due_on.strftime("%d/%m/%Y")
    text = f"assessment must be complete by {day}, in {-SCHEDULE[stage]} day(s)"
    return (Audience.CENTRE_ADMINS, Audience.ASSESSORS), "registration_ending", text


RULES = {
    DeadlineKind.CORRECTIVE_ACTION: _corrective_action,
    DeadlineKind.EQA_ACTION_POINT: _action_point,
    DeadlineKind.REGISTRATION_END: _registration,
}


def reminder_due(deadline: Deadline, today: dt.date) -> Reminder | None:
    """The reminder ``deadline`` needs ``today``, or None: not a day of the schedule, or
    nothing is owed any more (done, verified, finished), or nobody is to be told yet."""
    stage = stage_on(deadline.due_on, today)
    if stage is None:
        return None
    audience, code, reason = RULES[deadline.kind](deadline, stage)
    if not audience:
        return None
    return Reminder(deadline, stage, today, audience, code, reason)
