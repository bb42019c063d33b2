"""Occupational competence and CPD of centre staff: who may record what, and the checks.

A centre administrator records the assessor/verifier (A/V) units of the staff at their centre
and marks them achieved; an external verifier belongs to the awarding body, so only the
awarding body (a superuser) records theirs. CPD is logged by the person themselves or by a
centre administrator where they work. Dates are checked against the one clock: nothing is
achieved, started or done after today, and no unit is achieved before its holder started
working with the standards. Bad input raises InvalidInput and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assay import clock
from assay.centres.models import Centre, Competence, CompetenceRole, CpdEntry, Membership, Role
from assay.centres.permissions import STAFF_ROLES, can_administer, centre_ids_with_role, roles_at
from assay.engines.dates import ddmmyyyy
from assay.errors import InvalidInput, NotAllowed
from assay.users import User

MAX_HOURS = Decimal("9999.9")  # CpdEntry.hours: five digits, one after the point
EV_ONLY = "only the awarding body records an external verifier's A/V units"


def _superuser(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def _name(user: User) -> str:
    return user.get_username()


def _administers_where_they_work(by: User, user: User, roles: tuple[str, ...]) -> bool:
    """Is ``by`` a centre administrator at a centre where ``user`` holds one of ``roles``?"""
    return bool(centre_ids_with_role(by, Role.CENTRE_ADMIN) & centre_ids_with_role(user, *roles))


def _dates(started_on: dt.date, achieved_on: dt.date | None) -> dict[str, str]:
    today = clock.today()
    errors: dict[str, str] = {}
    if started_on > today:
        errors["started_on"] = (
            f"the start date {ddmmyyyy(started_on)} is after today ({ddmmyyyy(today)})"
        )
    if achieved_on is not None:
        if achieved_on < started_on:
            errors["achieved_on"] = (
                f"the unit cannot be achieved ({ddmmyyyy(achieved_on)}) before its holder "
                f"started working with the standards ({ddmmyyyy(started_on)})"
            )
        elif achieved_on > today:
            errors["achieved_on"] = (
                f"the achievement date {ddmmyyyy(achieved_on)} is after today ({ddmmyyyy(today)})"
            )
    return errors


def competence_record(
    *,
    by: User,
    centre: Centre,
    user: User,
    role: str,
    av_unit: str,
    started_on: dt.date,
    achieved_on: dt.date | None = None,
) -> Competence:
    """A new A/V unit record for a member of staff at ``centre``: the unit they hold or are
    working towards, from the day they started working with the standards (the 18-month or
    12-month deadline runs from there)."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can record A/V units")
    if role not in CompetenceRole.values:
        raise InvalidInput({"role": f"choose one of {', '.join(CompetenceRole.values)}"})
    if role == CompetenceRole.EXTERNAL_VERIFIER and not _superuser(by):
        raise NotAllowed(EV_ONLY)
    if not roles_at(user, centre) & set(STAFF_ROLES):
        raise InvalidInput({"user": f"{_name(user)} holds no staff role at {centre.name}"})
    unit = av_unit.strip()
    errors = _dates(started_on, achieved_on)
    if not unit:
        errors["av_unit"] = "name the assessor or verifier unit, e.g. A1 or V1"
    elif len(unit) > 64:
        errors["av_unit"] = "the unit name is longer than 64 characters"
    elif Competence.objects.filter(user_id=user.pk, role=role, av_unit__iexact=unit).exists():
        errors["av_unit"] = (
            f"{_name(user)} already has a {unit} record as {CompetenceRole(role).label.lower()}; "
            "mark that one achieved instead"
        )
    if errors:
        raise InvalidInput(errors)
    return Competence.objects.create(
        user_id=user.pk, role=role, av_unit=unit, started_on=started_on, achieved_on=achieved_on
    )


def competence_achieved(*, by: User, competence: Competence, achieved_on: dt.date) -> Competence:
    """Mark an A/V unit achieved (once): from then on the deadline no longer applies."""
    if competence.role == CompetenceRole.EXTERNAL_VERIFIER:
        if not _superuser(by):
            raise NotAllowed(EV_ONLY)
    elif not _superuser(by) and not _administers_where_they_work(by, competence.user, STAFF_ROLES):
        raise NotAllowed("only a centre administrator where they work can mark A/V units achieved")
    if competence.achieved_on is not None:
        when = ddmmyyyy(competence.achieved_on)
        raise InvalidInput({"achieved_on": f"{competence.av_unit} was achieved on {when}"})
    errors = _dates(competence.started_on, achieved_on)
    errors.pop("started_on", None)  # recorded earlier; only the new date is in question
    if errors:
        raise InvalidInput(errors)
    updated = Competence.objects.filter(pk=competence.pk, achieved_on__isnull=True).update(
        achieved_on=achieved_on
    )
    if not updated:
        raise InvalidInput({"achieved_on": f"{competence.av_unit} has just been marked achieved"})
    competence.achieved_on = achieved_on
    return competence


def _hours_error(hours: Decimal) -> str | None:
    if not hours.is_finite() or hours <= 0:
        return "give the hours as a number greater than 0"
    if hours > MAX_HOURS:
        return f"at most {MAX_HOURS} hours in one entry"
    if hours != hours.quantize(Decimal("0.1")):
        return "give the hours to one decimal place, e.g. 1.5"
    return None


def cpd_record(*, by: User, user: User, on: dt.date, hours: Decimal, activity: str) -> CpdEntry:
    """An entry in a member of staff's CPD log, by themselves or a centre administrator
    where they work."""
    worked = tuple(role for role in Role.values if role != Role.CANDIDATE)
    if not (by.pk == user.pk or _superuser(by) or _administers_where_they_work(by, user, worked)):
        raise NotAllowed(
            "only the person themselves or a centre administrator where they work can log CPD"
        )
    if not Membership.objects.filter(user_id=user.pk, active=True, role__in=STAFF_ROLES).exists():
        raise InvalidInput(
            {"user": f"CPD is logged for centre staff; {_name(user)} holds no staff role"}
        )
    errors: dict[str, str] = {}
    today = clock.today()
    if on > today:
        errors["on"] = f"the date {ddmmyyyy(on)} is after today ({ddmmyyyy(today)})"
    if problem := _hours_error(Decimal(hours)):
        errors["hours"] = problem
    if not activity.strip():
        errors["activity"] = "describe the activity"
    if errors:
        raise InvalidInput(errors)
    return CpdEntry.objects.create(
        user_id=user.pk, on=on, hours=Decimal(hours), activity=activity.strip()
    )
