"""Reads of IQA: the IV's queue, a pick with the unit's assessment record, a centre's draws,
and the lead IQA's view of the latest draw (its picks, the plan's gaps and coverage).

A pick is visible to its allocated verifier and to the lead IQAs and administrators of its
centre; anyone else gets NotFound, exactly like a missing pick."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from assay import clock
from assay.centres.models import Centre, Role
from assay.centres.permissions import can_change_status, centre_ids_with_role, roles_at
from assay.engines.dates import add_months
from assay.engines.verification import (
    Outcome,
)
from assay.errors import NotAllowed, NotFound
from assay.keyset import Page, paginate
from assay.portfolios.models import Decision, DecisionKind
from assay.users import AnyUser, User
from assay.verification.models import SampleDraw, SamplePick, Verification

QUEUE_ORDER = ("due_on", "pk")  # oldest due first
DRAW_ORDER = ("-drawn_at", "-pk")  # newest first
IQA_ROLES = (Role.INTERNAL_VERIFIER, Role.LEAD_IQA)


def with_outcome(picks: QuerySet[SamplePick]) -> QuerySet[SamplePick]:
    """``outcome``: the latest verification's (None while none)."""
    latest = Verification.objects.filter(pick=OuterRef("pk")).order_by("-at", "-pk")
    return picks.annotate(outcome=Subquery(latest.values("outcome")[:1]))


def open_picks() -> QuerySet[SamplePick]:
    """Picks not verified yet, or whose latest verification requires action."""
    return with_outcome(SamplePick.objects.all()).filter(
        Q(outcome__isnull=True) | Q(outcome=Outcome.ACTION_REQUIRED)
    )


def may_use_queue(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return getattr(user, "is_superuser", False) or bool(centre_ids_with_role(user, *IQA_ROLES))


def queue_page(
    user: User, cursor: str | None = None, size: int | str | None = None
) -> Page[SamplePick]:
    """The picks allocated to ``user`` still to verify, oldest due first (three queries)."""
    if not may_use_queue(user):
        raise NotAllowed("only an internal verifier or lead IQA has an IQA queue")
    rows = (
        open_picks()
        .filter(verifier_id=user.pk, draw__centre_id__in=centre_ids_with_role(user, *IQA_ROLES))
        .select_related("registration__candidate", "assessor", "draw")
    )
    return paginate(rows, QUEUE_ORDER, cursor, size)


def _visible(user: AnyUser, pick: SamplePick) -> bool:
    if not user.is_authenticated:
        return False
    if pick.verifier_id == user.pk and roles_at(user, pick.draw.centre) & set(IQA_ROLES):
        return True
    return can_change_status(user, pick.draw.centre)


def pick_get(user: AnyUser, pk: int) -> SamplePick:
    """A pick ``user`` may see; NotFound otherwise."""
    pick = (
        with_outcome(SamplePick.objects.all())
        .select_related(
            "draw__centre",
            "registration__candidate",
            "registration__centre",
            "assessor",
            "verifier",
        )
        .filter(pk=pk)
        .first()
    )
    if pick is None or not _visible(user, pick):
        raise NotFound(f"no IQA pick {pk}")
    return pick


@dataclass(frozen=True)
class Act:
    """One decision on the unit, as the pick page lists it."""

    seq: int
    kind: str
    label: str
    actor: str
    at: str
    summary: str


def _summary(kind: str, payload: dict[str, Any]) -> str:
    if kind == DecisionKind.CRITERION_JUDGED:
        met = "met" if payload.get("met") else "not yet met"
        feedback = payload.get("feedback") or ""
        return f"criterion {payload.get('criterion')}: {met}" + (
            f" — {feedback}" if feedback else ""
        )
    if kind in (DecisionKind.MAPPING_CONFIRMED, DecisionKind.MAPPING_REJECTED):
        verdict = "confirmed" if kind == DecisionKind.MAPPING_CONFIRMED else "rejected"
        reason = payload.get("reason") or ""
        line = f"evidence {payload.get('item')} for {payload.get('target')} {verdict}"
        return line + (f" — {reason}" if reason else "")
    if kind == DecisionKind.UNIT_SIGNED_OFF:
        return f"signed off (evidence {payload.get('span_start')} to {payload.get('span_end')})"
    if kind == DecisionKind.UNIT_REOPENED:
        return f"reopened — {payload.get('reason')}"
    if kind == DecisionKind.SPAN_RECORDED:
        return f"evidence period of {payload.get('sufficient_days')} days found sufficient"
    if kind == DecisionKind.UNIT_VERIFIED:
        outcome = str(payload.get("outcome", "")).replace("_", " ")
        return f"IQA {outcome} — {payload.get('feedback')}"
    return ""


def unit_acts(pick: SamplePick) -> list[Act]:
    """The unit's decisions on the registration, oldest first (one query)."""
    rows = Decision.objects.filter(
        registration_id=pick.registration_id, unit_number=pick.unit_number
    ).order_by("seq")
    labels = dict(DecisionKind.choices)
    return [
        Act(
            d.seq,
            d.kind,
            labels.get(d.kind, d.kind),
            d.actor_name,
            d.at[:16].replace("T", " "),
            _summary(d.kind, d.payload),
        )
        for d in rows
    ]


def last_seq(pick: SamplePick) -> int:
    last = (
        Decision.objects.filter(registration_id=pick.registration_id)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0


def verifications_of(pick: SamplePick) -> list[Verification]:
    return list(pick.verifications.select_related("by").order_by("at", "pk"))


def lead_centre(user: AnyUser, centre_pk: int) -> Centre:
    """The centre whose IQA page ``user`` opens: NotFound unless they hold a staff role there
    (``centres_visible_to``); NotAllowed unless they are its lead IQA or administrator."""
    from assay.centres.permissions import centres_visible_to

    centre = centres_visible_to(user).filter(pk=centre_pk).first()
    if centre is None:
        raise NotFound(f"no centre {centre_pk}")
    if not can_change_status(user, centre):
        raise NotAllowed("only a lead IQA or centre administrator can open the IQA plan")
    return centre


def draws_page(
    centre: Centre, cursor: str | None = None, size: int | str | None = None
) -> Page[SampleDraw]:
    rows = SampleDraw.objects.filter(centre=centre).select_related("drawn_by")
    return paginate(rows.defer("gaps", "cells"), DRAW_ORDER, cursor, size)


def draw_get(user: AnyUser, pk: int) -> SampleDraw:
    """A draw for its centre's lead IQA or administrator; NotFound for everyone else."""
    row = SampleDraw.objects.select_related("centre", "drawn_by").filter(pk=pk).first()
    if row is None or not user.is_authenticated or not can_change_status(user, row.centre):
        raise NotFound(f"no IQA sample {pk}")
    return row


@dataclass(frozen=True)
class Plan:
    """The latest draw of a centre (with the gaps and coverage stored when it was drawn) and a
    page of its picks."""

    draw: SampleDraw
    picks: Page[SamplePick]


PICK_ORDER = ("position", "pk")


def picks_page(
    row: SampleDraw, cursor: str | None = None, size: int | str | None = None
) -> Page[SamplePick]:
    """A draw's picks in drawing order, a page at a time (InvalidInput for a bad cursor)."""
    rows = with_outcome(row.picks.all()).select_related(
        "registration__candidate", "assessor", "verifier"
    )
    return paginate(rows, PICK_ORDER, cursor, size)


def latest_plan(
    centre: Centre, cursor: str | None = None, size: int | str | None = None
) -> Plan | None:
    """The newest draw and a page of its picks: a fixed number of queries, whatever the size
    of the centre (the gaps and coverage were stored by ``sample_draw``)."""
    row = (
        SampleDraw.objects.filter(centre=centre)
        .select_related("drawn_by")
        .order_by(*DRAW_ORDER)
        .first()
    )
    if row is None:
        return None
    return Plan(row, picks_page(row, cursor, size))


def qualification_codes(centre: Centre) -> list[str]:
    from assay.registrations.models import Registration

    return sorted(
        set(
            Registration.objects.filter(centre=centre).values_list("qualification__code", flat=True)
        )
    )


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today."""
    end = today or clock.today()
    return add_months(end, -12) + dt.timedelta(days=1), end
