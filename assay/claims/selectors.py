"""Claims' reads, narrowed to what the user may see: NotFound for "missing or not yours".

``ready_page``: a centre's registrations with something to claim, a keyset page at a time,
decided by the engine from facts read for the whole page (a fixed number of queries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from assay import clock
from assay.catalogue.selectors import qualification_engine_spec
from assay.centres.models import Centre
from assay.centres.permissions import STAFF_ROLES, registration_filter, roles_at
from assay.engines.claims import ClaimDecision, ClaimKind, claim_decision
from assay.engines.entry.rules import CentreApproval
from assay.errors import NotAllowed, NotFound
from assay.keyset import Page, paginate
from assay.registrations.facts import approvals_in_force
from assay.registrations.models import Registration, Status
from assay.users import AnyUser

from .access import ADMIN_ONLY, claims_visible_to, is_awarding_body, is_centre_admin
from .facts import centre_claim_checks, claim_facts, units_of
from .models import OPEN, Certificate, CertificateUnit, Claim, ClaimBatch, ClaimEvent, ClaimStatus

CLAIM_ORDER = ("-created_at", "-pk")
QUEUE_ORDER = ("claim_on", "pk")
READY_ORDER = ("candidate__last_name", "candidate__first_name", "pk")


def claim_get(user: AnyUser, pk: int) -> Claim:
    claim = (
        claims_visible_to(user)
        .select_related("registration__candidate", "registration__qualification", "centre", "batch")
        .prefetch_related(
            Prefetch("history", queryset=ClaimEvent.objects.select_related("by").order_by("pk"))
        )
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise NotFound(f"no claim {pk}")
    return claim


def centre_for_claims(user: AnyUser, pk: int) -> Centre:
    """A centre whose claims ``user`` administers (NotFound otherwise)."""
    centre = Centre.objects.filter(pk=pk).first()
    if centre is None:
        raise NotFound(f"no centre {pk}")
    if not is_centre_admin(user, centre):
        if roles_at(user, centre) & set(STAFF_ROLES):
            raise NotAllowed(ADMIN_ONLY)
        raise NotFound(f"no centre {pk}")
    return centre


def claims_page(
    user: AnyUser, centre: Centre, cursor: str | None, size: int | str | None
) -> Page[Claim]:
    qs = claims_visible_to(user).filter(centre=centre)
    qs = qs.select_related(
        "registration__candidate", "registration__qualification", "centre", "batch", "certificate"
    )
    return paginate(qs, CLAIM_ORDER, cursor, size)


def queue_page(user: AnyUser, cursor: str | None, size: int | str | None) -> Page[Claim]:
    """The awarding body's open claims, oldest claim date first."""
    qs = claims_visible_to(user).filter(status__in=OPEN[1:])
    qs = qs.select_related(
        "registration__candidate", "registration__qualification", "centre", "certificate"
    )
    return paginate(qs, QUEUE_ORDER, cursor, size)


def sample_requests(user: AnyUser) -> QuerySet[Claim]:
    """Claims waiting for an EV sample at the centres where ``user`` is the EV."""
    from assay.centres.models import Role
    from assay.centres.permissions import centre_ids_with_role

    centres = centre_ids_with_role(user, Role.EXTERNAL_VERIFIER)
    return (
        Claim.objects.filter(centre_id__in=centres, status=ClaimStatus.EV_SAMPLE_REQUESTED)
        .select_related("registration__candidate", "registration__qualification", "centre")
        .order_by("claim_on", "pk")
    )


def batches_of(centre: Centre, cursor: str | None, size: int | str | None) -> Page[ClaimBatch]:
    qs = ClaimBatch.objects.filter(centre=centre).select_related("submitted_by")
    qs = qs.prefetch_related("claims__registration__candidate")
    return paginate(qs, ("-submitted_at", "-pk"), cursor, size)


@dataclass(frozen=True, slots=True)
class Ready:
    """A registration with something to claim: the units it could claim and the full
    qualification's verdict."""

    registration: Registration
    units: tuple[str, ...]
    unit_decision: ClaimDecision | None
    qualification: ClaimDecision


def ready_page(
    centre: Centre, cursor: str | None, size: int | str | None, on: dt.date | None = None
) -> Page[Ready]:
    """The centre's live registrations with an achieved unit not yet certified nor in an
    open claim; each with the engine's verdict on claiming those units and on the full
    qualification (a fixed number of queries per page)."""
    on = on or clock.today()
    pending = Claim.objects.filter(centre=centre, status__in=OPEN)
    live = (
        Registration.objects.filter(centre=centre)
        .exclude(status__in=(Status.WITHDRAWN, Status.EXPIRED))
        .select_related("candidate", "qualification__spec", "centre")
    )
    page = paginate(live, READY_ORDER, cursor, size)
    ids = [r.pk for r in page]
    facts = units_of(ids)
    open_units: dict[int, set[str]] = {}
    for reg_id, claimed in pending.filter(registration_id__in=ids).values_list(
        "registration_id", "units"
    ):
        open_units.setdefault(reg_id, set()).update(claimed)
    whole = set(
        Certificate.objects.filter(
            registration_id__in=ids, kind="qualification", revoked_on__isnull=True
        ).values_list("registration_id", flat=True)
    )
    checks: dict[str, tuple[bool, tuple[str, ...]]] = {}
    approvals: dict[str, CentreApproval | None] = {}
    rows: list[Ready] = []
    for reg in page:
        code = reg.qualification.code
        if code not in checks:
            checks[code] = centre_claim_checks(centre, code, on)
            approvals[code] = approvals_in_force(centre, code)(on)
        units = facts.get(reg.pk, {})

        def decide(kind: ClaimKind, claimed: tuple[str, ...]) -> ClaimDecision:
            return claim_decision(
                claim_facts(
                    reg,  # noqa: B023 - called within this iteration
                    kind=kind,
                    claimed=claimed,
                    on=on,
                    units=units,  # noqa: B023
                    centre_checks=checks[code],  # noqa: B023
                    approval=approvals[code],  # noqa: B023
                    qualification_certified=reg.pk in whole,  # noqa: B023
                )
            )

        spec = qualification_engine_spec(reg.qualification)
        order = [u.number for u in spec.units]
        claimable = tuple(
            n
            for n in order
            if n in units
            and units[n].achieved
            and not units[n].certified
            and n not in open_units.get(reg.pk, set())
        )
        unit_decision = decide(ClaimKind.UNIT, claimable) if claimable else None
        full = decide(ClaimKind.QUALIFICATION, ())
        rows.append(Ready(reg, claimable, unit_decision, full))
    return Page(rows, page.next, page.previous, page.size)


def certificate_get(user: AnyUser, pk: int) -> Certificate:
    """A certificate its candidate, their centre's staff who see the registration, or the
    awarding body may read (NotFound otherwise)."""
    qs = Certificate.objects.select_related("registration__candidate", "centre").prefetch_related(
        Prefetch("units", queryset=CertificateUnit.objects.order_by("position"))
    )
    if not is_awarding_body(user):
        if not user.is_authenticated:
            raise NotFound(f"no certificate {pk}")
        qs = qs.filter(
            Q(registration__candidate__user_id=user.pk)
            | Q(
                registration__in=Registration.objects.filter(
                    registration_filter(user, employer=False)
                )
            )
        )
    cert = qs.filter(pk=pk).first()
    if cert is None:
        raise NotFound(f"no certificate {pk}")
    return cert


def own_certificates(user: AnyUser) -> list[Certificate]:
    """The signed-in candidate's certificates, newest first (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        Certificate.objects.filter(registration__candidate__user_id=user.pk).order_by(
            "-issued_on", "-pk"
        )
    )


def claimable_registrations(centre: Centre) -> list[tuple[int, str]]:
    """The centre's live registrations as (id, "candidate — qualification") for the claim
    form's choice (one query)."""
    rows = (
        Registration.objects.filter(centre=centre)
        .exclude(status__in=(Status.WITHDRAWN, Status.EXPIRED))
        .order_by(*READY_ORDER)
        .values_list("pk", "candidate__first_name", "candidate__last_name", "qualification__code")
    )
    return [(pk, f"{first} {last} — {code}") for pk, first, last, code in rows[:500]]
