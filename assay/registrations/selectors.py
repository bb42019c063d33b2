"""Reads of candidates and registrations, always narrowed to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet

from assay.centres.models import Centre
from assay.centres.permissions import (
    can_administer,
    registration_filter,
    sees_all_registrations_at,
)
from assay.errors import NotFound
from assay.registrations.models import (
    Candidate,
    PlanUnit,
    PriorKind,
    Refusal,
    Registration,
    RplClaim,
    StatusChange,
)
from assay.users import AnyUser

# A qualification's spec row is joined for its version; its content (the whole spec, ~112 KB of
# JSON) stays in the database on every list read: decoded once a row it cost a centre of 20,000
# learners 12.9 GB (issue 12). Reads of one registration that need it ask for it (``with_spec``).
SPEC_CONTENT = "qualification__spec__content"


def registrations_visible_to(user: AnyUser) -> QuerySet[Registration]:
    """The registrations the user may see, with candidate, centre, qualification (and its
    spec's version, not its content) and internal verifier joined."""
    visible = Registration.objects.filter(registration_filter(user)).values("pk")
    return (
        Registration.objects.filter(pk__in=visible)
        .select_related("candidate", "centre", "qualification__spec", "internal_verifier")
        .defer(SPEC_CONTENT)
    )


def registrations_at(user: AnyUser, centre: Centre) -> QuerySet[Registration]:
    """``registrations_visible_to(user)`` at ``centre``, joined the same way. Someone who sees
    the whole centre (``sees_all_registrations_at``) gets the centre's rows without the
    visibility subquery, which reads every registration of every centre to answer."""
    if not sees_all_registrations_at(user, centre):
        return registrations_visible_to(user).filter(centre=centre)
    return (
        Registration.objects.filter(centre=centre)
        .select_related("candidate", "centre", "qualification__spec", "internal_verifier")
        .defer(SPEC_CONTENT)
    )


def with_spec(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """``registrations`` with the qualification's spec content read in the same query: for
    reads of one registration that check its plan or units against the spec."""
    return registrations.defer(None)


def own_registrations(user: AnyUser) -> QuerySet[Registration]:
    """The user's registrations as a candidate (their portfolios), newest first."""
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(candidate__user_id=user.pk)
        .select_related("qualification", "centre")
        .order_by("-registered_on", "-pk")
    )


def registration_get(user: AnyUser, pk: int) -> Registration:
    """One registration with its plan and history, or NotFound for missing and not-yours alike."""
    registration = (
        with_spec(registrations_visible_to(user))
        .prefetch_related(
            Prefetch("plan_units", queryset=PlanUnit.objects.select_related("assessor")),
            Prefetch("history", queryset=StatusChange.objects.select_related("by")),
            "signatures__signer",
            "rpl_claims",
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise NotFound(f"no registration {pk}")
    return registration


def candidates_visible_to(user: AnyUser) -> QuerySet[Candidate]:
    by_registration = Registration.objects.filter(registration_filter(user)).values("candidate_id")
    return Candidate.objects.filter(pk__in=by_registration).select_related("centre")


def centre_registrations(centre: Centre) -> QuerySet[Registration]:
    """Every registration at a centre (callers have checked the user may see the centre),
    without the spec content (``SPEC_CONTENT``)."""
    return (
        Registration.objects.filter(centre=centre)
        .select_related("candidate", "qualification__spec")
        .defer(SPEC_CONTENT)
    )


def status_counts(centre: Centre) -> dict[str, int]:
    rows = Registration.objects.filter(centre=centre).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def refusals_at(user: AnyUser, centre: Centre) -> QuerySet[Refusal]:
    if not can_administer(user, centre):
        return Refusal.objects.none()
    return Refusal.objects.filter(centre=centre)


def rpl_claim_get(user: AnyUser, pk: int) -> RplClaim:
    """One RPL claim on a registration the user may see, or NotFound (missing and not-yours)."""
    claim = (
        RplClaim.objects.select_related("registration__centre", "registration__candidate")
        .filter(pk=pk, registration__in=registrations_visible_to(user).values("pk"))
        .first()
    )
    if claim is None:
        raise NotFound(f"no RPL claim {pk}")
    return claim


def credited_of(registration_ids: Iterable[int]) -> dict[int, list[str]]:
    """Units credited by credit transfer, per registration, in one query (ADR 0010): they
    count as achieved in progress and the rules of combination like a signed-off unit."""
    out: dict[int, list[str]] = {}
    for registration_id, unit in (
        RplClaim.objects.filter(
            registration_id__in=list(registration_ids),
            kind=PriorKind.CREDIT_TRANSFER,
            accepted=True,
        )
        .order_by("registration_id", "pk")
        .values_list("registration_id", "unit_number")
    ):
        out.setdefault(registration_id, []).append(unit)
    return out


def credited_units(registration: Registration) -> list[str]:
    """``credited_of`` one registration."""
    return credited_of([registration.pk]).get(registration.pk, [])
