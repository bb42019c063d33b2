"""Reads of a centre's people: one person, one of their A/V unit records.

Callers have already fetched the centre through ``centres_visible_to``. A person who holds no
role at the centre (or only a candidate's) answers NotFound exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from assay.centres.models import Centre, Competence, CompetenceRole, Membership, Role
from assay.errors import InvalidInput, NotFound
from assay.users import User


def person_at(centre: Centre, user_id: int) -> Any:
    """Someone on the centre's people page (any role but candidate), or NotFound."""
    works_here = (
        Membership.objects.filter(centre=centre, active=True)
        .exclude(role=Role.CANDIDATE)
        .values("user_id")
    )
    person = get_user_model().objects.filter(pk=user_id, pk__in=works_here).first()
    if person is None:
        raise NotFound(f"no person {user_id} at centre {centre.number}")
    return person


def competence_get(person: User, competence_id: int) -> Competence:
    """One of the person's A/V unit records, or NotFound."""
    row = Competence.objects.filter(pk=competence_id, user_id=person.pk).first()
    if row is None:
        raise NotFound(f"no A/V unit record {competence_id} for {person.get_username()}")
    return row


def competence_find(person: User, av_unit: str, role: str | None = None) -> Competence:
    """The person's record of ``av_unit`` (and ``role`` when they have it in two roles)."""
    rows = Competence.objects.filter(user_id=person.pk, av_unit__iexact=av_unit.strip())
    if role is not None:
        rows = rows.filter(role=role)
    found = list(rows[:2])
    if not found:
        raise NotFound(f"{person.get_username()} has no {av_unit} record")
    if len(found) > 1:
        roles = ", ".join(CompetenceRole.values)
        raise InvalidInput({"role": f"{av_unit} is recorded in two roles: choose one of {roles}"})
    return found[0]
