"""People and sites endpoints: A/V unit records, CPD entries, a centre's sites.

A centre the caller may not see, or a person who does not work there, answers 404 exactly like
a missing one; seeing them without the role to act answers 403 (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from assay import clock
from assay.api import people_schemas as p
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.centres.people import competence_achieved, competence_record, cpd_record
from assay.centres.selectors import competence_get, person_at
from assay.centres.services import site_add
from assay.registrations.dashboard import SiteOut, centre_get
from assay.registrations.staff import CompetenceState, CpdOut

router = Router(tags=["centres"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
PERSON = "centres/{centre_id}/people/{user_id}"


@router.post(f"{PERSON}/competence", response={201: CompetenceState, **ERRORS})
def record_competence(
    request: HttpRequest, centre_id: int, user_id: int, body: p.CompetenceIn
) -> Status[Any]:
    """Record an A/V unit the person holds or is working towards (a centre administrator;
    an external verifier's units: the awarding body). The answer carries the deadline."""
    user = who(request)
    centre = centre_get(user, centre_id)
    row = competence_record(
        by=user,
        centre=centre,
        user=person_at(centre, user_id),
        role=body.role,
        av_unit=body.av_unit,
        started_on=body.started_on,
        achieved_on=body.achieved_on,
    )
    return Status(201, CompetenceState.of(row, clock.today()))


@router.post(
    f"{PERSON}/competence/{{competence_id}}/achieved",
    response={200: CompetenceState, **ERRORS},
)
def mark_achieved(
    request: HttpRequest, centre_id: int, user_id: int, competence_id: int, body: p.AchievedIn
) -> CompetenceState:
    """Mark an A/V unit achieved, once: not before the start, not after today."""
    user = who(request)
    person = person_at(centre_get(user, centre_id), user_id)
    row = competence_achieved(
        by=user, competence=competence_get(person, competence_id), achieved_on=body.achieved_on
    )
    return CompetenceState.of(row, clock.today())


@router.post(f"{PERSON}/cpd", response={201: CpdOut, **ERRORS})
def log_cpd(request: HttpRequest, centre_id: int, user_id: int, body: p.CpdIn) -> Status[Any]:
    """Add an entry to the person's CPD log (the person themselves or a centre
    administrator): hours more than 0, a date not after today."""
    user = who(request)
    entry = cpd_record(
        by=user,
        user=person_at(centre_get(user, centre_id), user_id),
        on=body.on,
        hours=body.hours,
        activity=body.activity,
    )
    return Status(201, CpdOut.of(entry))


@router.post("centres/{centre_id}/sites", response={201: SiteOut, **ERRORS})
def add_site(request: HttpRequest, centre_id: int, body: p.SiteIn) -> Status[Any]:
    """Add a site of the centre (centre administrators); names are unique per centre."""
    user = who(request)
    site = site_add(
        by=user, centre=centre_get(user, centre_id), name=body.name, address=body.address
    )
    return Status(201, SiteOut.of(site))
