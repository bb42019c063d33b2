"""Separation of duties: nobody judges their own work, and a candidate is nobody's staff.

Plain Python: the Django side passes plain facts (the role asked, whether the account is a
candidate or staff at the centre, whether it is the registration's own candidate) and gets a
``Decision`` with the sentence the person will read. The reading (docs/accounts.md):

* Nobody is assessor or internal verifier for their own registration, and nobody acts as
  assessor on it (confirming their own evidence, judging their own criteria, signing off).
* An account that is a candidate at a centre (linked to a candidate there, or holding the
  candidate role there) holds no other role at that centre: every staff role (centre
  administrator, tutor, assessor, internal verifier, lead IQA, external verifier, employer
  contact) would let it read other candidates' records or its own as staff. A candidate at
  one centre may work at another (a trainee assessor is often someone's candidate elsewhere).
* The reverse path: an account holding any of those roles at a centre is not made a
  candidate's sign-in there, nor granted the candidate role there; a candidate needs a
  sign-in of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.engines.accounts.rules import YES, Decision

CANDIDATE = "candidate"
STAFF = frozenset(
    {
        "centre_admin",
        "tutor",
        "assessor",
        "internal_verifier",
        "lead_iqa",
        "external_verifier",
        "employer_contact",
    }
)
PLAN_DUTIES = {"assessor": "assessor", "internal_verifier": "internal verifier"}


@dataclass(frozen=True, slots=True)
class Standing:
    """What an account already is at one centre."""

    candidate: bool = False  # linked to a candidate there or holds the candidate role there
    staff_roles: frozenset[str] = frozenset()  # the staff roles it holds there (active)


def may_hold_role(*, role: str, standing: Standing, name: str, place: str) -> Decision:
    """May the account ``name`` be granted ``role`` at centre ``place``?"""
    if role in STAFF and standing.candidate:
        return Decision(
            False,
            f"{name} is a candidate at {place}: a candidate cannot hold a staff role "
            "at their own centre",
        )
    if role == CANDIDATE:
        return may_be_candidate(standing=standing, name=name, place=place)
    return YES


def may_be_candidate(*, standing: Standing, name: str, place: str) -> Decision:
    """May the account ``name`` be a candidate's sign-in (or hold the candidate role) at
    ``place``? Not if it holds a staff role there."""
    if standing.staff_roles & STAFF:
        return Decision(
            False, f"{name} holds a staff role at {place}; a candidate needs a sign-in of their own"
        )
    return YES


def may_take_duty(*, duty: str, own_registration: bool, name: str) -> Decision:
    """May ``name`` be named ``duty`` (assessor or internal_verifier) on a registration's plan?
    ``own_registration``: the account is the registration's own candidate."""
    if own_registration:
        label = PLAN_DUTIES.get(duty, duty.replace("_", " "))
        return Decision(
            False, f"{name} is the candidate on this registration and cannot be their own {label}"
        )
    return YES


def may_act_on(*, own_registration: bool) -> Decision:
    """The last line: an assessor's or verifier's act on a registration that is their own."""
    if own_registration:
        return Decision(False, "you are the candidate on this registration: you cannot assess it")
    return YES
