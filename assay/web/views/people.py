"""The people and roles page and its forms: grant a role, record an A/V unit, mark it
achieved, log CPD.

A centre the user may not see, or a person who does not work there, answers 404; a form their
role does not allow answers 403 with the service's reason. Bad input re-renders the page with
the form's field errors (400) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from assay import clock
from assay.centres.people import competence_achieved, competence_record, cpd_record
from assay.centres.services import membership_grant
from assay.errors import NotAllowed
from assay.registrations import overview
from assay.registrations.staff import CompetenceState
from assay.web.flow import done, submit
from assay.web.forms import GrantForm
from assay.web.people_forms import AchievedForm, CompetenceForm, CpdForm
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

# A bound form that failed, keyed by (form, target pk), shown again with its errors.
Bound = Mapping[tuple[str, int], forms.Form]
F = TypeVar("F", bound=forms.Form)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person's section: their facts and the forms the page offers them."""

    person: overview.Person
    competence_form: CompetenceForm | None
    cpd_form: CpdForm | None
    competences: list[tuple[CompetenceState, AchievedForm | None]]


def _form(bound: Bound, kind: str, pk: int, form_class: type[F]) -> F:
    """The failed form for this target, or a fresh one (prefixed: one per person or record)."""
    failed = bound.get((kind, pk))
    return failed if isinstance(failed, form_class) else form_class(prefix=f"{kind}-{pk}")


def _rows(page: overview.CentrePeople, bound: Bound) -> list[PersonRow]:
    rows = []
    for person in page.people:
        pk = person.user.pk
        allowed = person.can_record_competence
        competence = _form(bound, "competence", pk, CompetenceForm) if allowed else None
        if competence is not None:
            competence.offer(page.competence_roles)
        cpd = _form(bound, "cpd", pk, CpdForm) if person.can_log_cpd else None
        competences = [
            (
                state,
                _form(bound, "achieved", state.id, AchievedForm)
                if allowed and state.achieved_on is None
                else None,
            )
            for state in person.facts.competence
        ]
        rows.append(PersonRow(person, competence, cpd, competences))
    return rows


def _people_page(
    request: AuthedRequest,
    page: overview.CentrePeople,
    form: GrantForm | None = None,
    bound: Bound | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "page": page,
        "form": form or GrantForm(codes=page.qualification_codes),
        "rows": _rows(page, bound or {}),
    }
    return render(request, "web/centres/people.html", context, status=status)


def _done(request: AuthedRequest, page: overview.CentrePeople, message: str) -> HttpResponse:
    return done(request, message, "centre-people", pk=page.centre.pk)


def _again(
    request: AuthedRequest,
    page: overview.CentrePeople,
    kind: str,
    pk: int,
    allowed: bool,
    denial: str,
) -> Callable[[forms.Form], HttpResponse]:
    """The page again with the failed form of ``(kind, pk)`` (400); a form the viewer is not
    offered answers 403 with ``denial``."""

    def again(form: forms.Form) -> HttpResponse:
        if not allowed:
            raise NotAllowed(denial)
        return _people_page(request, page, bound={(kind, pk): form}, status=400)

    return again


def _page(request: AuthedRequest, pk: int, person_id: int | None = None) -> overview.CentrePeople:
    """The page of people the request names (``?cursor=…&size=…``: the forms post back to the
    page they are on), with ``person_id`` on it when a form was posted for them."""
    return overview.centre_people(
        request.user,
        pk,
        clock.today(),
        request.GET.get("cursor"),
        request.GET.get("size"),
        person_id=person_id,
    )


@require_GET
@member_view
def people(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff with their roles, competence records and CPD; the forms each viewer may use."""
    return _people_page(request, _page(request, pk))


@require_POST
@member_view
def people_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    """Grant a role at the centre (``membership_grant``)."""
    page = _page(request, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        membership = membership_grant(
            by=request.user,
            centre=page.centre,
            user=data["username"],
            role=data["role"],
            qualification_code=data["qualification_code"],
        )
        role = membership.get_role_display()
        return _done(request, page, f"{membership.user} now holds the role {role}.")

    def again(form: GrantForm) -> HttpResponse:
        if not page.can_grant:
            raise NotAllowed("only a centre administrator can grant roles")
        return _people_page(request, page, form, status=400)

    return submit(GrantForm(request.POST, codes=page.qualification_codes), act, again)


@require_POST
@member_view
def people_competence(request: AuthedRequest, pk: int, user_pk: int) -> HttpResponse:
    """Record an A/V unit the person holds or is working towards (``competence_record``)."""
    page = _page(request, pk, user_pk)
    person = page.person(user_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        row = competence_record(
            by=request.user,
            centre=page.centre,
            user=person.user,
            role=data["role"],
            av_unit=data["av_unit"],
            started_on=data["started_on"],
            achieved_on=data["achieved_on"],
        )
        return _done(request, page, f"{row.av_unit} recorded for {person.user}.")

    denial = "only a centre administrator can record A/V units"
    again = _again(request, page, "competence", user_pk, person.can_record_competence, denial)
    return submit(CompetenceForm(request.POST, prefix=f"competence-{user_pk}"), act, again)


@require_POST
@member_view
def people_achieved(
    request: AuthedRequest, pk: int, user_pk: int, competence_pk: int
) -> HttpResponse:
    """Mark an A/V unit achieved (``competence_achieved``)."""
    page = _page(request, pk, user_pk)
    person = page.person(user_pk)
    competence = person.competence(competence_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        row = competence_achieved(
            by=request.user, competence=competence, achieved_on=data["achieved_on"]
        )
        return _done(request, page, f"{row.av_unit} achieved by {person.user}.")

    denial = "only a centre administrator can mark A/V units achieved"
    again = _again(request, page, "achieved", competence_pk, person.can_record_competence, denial)
    return submit(AchievedForm(request.POST, prefix=f"achieved-{competence_pk}"), act, again)


@require_POST
@member_view
def people_cpd(request: AuthedRequest, pk: int, user_pk: int) -> HttpResponse:
    """Add an entry to the person's CPD log (``cpd_record``)."""
    page = _page(request, pk, user_pk)
    person = page.person(user_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        entry = cpd_record(
            by=request.user,
            user=person.user,
            on=data["on"],
            hours=data["hours"],
            activity=data["activity"],
        )
        return _done(request, page, f"CPD logged for {person.user}: {entry.hours} hours.")

    denial = "only the person themselves or a centre administrator can log CPD"
    again = _again(request, page, "cpd", user_pk, person.can_log_cpd, denial)
    return submit(CpdForm(request.POST, prefix=f"cpd-{user_pk}"), act, again)
