"""Reads of standardisation and agreement: who may open a centre's standardisation page, its
activities a page at a time, the staff flagged by the engine as not standardised, and each
assessor's agreement with the IVs' verdicts per quarter of the last year.

A centre's activities are visible to its lead IQAs, administrators and IVs; an assessor sees
the activities they attended; anyone else gets NotFound, exactly like a missing centre."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from assay import clock
from assay.centres.models import Centre, Membership, Role
from assay.centres.permissions import centres_visible_to, roles_at
from assay.engines.competence.deadlines import StaffRole
from assay.engines.dates import add_months
from assay.engines.verification import (
    Agreement,
    Flag,
    Outcome,
    Period,
    Staff,
    Standardisation,
    Verdict,
    agreement,
    parse_strategy,
    standardisation_flags,
)
from assay.errors import NotFound
from assay.keyset import Page, paginate
from assay.users import AnyUser, User
from assay.verification.models import (
    SamplingStrategy,
    StandardisationAction,
    StandardisationActivity,
    Verification,
)
from assay.verification.standardisation import STANDARDISED_ROLES

ACTIVITY_ORDER = ("-held_on", "-pk")  # newest first
READERS = {Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.INTERNAL_VERIFIER}
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class StandardisationView:
    """A centre as the caller sees its standardisation: ``lead`` may record and see all;
    ``reader`` sees all; an assessor sees only what they attended."""

    centre: Centre
    lead: bool
    reader: bool


def standardisation_centre(user: AnyUser, centre_pk: int) -> StandardisationView:
    """NotFound unless ``user`` is the centre's lead IQA, administrator, IV or assessor."""
    centre = centres_visible_to(user).filter(pk=centre_pk).first()
    if centre is None:
        raise NotFound(f"no centre {centre_pk}")
    if getattr(user, "is_superuser", False):
        return StandardisationView(centre, True, True)
    roles = roles_at(user, centre)
    if not roles & (READERS | {Role.ASSESSOR}):
        raise NotFound(f"no centre {centre_pk}")
    lead = bool(roles & {Role.CENTRE_ADMIN, Role.LEAD_IQA})
    return StandardisationView(centre, lead, bool(roles & READERS))


def _activities(view: StandardisationView, user: User) -> QuerySet[StandardisationActivity]:
    rows = StandardisationActivity.objects.filter(centre=view.centre)
    if not view.reader:
        rows = rows.filter(attendees=user)
    return rows


def _with_people(rows: QuerySet[StandardisationActivity]) -> QuerySet[StandardisationActivity]:
    users = get_user_model().objects.order_by("username")
    return rows.select_related("created_by").prefetch_related(
        Prefetch("attendees", queryset=users),
        Prefetch(
            "actions",
            queryset=StandardisationAction.objects.select_related("owner", "done_by"),
        ),
    )


def activity_read(pk: int) -> StandardisationActivity:
    """An activity with its attendees and actions (the caller checked access)."""
    return _with_people(StandardisationActivity.objects.filter(pk=pk)).get()


def activities_page(
    view: StandardisationView, user: User, cursor: str | None = None, size: int | str | None = None
) -> Page[StandardisationActivity]:
    """The activities the caller may see, newest first, with attendees and actions (a fixed
    number of queries whatever the page holds)."""
    return paginate(_with_people(_activities(view, user)), ACTIVITY_ORDER, cursor, size)


def action_get(user: AnyUser, pk: int) -> StandardisationAction:
    """An action its owner or the centre's lead IQA or administrator may mark done; NotFound
    for anyone who may not see it."""
    action = (
        StandardisationAction.objects.select_related("activity__centre", "owner")
        .filter(pk=pk)
        .first()
    )
    if action is None or not user.is_authenticated:
        raise NotFound(f"no standardisation action {pk}")
    if action.owner_id == user.pk:
        return action
    try:
        view = standardisation_centre(user, action.activity.centre_id)
    except NotFound:
        raise NotFound(f"no standardisation action {pk}") from None
    if not view.reader and not action.activity.attendees.filter(pk=user.pk).exists():
        raise NotFound(f"no standardisation action {pk}")
    return action


def standardisation_months(centre: Centre) -> int:
    """The shortest ``standardisation_months`` of the centre's current strategies (12 when
    none sets it): staff are due as soon as any qualification they work on says so."""
    months: list[int] = []
    seen: set[str] = set()
    for row in SamplingStrategy.objects.filter(centre=centre).order_by(
        "qualification_code", "-created_at", "-pk"
    ):
        if row.qualification_code in seen:
            continue
        seen.add(row.qualification_code)
        try:
            parsed = parse_strategy(
                {**row.data, "centre": str(centre.pk), "qualification": row.qualification_code}
            )
        except ValueError:
            continue
        months.append(parsed.standardisation_months)
    return min(months, default=DEFAULT_MONTHS)


def flags_of(centre: Centre, on: dt.date | None = None) -> tuple[Flag, ...]:
    """The engine's flags for the centre's assessors and IVs on ``on`` (three queries)."""
    day = on or clock.today()
    people: dict[int, tuple[str, StaffRole]] = {}
    for user_id, username, role in (
        Membership.objects.filter(
            centre=centre, active=True, role__in=STANDARDISED_ROLES, user__is_active=True
        )
        .order_by("user_id", "role")
        .values_list("user_id", "user__username", "role")
    ):
        kind = StaffRole.ASSESSOR if role == Role.ASSESSOR else StaffRole.INTERNAL_VERIFIER
        known = people.get(user_id)
        if known is None or known[1] is StaffRole.ASSESSOR:  # an IV role is the one named
            people[user_id] = (username, kind)
    attended: dict[int, set[str]] = {}
    held: dict[int, dt.date] = {}
    through = StandardisationActivity.attendees.through
    for activity_id, held_on, user_id in through.objects.filter(
        standardisationactivity__centre=centre, standardisationactivity__held_on__lte=day
    ).values_list("standardisationactivity_id", "standardisationactivity__held_on", "user_id"):
        attended.setdefault(activity_id, set()).add(str(user_id))
        held[activity_id] = held_on
    activities = [Standardisation(held[a], frozenset(who)) for a, who in attended.items()]
    staff = [Staff(str(pk), name, role) for pk, (name, role) in people.items()]
    return standardisation_flags(staff, activities, on=day, months=standardisation_months(centre))


def last_year_quarters(on: dt.date | None = None) -> list[Period]:
    """Four quarters ending ``on`` (today): the agreement shown on the plan page."""
    end = on or clock.today()
    return list(Period(add_months(end, -12) + dt.timedelta(days=1), end).quarters())


@dataclass(frozen=True)
class AssessorAgreement:
    """One assessor's agreement per period, in period order."""

    assessor: str
    rows: tuple[Agreement, ...]

    @property
    def agreed(self) -> int:
        return sum(r.agreed for r in self.rows)

    @property
    def action_required(self) -> int:
        return sum(r.action_required for r in self.rows)


def agreement_of(centre: Centre, periods: list[Period]) -> list[AssessorAgreement]:
    """Each assessor's verdicts (the IVs' verifications of their picks) per period, by
    username (one query for the verdicts, one for the names)."""
    if not periods:
        return []
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    # ``at`` is a moment; a day either side so that the local day decides, not UTC's.
    found = Verification.objects.filter(
        pick__draw__centre=centre,
        pick__assessor__isnull=False,
        at__date__gte=first - dt.timedelta(days=1),
        at__date__lte=last + dt.timedelta(days=1),
    ).values_list("pick__assessor_id", "by_id", "at", "outcome")
    verdicts = [
        Verdict(str(a), str(b), timezone.localtime(at).date(), Outcome(outcome))
        for a, b, at, outcome in found.iterator()
    ]
    rows = agreement(verdicts, periods)
    ids = {int(r.assessor_id) for r in rows}
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    by_assessor: dict[str, list[Agreement]] = {}
    for row in rows:
        by_assessor.setdefault(row.assessor_id, []).append(row)
    return sorted(
        (AssessorAgreement(names.get(int(a), a), tuple(r)) for a, r in by_assessor.items()),
        key=lambda x: x.assessor,
    )
