"""Reads for a centre's dashboard: which centres a person sees, and the figures of one, as
read models (pydantic) that the page, the API (its response schemas) and the CLI's ``--json``
share.

Everything is narrowed to what the user may see: centres through ``centres_visible_to``
(a centre outside it is NotFound, exactly like a missing one) and candidate counts through
``registrations_visible_to`` (an assessor counts only their own candidates).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from pydantic import Field

from assay import clock
from assay.centres.models import (
    Centre,
    Membership,
    QualificationApproval,
    Role,
    Site,
)
from assay.centres.permissions import (
    can_administer,
    centres_visible_to,
    roles_at,
    roles_at_each,
    sees_all_registrations_at,
)
from assay.engines.competence.deadlines import CompetenceStatus
from assay.engines.entry.rules import approval_problem
from assay.errors import NotFound
from assay.keyset import Page, paginate
from assay.registrations.expiry import due_to_expire_count
from assay.registrations.facts import approval_fact
from assay.registrations.models import Status
from assay.registrations.selectors import (
    refusals_at,
    registrations_at,
)
from assay.registrations.shapes import Person, ReadModel, person
from assay.registrations.staff import CompetenceState, competence_states
from assay.users import AnyUser

STAFF_WITH_DEADLINES = (
    Role.ASSESSOR,
    Role.INTERNAL_VERIFIER,
    Role.LEAD_IQA,
    Role.EXTERNAL_VERIFIER,
)


def centre_get(user: AnyUser, pk: int) -> Centre:
    """A centre the user may see, or NotFound for missing and forbidden alike."""
    centre = centres_visible_to(user).filter(pk=pk).first()
    if centre is None:
        raise NotFound(f"no centre {pk}")
    return centre


def centre_find(user: AnyUser, key: str) -> Centre:
    """A visible centre by its awarding-body centre number, or else by its id."""
    visible = centres_visible_to(user)
    centre = visible.filter(number=key).first()
    if centre is None and key.isdigit():
        centre = visible.filter(pk=int(key)).first()
    if centre is None:
        raise NotFound(f"no centre {key!r}")
    return centre


class CentreSummary(ReadModel):
    id: int
    number: str = Field(description="Awarding body centre number")
    name: str
    address: str
    employer_direct_model: bool
    edm_approved_on: dt.date | None
    roles: list[str] = Field(description="The caller's roles at this centre")

    @classmethod
    def of(cls, centre: Centre, user: AnyUser | None = None) -> CentreSummary:
        return cls(
            id=centre.pk,
            number=centre.number,
            name=centre.name,
            address=centre.address,
            employer_direct_model=centre.employer_direct_model,
            edm_approved_on=centre.edm_approved_on,
            roles=sorted(roles_at(user, centre)) if user is not None else [],
        )


CENTRE_ORDER = ("name", "pk")


def centre_page(
    user: AnyUser, cursor: str | None = None, size: int | str | None = None
) -> Page[CentreSummary]:
    """One keyset page of the centres the user may open (by name), with the roles they hold
    at each: two queries whatever the number of centres."""
    page = paginate(centres_visible_to(user), CENTRE_ORDER, cursor, size)
    roles = roles_at_each(user, [c.pk for c in page])
    return page.map(
        lambda c: CentreSummary(
            id=c.pk,
            number=c.number,
            name=c.name,
            address=c.address,
            employer_direct_model=c.employer_direct_model,
            edm_approved_on=c.edm_approved_on,
            roles=sorted(roles[c.pk]),
        )
    )


class ApprovalEntry(ReadModel):
    status: str
    since: dt.date
    until: dt.date | None
    reason: str
    recorded_by: str | None
    recorded_at: dt.datetime

    @classmethod
    def of(cls, row: QualificationApproval) -> ApprovalEntry:
        return cls(
            status=row.status,
            since=row.since,
            until=row.until,
            reason=row.reason,
            recorded_by=row.recorded_by.get_username() if row.recorded_by else None,
            recorded_at=row.recorded_at,
        )


class ApprovalState(ReadModel):
    qualification: str
    status: str | None = Field(description="The decision in force today (None: none yet)")
    since: dt.date | None
    until: dt.date | None
    reason: str
    in_force: bool = Field(description="Approved today: the centre may register candidates")
    history: list[ApprovalEntry]


class StaffMember(ReadModel):
    person: Person
    roles: list[str]
    competence: list[CompetenceState]
    can_take_new_candidates: bool

    @property
    def role_labels(self) -> list[str]:
        """The roles as people read them ("Internal verifier")."""
        return [str(Role(role).label) for role in self.roles]


class SiteOut(ReadModel):
    id: int
    name: str
    address: str

    @classmethod
    def of(cls, site: Site) -> SiteOut:
        return cls(id=site.pk, name=site.name, address=site.address)


class RegistrationCounts(ReadModel):
    total: int
    by_status: dict[str, int]


# A centre's figures as the caller may see them: the one description that the dashboard page,
# the API and `assay centre show` all read (a comment: a docstring would become API text).
class CentreDashboard(ReadModel):
    centre: CentreSummary
    today: dt.date
    registrations: RegistrationCounts = Field(description="Candidates the caller may see")
    approvals: list[ApprovalState]
    sites: list[SiteOut]
    staff: list[StaffMember]
    warnings: list[str] = Field(description="A/V deadlines due soon or missed")
    refusals: int = Field(description="Refused registrations logged (centre administrators)")
    due_to_expire: int = Field(
        description="Unfinished registrations past their end date (centre administrators)"
    )

    @property
    def deadlines(self) -> list[tuple[StaffMember, CompetenceState]]:
        """Every staff A/V unit record, the most urgent first (overdue, due soon, on track,
        qualified); ties keep the staff order."""
        rows = [(member, state) for member in self.staff for state in member.competence]
        return sorted(rows, key=lambda row: _URGENCY[row[1].status])


# Most urgent first on the dashboard.
_URGENCY: dict[str, int] = {
    CompetenceStatus.OVERDUE: 0,
    CompetenceStatus.DUE_SOON: 1,
    CompetenceStatus.ON_TRACK: 2,
    CompetenceStatus.QUALIFIED: 3,
}


def centre_dashboard(
    user: AnyUser, centre: Centre, today: dt.date | None = None
) -> CentreDashboard:
    """Candidates by status, approvals per qualification, sites, staff A/V deadlines, and for
    administrators the refusals logged and the registrations due to expire."""
    on = today or clock.today()
    staff = _staff(centre, on)
    warnings = [
        f"{member.person.name}: {state.message}"
        for member in staff
        for state in member.competence
        if state.status in (CompetenceStatus.DUE_SOON, CompetenceStatus.OVERDUE)
    ]
    admin = can_administer(user, centre)
    return CentreDashboard(
        centre=CentreSummary.of(centre, user),
        today=on,
        registrations=_counts(user, centre),
        approvals=_approvals(centre, on),
        sites=[SiteOut.of(site) for site in centre.sites.all()],
        staff=staff,
        warnings=warnings,
        refusals=refusals_at(user, centre).count(),
        due_to_expire=due_to_expire_count(centre, on) if admin else 0,
    )


def _counts(user: AnyUser, centre: Centre) -> RegistrationCounts:
    """Registrations by status: for someone who sees the whole centre, from the counts the
    database keeps per centre, status and colour (``progress.ProgressTally``, a handful of rows
    whatever the centre's size); for others, counted over what they may see."""
    rows: Iterable[tuple[str, int]]
    if sees_all_registrations_at(user, centre):
        tallies = centre.progress_tallies.order_by().values_list("status")
        rows = tallies.annotate(total=Sum("n"))
    else:
        rows = registrations_at(user, centre).order_by().values_list("status").annotate(Count("pk"))
    by_status = {status: 0 for status in Status.values}
    for status, n in rows:
        by_status[status] = n
    return RegistrationCounts(total=sum(by_status.values()), by_status=by_status)


def _approvals(centre: Centre, on: dt.date) -> list[ApprovalState]:
    history: dict[str, list[QualificationApproval]] = defaultdict(list)
    for row in QualificationApproval.objects.filter(centre=centre).select_related("recorded_by"):
        history[row.qualification_code].append(row)
    result = []
    for code in sorted(history):
        rows = history[code]
        started = [r for r in rows if r.since <= on]
        current = max(started, key=lambda r: (r.since, r.recorded_at, r.pk), default=None)
        fact = None if current is None else approval_fact(current)
        in_force = approval_problem(fact, code, on) is None
        result.append(
            ApprovalState(
                qualification=code,
                status=current.status if current else None,
                since=current.since if current else None,
                until=current.until if current else None,
                reason=current.reason if current else "",
                in_force=in_force,
                history=[ApprovalEntry.of(r) for r in rows],
            )
        )
    return result


def _staff(centre: Centre, on: dt.date) -> list[StaffMember]:
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        centre=centre, active=True, role__in=STAFF_WITH_DEADLINES
    ).values_list("user_id", "role"):
        roles[user_id].add(role)
    users = get_user_model().objects.filter(pk__in=roles).order_by("last_name", "username")
    records = competence_states(roles, on)
    staff = []
    for member in users:
        states = records[member.pk]
        who = person(member)
        assert who is not None
        staff.append(
            StaffMember(
                person=who,
                roles=sorted(roles[member.pk]),
                competence=states,
                can_take_new_candidates=all(s.can_take_new_candidates for s in states),
            )
        )
    return staff
