"""Reads of assessment plans and reviews, narrowed to registrations the user may see.

``registration_reviews`` reads a registration's plans, activities and signatures in a fixed
number of queries, whatever their count, and pairs each review with the progress since the
record before it; ``reviews_page`` reads one keyset page of them (issue 12).
``open_activity_targets`` serves the assessor caseload.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from assay.engines.reviews import UnitChange, UnitSnapshot, canonical_text, progress_between
from assay.errors import NotFound
from assay.files.digest import text_sha256
from assay.keyset import Page, paginate
from assay.registrations.models import Registration
from assay.registrations.selectors import registration_get
from assay.reviews.models import AssessmentPlan, PlannedActivity, ReviewSignature
from assay.reviews.services import stored_content
from assay.users import AnyUser


@dataclass(frozen=True)
class PlanView:
    """One plan or review as pages and the API show it."""

    plan: AssessmentPlan
    activities: list[PlannedActivity]
    signatures: list[ReviewSignature]
    text: str
    sha256: str
    snapshot: tuple[UnitSnapshot, ...]
    progress: tuple[UnitChange, ...] | None  # None: nothing earlier to compare with

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def signed_capacities(self) -> set[str]:
        return {s.capacity for s in self.signatures}

    @property
    def text_unchanged(self) -> bool:
        """Every signature was made on the text as it reads now (frozen plans stay true)."""
        return all(s.text_sha256 == self.sha256 for s in self.signatures)


def snapshot_of(plan: AssessmentPlan) -> tuple[UnitSnapshot, ...]:
    return tuple(
        UnitSnapshot(str(u["unit"]), int(u["met"]), int(u["total"]), bool(u["signed_off"]))
        for u in plan.coverage or ()
    )


ORDER = ("met_on", "pk")  # oldest first


def _plans(registration: Registration) -> QuerySet[AssessmentPlan]:
    return (
        AssessmentPlan.objects.filter(registration_id=registration.pk)
        .select_related("created_by", "edited_by")
        .prefetch_related(
            Prefetch("activities", queryset=PlannedActivity.objects.select_related("completed_by")),
            Prefetch("signatures", queryset=ReviewSignature.objects.select_related("signer")),
        )
    )


def _snapshot_before(
    registration: Registration, plan: AssessmentPlan
) -> tuple[UnitSnapshot, ...] | None:
    """The snapshot of the record just before ``plan`` (None for the first): what a review
    at the top of a page compares with (one query)."""
    earlier = (
        AssessmentPlan.objects.filter(registration_id=registration.pk)
        .filter(Q(met_on__lt=plan.met_on) | Q(met_on=plan.met_on, pk__lt=plan.pk))
        .order_by("-met_on", "-pk")
        .only("pk", "coverage")
        .first()
    )
    return None if earlier is None else snapshot_of(earlier)


def _views(
    plans: list[AssessmentPlan],
    registration: Registration,
    previous: tuple[UnitSnapshot, ...] | None,
) -> list[PlanView]:
    views: list[PlanView] = []
    for plan in plans:
        plan.registration = registration  # the caller's, already narrowed and loaded
        activities = list(plan.activities.all())
        text = canonical_text(stored_content(plan, activities))
        snapshot = snapshot_of(plan)
        progress = (
            progress_between(previous, snapshot)
            if plan.kind == "review" and previous is not None
            else None
        )
        views.append(
            PlanView(
                plan,
                activities,
                list(plan.signatures.all()),
                text,
                text_sha256(text),
                snapshot,
                progress,
            )
        )
        previous = snapshot
    return views


def registration_reviews(registration: Registration) -> list[PlanView]:
    """Every plan and review of a registration already got from ``registration_get``, oldest
    first, each review with its progress since the record before it."""
    return _views(list(_plans(registration).order_by(*ORDER)), registration, None)


def reviews_page(
    registration: Registration, cursor: str | None = None, size: int | str | None = None
) -> Page[PlanView]:
    """One page of ``registration_reviews`` (oldest first): the same queries whatever the
    number of records, the first review of the page compared with the record before it."""
    found = paginate(_plans(registration), ORDER, cursor, size)
    previous = _snapshot_before(registration, found.items[0]) if found.items else None
    return Page(_views(found.items, registration, previous), found.next, found.previous, found.size)


def plan_view(registration: Registration, plan_pk: int) -> PlanView:
    """One plan or review of the registration as the list shows it (NotFound otherwise)."""
    plan = _plans(registration).filter(pk=plan_pk).first()
    if plan is None:
        raise NotFound(f"no plan {plan_pk} in registration {registration.pk}")
    (view,) = _views([plan], registration, _snapshot_before(registration, plan))
    return view


def reviews_of(
    user: AnyUser, registration_pk: int, cursor: str | None = None, size: int | str | None = None
) -> Page[PlanView]:
    """``reviews_page`` of a registration the user may see (NotFound otherwise): the
    registration is narrowed before the cursor applies."""
    return reviews_page(registration_get(user, registration_pk), cursor, size)


def plan_get(user: AnyUser, registration_pk: int, plan_pk: int) -> AssessmentPlan:
    """One plan of a registration the user may see; NotFound for missing and not-yours alike."""
    registration = registration_get(user, registration_pk)
    plan = AssessmentPlan.objects.filter(pk=plan_pk, registration_id=registration.pk).first()
    if plan is None:
        raise NotFound(f"no plan {plan_pk} in registration {registration_pk}")
    plan.registration = registration
    return plan


def activity_get(user: AnyUser, registration_pk: int, activity_pk: int) -> PlannedActivity:
    """One planned activity of a registration the user may see (NotFound otherwise)."""
    registration = registration_get(user, registration_pk)
    activity = (
        PlannedActivity.objects.select_related("plan")
        .filter(pk=activity_pk, plan__registration_id=registration.pk)
        .first()
    )
    if activity is None:
        raise NotFound(f"no planned activity {activity_pk} in registration {registration_pk}")
    activity.plan.registration = registration
    return activity


def open_activity_targets(registration_ids: Collection[int]) -> dict[int, list[dt.date]]:
    """Target dates (earliest first) of the not-yet-completed planned activities of each
    registration, in one query; registrations with none are absent. For the assessor caseload:
    the caller has already narrowed ``registration_ids`` to what the user may see."""
    out: dict[int, list[dt.date]] = defaultdict(list)
    rows = (
        PlannedActivity.objects.filter(
            plan__registration_id__in=list(registration_ids), completed_on__isnull=True
        )
        .order_by("plan__registration_id", "target_date", "pk")
        .values_list("plan__registration_id", "target_date")
    )
    for registration_id, target_date in rows:
        out[registration_id].append(target_date)
    return dict(out)
