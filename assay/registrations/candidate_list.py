"""A centre's candidate list: its filters, its orders and its keyset pages, narrowed to what
the user may see (``selectors.registrations_at``) and never loading a qualification's spec
content. The dashboard page, the API's list and the export (``export.py``) read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from assay.centres.models import Centre
from assay.errors import InvalidInput
from assay.keyset import Page, paginate
from assay.registrations.models import Registration, Status
from assay.registrations.selectors import registrations_at
from assay.users import AnyUser

# The candidate list's order: by name, the registration's id last so that every row has one
# place (a keyset page's cursor is the last row's name and id). The names are the copies on the
# registration's progress row (kept by a database trigger, assay/progress/triggers.py), whose
# (centre, last name, first name, registration) index answers a page without sorting the
# centre: the candidate's own columns live in another table, which no index can order with
# the registration's id.
CANDIDATE_ORDER = ("sort_last_name", "sort_first_name", "pk")
# The API's order: the registrations as they were made. The centre's index on the registration
# table answers it directly, so a page costs the same at any depth and any centre size, and a
# client syncing a centre walks to the end and later resumes from its last cursor (the name
# order sorts every row of the centre for each page).
REGISTRATION_ORDER = ("pk",)


@dataclass(frozen=True, slots=True)
class CandidateFilter:
    """What a candidate list is narrowed to: a status, a qualification code, a name (the
    start of the first or last name, or part of the e-mail address)."""

    status: str = ""
    qualification: str = ""
    search: str = ""

    def __post_init__(self) -> None:
        if self.status and self.status not in Status.values:
            raise InvalidInput(
                {"status": f"unknown status {self.status!r}; one of {', '.join(Status.values)}"}
            )

    def apply(self, registrations: QuerySet[Registration]) -> QuerySet[Registration]:
        if self.status:
            registrations = registrations.filter(status=self.status)
        if self.qualification:
            registrations = registrations.filter(qualification__code=self.qualification)
        words = self.search.split()
        for word in words:
            registrations = registrations.filter(
                Q(candidate__last_name__istartswith=word)
                | Q(candidate__first_name__istartswith=word)
                | Q(candidate__email__icontains=word)
            )
        return registrations


def centre_candidates(
    user: AnyUser, centre: Centre, narrow: CandidateFilter | None = None
) -> QuerySet[Registration]:
    """The registrations at ``centre`` the user may see, by name, candidate and qualification
    joined (never the spec's content), narrowed by ``narrow``."""
    found = registrations_at(user, centre).filter(progress_row__centre_id=centre.pk)
    if narrow is not None:
        found = narrow.apply(found)
    return found.annotate(
        sort_last_name=F("progress_row__last_name"), sort_first_name=F("progress_row__first_name")
    ).order_by(*CANDIDATE_ORDER)


def centre_candidates_page(
    user: AnyUser,
    centre: Centre,
    narrow: CandidateFilter | None = None,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    held: bool = False,
    ordering: tuple[str, ...] = CANDIDATE_ORDER,
) -> Page[Registration]:
    """One keyset page of ``centre_candidates`` in ``ordering`` (InvalidInput for a bad cursor
    or size), with each candidate's held qualifications when ``held`` (the API's summaries
    show them): one query, two with ``held``, whatever the number of registrations."""
    found = centre_candidates(user, centre, narrow)
    if held:
        found = found.prefetch_related("candidate__held")
    return paginate(found, ordering, cursor, size)
