"""The employer contact's home: for each employee they follow, the registration documents and
the assessment plans and progress reviews still waiting for their signature. Keyset pages in the
database (issue 12), waiting first, so a contact who follows hundreds of employees gets a page
at a time in the same queries whatever the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assay.centres.models import Role
from assay.centres.permissions import centre_ids_with_role
from assay.keyset import Page, paginate
from assay.registrations.models import Registration, Signature, SignatureDocument
from assay.reviews.models import AssessmentPlan
from assay.users import AnyUser

PAGE_SIZE = 25
ORDER = ("done", "candidate__last_name", "candidate__first_name", "pk")  # waiting first
DOCUMENTS = len(SignatureDocument.choices)


@dataclass(frozen=True, slots=True)
class EmployerRow:
    registration: Registration
    unsigned: list[str]  # registration documents the employer has not signed yet
    signed: list[str]
    reviews: list[AssessmentPlan]  # plans and reviews without the employer's signature


@dataclass(frozen=True, slots=True)
class EmployerHome:
    rows: list[EmployerRow]
    page: Page[Any]  # the registrations of ``rows``, with the cursors of the pages around
    waiting: int  # employees with something to sign, over every page


def _unsigned_plans() -> Any:
    return AssessmentPlan.objects.exclude(signatures__capacity="employer")


def employer_home(
    user: AnyUser, cursor: str | None = None, size: int | str | None = PAGE_SIZE
) -> EmployerHome:
    """The employees ``user`` follows as employer contact, those with anything to sign first."""
    if not user.is_authenticated:
        followed = Registration.objects.none()
    else:
        followed = Registration.objects.filter(
            candidate__employer_contact_id=user.pk,
            centre_id__in=centre_ids_with_role(user, Role.EMPLOYER_CONTACT),
        )
    plans_waiting = (
        _unsigned_plans()
        .filter(registration_id=OuterRef("pk"))
        .order_by()
        .values("registration_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = followed.annotate(
        docs_signed=Count(
            "signatures",
            filter=Q(signatures__signer_id=user.pk, signatures__capacity="employer"),
            distinct=True,
        ),
        plans_waiting=Coalesce(Subquery(plans_waiting, output_field=IntegerField()), Value(0)),
    ).annotate(
        done=Case(
            When(Q(docs_signed__lt=DOCUMENTS) | Q(plans_waiting__gt=0), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    waiting = rows.filter(done=0).count()
    ordered = rows.select_related("candidate", "qualification", "centre").prefetch_related(
        Prefetch(
            "signatures",
            queryset=Signature.objects.filter(signer_id=user.pk, capacity="employer"),
            to_attr="employer_signatures",
        ),
        Prefetch(
            "assessment_plans",
            queryset=_unsigned_plans().order_by("met_on", "pk"),
            to_attr="plans_to_sign",
        ),
    )
    current = paginate(ordered, ORDER, cursor, size or PAGE_SIZE)
    result = []
    on_page: list[Any] = current.items  # with the prefetched ``employer_signatures`` etc.
    for reg in on_page:
        done = {s.document for s in reg.employer_signatures}
        result.append(
            EmployerRow(
                reg,
                [str(label) for value, label in SignatureDocument.choices if value not in done],
                [str(label) for value, label in SignatureDocument.choices if value in done],
                list(reg.plans_to_sign),
            )
        )
    return EmployerHome(result, current, waiting)
