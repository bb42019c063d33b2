"""Reads of external verification: a centre's visits a page at a time, its sanctions as the
rules read them, its risk rating and direct claims status, and what refuses a claim.

``sanction_facts`` is what the registration paths read (``registrations/facts.py``);
``claims_blocked`` is the question the certification claim service will ask (issue 14).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q

from assay.catalogue.models import Qualification
from assay.centres.models import Centre, Membership, QualificationApproval
from assay.engines.sanctions.levels import Act, Level
from assay.engines.sanctions.risk import (
    DirectClaims,
    Risk,
    RiskInputs,
    RiskRating,
    centre_risk,
    direct_claims,
)
from assay.engines.sanctions.rules import Sanction as SanctionFact
from assay.engines.sanctions.rules import blocks
from assay.eqa.access import EqaAccess
from assay.eqa.models import ActionPoint, Sanction, Visit, VisitStatus
from assay.eqa.services import OWNER_ROLES
from assay.errors import NotFound
from assay.keyset import Page, paginate

VISIT_ORDER = ("-on", "-pk")


def sanction_fact(row: Sanction) -> SanctionFact:
    return SanctionFact(
        level=Level(row.level),
        applied_on=row.applied_on,
        reason=row.reason,
        lifted_on=row.lifted_on,
        qualification=row.qualification_code,
    )


def sanction_facts(centre: Centre | int) -> list[SanctionFact]:
    """Every sanction ever applied at the centre, as the rules read them (one query)."""
    centre_id = centre if isinstance(centre, int) else centre.pk
    return [sanction_fact(row) for row in Sanction.objects.filter(centre_id=centre_id)]


def claims_blocked(centre: Centre, qualification: Qualification | str, on: dt.date) -> list[str]:
    """Every reason refusing a certification claim for ``qualification`` at ``centre`` on
    ``on`` (empty: not blocked by a sanction)."""
    code = qualification if isinstance(qualification, str) else qualification.code
    return blocks(sanction_facts(centre), Act.CLAIM, on, code)


def registrations_blocked(
    centre: Centre, qualification: Qualification | str, on: dt.date
) -> list[str]:
    """Every reason refusing a registration (the entry rules give the same, with a code)."""
    code = qualification if isinstance(qualification, str) else qualification.code
    return blocks(sanction_facts(centre), Act.REGISTRATION, on, code)


def risk_inputs(centre: Centre, on: dt.date, facts: list[SanctionFact] | None = None) -> RiskInputs:
    """The rating's inputs from three queries (action point counts, last rated visit,
    sanctions unless given)."""
    counts = ActionPoint.objects.filter(visit__centre=centre, done_at__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on))
    )
    rated = (
        Visit.objects.filter(centre=centre, status=VisitStatus.DONE, on__lte=on)
        .exclude(risk="")
        .order_by("-on", "-pk")
        .values("risk", "on")
        .first()
    )
    return RiskInputs(
        open_points=counts["open"],
        overdue_points=counts["overdue"],
        sanctions=sanction_facts(centre) if facts is None else facts,
        ev_rating=Risk(rated["risk"]) if rated else None,
        ev_rated_on=rated["on"] if rated else None,
    )


def risk_of(centre: Centre, on: dt.date) -> RiskRating:
    return centre_risk(risk_inputs(centre, on), on)


def direct_claims_of(centre: Centre, on: dt.date) -> DirectClaims:
    """Whether the centre holds direct claims status on ``on``, with the reasons."""
    return direct_claims(risk_inputs(centre, on), on)


def visits_page(centre: Centre, cursor: str | None, size: int | str | None) -> Page[Visit]:
    """The centre's visits, newest first, with their action points and people (three
    queries whatever the page's length)."""
    points = ActionPoint.objects.select_related("owner", "done_by").order_by("due_on", "pk")
    qs = Visit.objects.filter(centre=centre).select_related("verifier")
    qs = qs.prefetch_related(Prefetch("action_points", queryset=points))
    return paginate(qs, VISIT_ORDER, cursor, size)


def sanctions_of(centre: Centre) -> list[Sanction]:
    """Every sanction at the centre, newest first (one query; a centre has a handful)."""
    return list(
        Sanction.objects.filter(centre=centre)
        .select_related("applied_by", "lifted_by")
        .order_by("-applied_on", "-pk")
    )


@dataclass(frozen=True, slots=True)
class EqaPage:
    """Everything the centre's EQA page shows."""

    access: EqaAccess
    visits: Page[Visit]
    sanctions: list[Sanction]
    risk: RiskRating
    direct: DirectClaims
    today: dt.date

    @property
    def centre(self) -> Centre:
        return self.access.centre


def eqa_page(
    access: EqaAccess, today: dt.date, cursor: str | None, size: int | str | None
) -> EqaPage:
    sanctions = sanctions_of(access.centre)
    facts = [sanction_fact(row) for row in sanctions]
    inputs = risk_inputs(access.centre, today, facts)
    return EqaPage(
        access=access,
        visits=visits_page(access.centre, cursor, size),
        sanctions=sanctions,
        risk=centre_risk(inputs, today),
        direct=direct_claims(inputs, today),
        today=today,
    )


def action_point_get(access: EqaAccess, point_id: int) -> ActionPoint:
    point = (
        ActionPoint.objects.select_related("visit__centre")
        .filter(pk=point_id, visit__centre=access.centre)
        .first()
    )
    if point is None:
        raise NotFound(f"no action point {point_id} at centre {access.centre.number}")
    return point


def sanction_get(access: EqaAccess, sanction_id: int) -> Sanction:
    row = (
        Sanction.objects.select_related("centre")
        .filter(pk=sanction_id, centre=access.centre)
        .first()
    )
    if row is None:
        raise NotFound(f"no sanction {sanction_id} at centre {access.centre.number}")
    return row


def owner_choices(centre: Centre) -> list[tuple[str, str]]:
    """(username, name) of the people who may own an action point at the centre (one query)."""
    staff = Membership.objects.filter(centre=centre, active=True, role__in=OWNER_ROLES).values(
        "user_id"
    )
    users = get_user_model().objects.filter(pk__in=staff, is_active=True).order_by("username")
    return [(u.get_username(), u.get_full_name() or u.get_username()) for u in users]


def qualification_codes(centre: Centre) -> list[str]:
    """The codes the centre holds (or held) an approval for: what a sanction may name."""
    rows = QualificationApproval.objects.filter(centre=centre).values_list(
        "qualification_code", flat=True
    )
    return sorted(set(rows))


def visit_get(access: EqaAccess, visit_id: int) -> Visit:
    row = Visit.objects.select_related("centre").filter(pk=visit_id, centre=access.centre).first()
    if row is None:
        raise NotFound(f"no visit {visit_id} at centre {access.centre.number}")
    return row
