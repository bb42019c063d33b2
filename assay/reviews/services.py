"""Writes for assessment plans and progress reviews; each checks role and relation first.

* An assessor of the candidate records plans and reviews, edits one until its first
  signature, and marks activities done (who and when are kept).
* The candidate, one of their assessors and their employer contact each sign once, in their
  own capacity; the signature keeps the SHA-256 of the exact text shown (``plan_text``).
* A signed plan is frozen: a changed plan is a new plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from assay import clock
from assay.centres.models import Role
from assay.centres.permissions import roles_at
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import text_problem
from assay.engines.reviews import (
    ActivityContent,
    PlanContent,
    activity_errors,
    canonical_text,
    plan_errors,
)
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.portfolios.coverage import planned_units, registration_coverage, unit_spec, unit_targets
from assay.portfolios.models import Method
from assay.portfolios.records import signed_off_units
from assay.portfolios.services import is_assessor_of, is_candidate
from assay.registrations.models import Registration
from assay.registrations.signals import progress_changed
from assay.registrations.signing import Origin
from assay.reviews.models import (
    AssessmentPlan,
    Capacity,
    Kind,
    PlannedActivity,
    ReviewSignature,
)
from assay.users import User

NO_ORIGIN = Origin()  # a signature made outside a request (demo loader, tests)


@dataclass(frozen=True, slots=True)
class ActivityInput:
    description: str
    method: str
    targets: tuple[str, ...]
    target_date: dt.date


@dataclass(frozen=True, slots=True)
class PlanInput:
    kind: str
    met_on: dt.date
    summary: str
    notes: str = ""
    next_review_on: dt.date | None = None
    activities: tuple[ActivityInput, ...] = ()


def _check_assessor(by: User, registration: Registration) -> None:
    if not is_assessor_of(by, registration):
        raise NotAllowed(
            "only an assessor of this candidate can record or change plans and reviews"
        )


def capacities_of(user: User, registration: Registration) -> list[str]:
    """The capacities in which ``user`` may sign this registration's plans and reviews."""
    held = []
    if is_candidate(user, registration):
        held.append(Capacity.CANDIDATE.value)
    if is_assessor_of(user, registration):
        held.append(Capacity.ASSESSOR.value)
    if (
        user.is_authenticated
        and registration.candidate.employer_contact_id == user.pk
        and Role.EMPLOYER_CONTACT in roles_at(user, registration.centre)
    ):
        held.append(Capacity.EMPLOYER.value)
    return held


def _content(registration: Registration, data: PlanInput) -> PlanContent:
    labels = dict(Method.choices)
    kinds = dict(Kind.choices)
    return PlanContent(
        kind_label=str(kinds.get(data.kind, data.kind)),
        candidate=str(registration.candidate),
        qualification=registration.qualification.code,
        met_on=data.met_on,
        summary=data.summary.strip(),
        notes=data.notes.strip(),
        next_review_on=data.next_review_on,
        activities=tuple(
            ActivityContent(
                description=a.description.strip(),
                method=a.method,
                method_label=str(labels.get(a.method, a.method)),
                targets=tuple(t.strip() for t in a.targets if t.strip()),
                target_date=a.target_date,
            )
            for a in data.activities
        ),
    )


def _validate(registration: Registration, data: PlanInput) -> PlanContent:
    """Every problem at once (InvalidInput) or the content to store."""
    content = _content(registration, data)
    errors: dict[str, str] = {}
    if data.kind not in Kind.values:
        errors["kind"] = f"choose one of {', '.join(Kind.values)}"
    for name, text in (("summary", data.summary), ("notes", data.notes)):
        if problem := text_problem(text, multiline=True):
            errors[name] = problem
    for number, a in enumerate(data.activities, start=1):
        if problem := text_problem(a.description, multiline=True):
            errors[f"activities.{number}.description"] = f"activity {number}: {problem}"
    errors.update(
        plan_errors(
            content,
            today=clock.today(),
            registered_on=registration.registered_on,
            end_date=registration.end_date,
        )
    )
    if data.kind == Kind.PLAN and not content.activities:
        errors["activities"] = "an assessment plan needs at least one planned activity"
    known = {u: unit_targets(unit_spec(registration, u)) for u in planned_units(registration)}
    for number, activity in enumerate(content.activities, start=1):
        found = activity_errors(
            activity,
            known_targets=known,
            methods=Method.values,
            met_on=content.met_on,
            end_date=registration.end_date,
        )
        errors.update(
            {f"activities.{number}.{k}": f"activity {number}: {v}" for k, v in found.items()}
        )
    if errors:
        raise InvalidInput(errors)
    return content


def coverage_snapshot(registration: Registration) -> list[dict[str, object]]:
    """Each planned unit now: criteria done of all, and whether it is signed off."""
    signed = set(signed_off_units(registration))
    return [
        {
            "unit": unit,
            "met": sum(1 for c in cov.criteria if c.done),
            "total": len(cov.criteria),
            "signed_off": unit in signed,
        }
        for unit, cov in registration_coverage(registration).items()
    ]


def _write_activities(plan: AssessmentPlan, content: PlanContent) -> None:
    PlannedActivity.objects.bulk_create(
        PlannedActivity(
            plan=plan,
            position=number,
            description=a.description,
            method=a.method,
            targets=list(a.targets),
            target_date=a.target_date,
        )
        for number, a in enumerate(content.activities, start=1)
    )
    progress_changed([plan.registration_id])  # bulk_create sends no model signal


def plan_create(*, by: User, registration: Registration, data: PlanInput) -> AssessmentPlan:
    """Record an assessment plan or progress review with its activities and a snapshot of the
    coverage of every planned unit at this moment."""
    _check_assessor(by, registration)
    content = _validate(registration, data)
    with transaction.atomic():
        plan = AssessmentPlan.objects.create(
            registration=registration,
            kind=data.kind,
            met_on=content.met_on,
            summary=content.summary,
            notes=content.notes,
            next_review_on=content.next_review_on,
            coverage=coverage_snapshot(registration),
            created_by_id=by.pk,
        )
        _write_activities(plan, content)
    return plan


def _refuse_if_signed(plan: AssessmentPlan) -> None:
    if plan.signatures.exists():
        raise InvalidInput(
            {"plan": "this plan has been signed and its text is frozen; record a new plan instead"}
        )


def plan_update(*, by: User, plan: AssessmentPlan, data: PlanInput) -> AssessmentPlan:
    """Change an unsigned plan's text and activities (the kind and snapshot stay)."""
    registration = plan.registration
    _check_assessor(by, registration)
    if data.kind != plan.kind:
        raise InvalidInput({"kind": "a plan cannot become a review, or a review a plan"})
    content = _validate(registration, data)
    with transaction.atomic():
        locked = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        _refuse_if_signed(locked)
        if locked.activities.exclude(completed_on=None).exists():
            raise InvalidInput({"plan": "an activity is already done; record a new plan instead"})
        locked.met_on, locked.summary, locked.notes = content.met_on, content.summary, content.notes
        locked.next_review_on = content.next_review_on
        locked.edited_by_id, locked.edited_at = by.pk, clock.now()
        locked.save(
            update_fields=["met_on", "summary", "notes", "next_review_on", "edited_by", "edited_at"]
        )
        locked.activities.all().delete()
        _write_activities(locked, content)
    plan.refresh_from_db()
    return plan


def stored_content(plan: AssessmentPlan, activities: Sequence[PlannedActivity]) -> PlanContent:
    """A stored plan as the engine's content (``activities`` passed in, so prefetched rows
    are reused)."""
    return _content(
        plan.registration,
        PlanInput(
            kind=plan.kind,
            met_on=plan.met_on,
            summary=plan.summary,
            notes=plan.notes,
            next_review_on=plan.next_review_on,
            activities=tuple(
                ActivityInput(a.description, a.method, tuple(a.targets), a.target_date)
                for a in sorted(activities, key=lambda a: (a.position, a.pk))
            ),
        ),
    )


def plan_text(plan: AssessmentPlan) -> str:
    """The exact text a signer of this plan signs, read afresh from the rows."""
    return canonical_text(
        stored_content(plan, list(PlannedActivity.objects.filter(plan_id=plan.pk)))
    )


def plan_sign(
    *,
    by: User,
    plan: AssessmentPlan,
    capacity: str,
    origin: Origin = NO_ORIGIN,
    expected_sha256: str | None = None,
) -> ReviewSignature:
    """Sign a plan or review in one's own capacity, once. ``expected_sha256`` is the
    fingerprint of the text the signer was shown: if the plan changed since, nothing is signed."""
    registration = plan.registration
    if capacity not in Capacity.values:
        raise InvalidInput({"capacity": "sign as candidate, assessor or employer"})
    if capacity not in capacities_of(by, registration):
        raise NotAllowed(f"you cannot sign as the {capacity} of this candidate")
    with transaction.atomic():
        locked = (
            AssessmentPlan.objects.select_for_update()
            .select_related("registration__candidate", "registration__qualification")
            .get(pk=plan.pk)
        )
        digest = text_sha256(plan_text(locked))
        if expected_sha256 is not None and expected_sha256 != digest:
            raise InvalidInput(
                {"text": "the plan changed since you read it; reload and read it again"}
            )
        earlier = plan.signatures.filter(capacity=capacity).select_related("signer").first()
        if earlier is not None:
            raise InvalidInput(
                {
                    "capacity": f"already signed as {capacity} by "
                    f"{earlier.signer.get_full_name() or earlier.signer.get_username()} on "
                    f"{ddmmyyyy(timezone.localdate(earlier.at))}"
                }
            )
        try:
            with transaction.atomic():
                return ReviewSignature.objects.create(
                    plan=plan,
                    signer_id=by.pk,
                    capacity=capacity,
                    text_sha256=digest,
                    ip_address=origin.ip_address,
                    user_agent=origin.user_agent,
                )
        except IntegrityError:
            raise InvalidInput({"capacity": f"already signed as {capacity}"}) from None


def activity_complete(
    *, by: User, activity: PlannedActivity, on: dt.date | None = None
) -> PlannedActivity:
    """An assessor of the candidate marks a planned activity done on ``on`` (default today)."""
    plan = activity.plan
    _check_assessor(by, plan.registration)
    today = clock.today()
    day = on or today
    if day > today:
        raise InvalidInput(
            {"completed_on": f"{ddmmyyyy(day)} is in the future (today is {ddmmyyyy(today)})"}
        )
    if day < plan.met_on:
        raise InvalidInput(
            {
                "completed_on": f"{ddmmyyyy(day)} is before the plan was agreed on "
                f"{ddmmyyyy(plan.met_on)}"
            }
        )
    with transaction.atomic():
        current = PlannedActivity.objects.select_for_update().get(pk=activity.pk)
        if current.completed_on is not None:
            raise InvalidInput(
                {
                    "completed_on": "this activity was already marked done on "
                    f"{ddmmyyyy(current.completed_on)}"
                }
            )
        current.completed_on, current.completed_by_id = day, by.pk
        current.completed_at = clock.now()
        current.save(update_fields=["completed_on", "completed_by", "completed_at"])
    activity.completed_on, activity.completed_by_id = current.completed_on, current.completed_by_id
    activity.completed_at = current.completed_at
    return activity
