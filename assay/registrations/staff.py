"""A centre's people as read models: each person's roles there, A/V unit records with the
engine's deadline verdict, and CPD log.

The people page shows these; the API's people endpoints answer with the same
``CompetenceState`` and ``CpdOut`` for the record they have just written, and the dashboard's
staff deadlines (``dashboard.StaffMember``) are ``CompetenceState`` too, so a unit or an entry
reads the same wherever it is seen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from django.db.models import Count, DecimalField, F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from pydantic import Field

from assay.centres.models import Centre, Competence, CompetenceRole, CpdEntry, Membership, Role
from assay.centres.services import competence_decision
from assay.registrations.shapes import Person, ReadModel, person
from assay.users import User


class CompetenceState(ReadModel):
    id: int
    role: str
    av_unit: str
    started_on: dt.date
    achieved_on: dt.date | None
    status: Literal["qualified", "on_track", "due_soon", "overdue"]
    deadline: dt.date | None
    days_left: int | None
    can_take_new_candidates: bool
    message: str

    @classmethod
    def of(cls, row: Competence, today: dt.date) -> CompetenceState:
        """An A/V unit record with the engine's verdict on its deadline as of ``today``."""
        decision = competence_decision(row, today)
        return cls(
            id=row.pk,
            role=row.role,
            av_unit=row.av_unit,
            started_on=row.started_on,
            achieved_on=row.achieved_on,
            status=decision.status.value,
            deadline=decision.deadline,
            days_left=decision.days_left,
            can_take_new_candidates=decision.can_take_new_candidates,
            message=decision.message,
        )

    @property
    def role_label(self) -> str:
        """The role as people read it ("Internal verifier")."""
        return str(CompetenceRole(self.role).label)


class CpdOut(ReadModel):
    id: int
    person: Person
    on: dt.date
    hours: float
    activity: str
    recorded_at: dt.datetime

    @classmethod
    def of(cls, entry: CpdEntry) -> CpdOut:
        who = person(entry.user)
        assert who is not None  # an entry is always someone's
        return cls(
            id=entry.pk,
            person=who,
            on=entry.on,
            hours=float(entry.hours),
            activity=entry.activity,
            recorded_at=entry.recorded_at,
        )


class RoleHeld(ReadModel):
    role: str
    qualification_code: str = Field(description="Empty: every qualification")

    @property
    def role_label(self) -> str:
        """The role as people read it ("Internal verifier")."""
        return str(Role(self.role).label)


class PersonAtCentre(ReadModel):
    person: Person
    roles: list[RoleHeld]
    competence: list[CompetenceState]
    cpd: list[CpdOut] = Field(description="The newest entries of the CPD log (CPD_SHOWN at most)")
    cpd_count: int | None = Field(None, description="Entries in the whole log")
    cpd_total: Decimal | None = Field(None, description="Hours in the whole log")

    @property
    def cpd_hours(self) -> Decimal:
        """The CPD log's total, summed as decimals (hours have one decimal place): counted in
        the database over the whole log, or over ``cpd`` when no count was read."""
        if self.cpd_total is not None:
            return self.cpd_total
        return sum((Decimal(str(entry.hours)) for entry in self.cpd), Decimal(0))

    @property
    def cpd_earlier(self) -> int:
        """How many older entries of the log are not in ``cpd``."""
        return max(0, (self.cpd_count or 0) - len(self.cpd))


def centre_staff(centre: Centre) -> QuerySet[Membership]:
    """The centre's active roles other than candidate, by person then role."""
    return (
        Membership.objects.filter(centre=centre, active=True)
        .exclude(role=Role.CANDIDATE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role", "pk")
    )


STAFF_ORDER = ("last_name", "first_name", "username", "pk")
CPD_SHOWN = 10  # the newest entries of each person's CPD log on the people page
TENTH = Decimal("0.1")
# The sum of a whole CPD log (wider than one entry's hours).
TOTAL_HOURS: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=1)


def staff_users(centre: Centre) -> QuerySet[User]:
    """The people holding an active role other than candidate at the centre (one row each),
    for a keyset page in ``STAFF_ORDER``."""
    held = Membership.objects.filter(centre=centre, active=True).exclude(role=Role.CANDIDATE)
    return User.objects.filter(pk__in=held.values("user_id"))


def people_at(
    centre: Centre, today: dt.date, among: Iterable[int] | None = None
) -> list[tuple[User, PersonAtCentre]]:
    """Everyone holding a role at the centre (candidates aside; of ``among`` only, a page of
    them, when given), in name order, each with the account the page's forms act on and their
    read model (the newest ``CPD_SHOWN`` CPD entries, with the whole log's count and hours);
    four queries whatever the size."""
    users: dict[int, User] = {}
    roles: dict[int, list[RoleHeld]] = defaultdict(list)
    memberships = centre_staff(centre)
    if among is not None:
        memberships = memberships.filter(user_id__in=list(among))
    for membership in memberships:
        users[membership.user_id] = membership.user
        roles[membership.user_id].append(
            RoleHeld(role=membership.role, qualification_code=membership.qualification_code)
        )
    states = competence_states(users, today)
    cpd: dict[int, list[CpdOut]] = defaultdict(list)
    newest = Window(
        RowNumber(), partition_by=[F("user_id")], order_by=[F("on").desc(), F("pk").desc()]
    )
    shown = (
        CpdEntry.objects.filter(user_id__in=users)
        .annotate(rank=newest)
        .filter(rank__lte=CPD_SHOWN)
        .order_by("user_id", "-on", "-pk")
    )
    for entry in shown:
        entry.user = users[entry.user_id]  # already read: no query per entry
        cpd[entry.user_id].append(CpdOut.of(entry))
    totals = {
        row["user_id"]: (row["n"], row["hours"])
        for row in CpdEntry.objects.filter(user_id__in=users)
        .values("user_id")
        .annotate(n=Count("pk"), hours=Sum("hours", output_field=TOTAL_HOURS))
        .order_by()
    }
    people = []
    for pk, user in users.items():
        who = person(user)
        assert who is not None
        count, hours = totals.get(pk, (0, Decimal(0)))
        facts = PersonAtCentre(
            person=who,
            roles=roles[pk],
            competence=states[pk],
            cpd=cpd[pk],
            cpd_count=count,
            cpd_total=Decimal(str(hours)).quantize(TENTH),  # SQLite sums "3", not "3.0"
        )
        people.append((user, facts))
    return people


def competence_states(user_ids: Iterable[int], today: dt.date) -> dict[int, list[CompetenceState]]:
    """Each person's A/V unit records with the engine's verdict on ``today``, by role."""
    states: dict[int, list[CompetenceState]] = defaultdict(list)
    for row in Competence.objects.filter(user_id__in=list(user_ids)).order_by("user", "role", "pk"):
        states[row.user_id].append(CompetenceState.of(row, today))
    return states
