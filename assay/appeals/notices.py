"""Who is told about an appeal: the candidate of every decision, the reviewers of the stage
an appeal reaches (lodged: the unit's assessor; escalated: the next stage's reviewers, less
anyone who acted in the appealed unit). Called inside the services' transactions."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import reverse

from assay.appeals.models import Appeal
from assay.centres.models import Membership, Role
from assay.engines.appeals import Stage
from assay.engines.notifications import Event, Recipient
from assay.notifications.services import notify
from assay.users import User


def link(appeal: Appeal) -> str:
    return reverse("appeal", args=[appeal.registration_id, appeal.pk])


def reviewers(appeal: Appeal, stage: Stage, acted: Iterable[int]) -> list[int]:
    """The accounts that may decide ``stage`` of ``appeal`` (less those in ``acted``)."""
    registration = appeal.registration
    centre = registration.centre_id
    if stage is Stage.ASSESSOR_REVIEW:
        found = set(
            registration.plan_units.filter(unit_number=appeal.unit_number)
            .exclude(assessor_id=None)
            .values_list("assessor_id", flat=True)
        )
        return sorted(found)
    roles = {
        Stage.IQA_REVIEW: (Role.LEAD_IQA,),
        Stage.CENTRE: (Role.LEAD_IQA, Role.CENTRE_ADMIN),
        Stage.AWARDING_BODY: (Role.EXTERNAL_VERIFIER,),
    }[stage]
    found = set(
        Membership.objects.filter(centre_id=centre, role__in=roles, active=True).values_list(
            "user_id", flat=True
        )
    )
    if stage is Stage.IQA_REVIEW and registration.internal_verifier_id:
        found.add(registration.internal_verifier_id)
    if stage is Stage.AWARDING_BODY:
        operators = get_user_model().objects.filter(is_superuser=True, is_active=True)
        found |= set(operators.values_list("pk", flat=True)) if not found else set()
    return sorted(found - set(acted) - {registration.candidate.user_id})


def waiting(appeal: Appeal, stage: Stage, by: User, acted: Iterable[int]) -> None:
    """The appeal reached ``stage``: its reviewers are told."""
    recipients = [
        Recipient(who, f"you may decide the {stage.label} stage of this appeal")
        for who in reviewers(appeal, stage, acted)
    ]
    notify(
        kind=Event.APPEAL_WAITING,
        recipients=recipients,
        text=f"Appeal {appeal.pk} of {appeal.registration.candidate} waits for {stage.label}",
        line=f"Unit {appeal.unit_number}: {appeal.grounds}",
        link=link(appeal),
        registration=appeal.registration,
        actor=by,
    )


def decided(appeal: Appeal, stage: Stage, upheld: bool, reasons: str, by: User) -> None:
    """A stage decided: the candidate is told, with the reasons."""
    candidate = appeal.registration.candidate.user_id
    if candidate is None:
        return
    verdict = "upheld" if upheld else "dismissed"
    notify(
        kind=Event.APPEAL_DECIDED,
        recipients=[Recipient(candidate, "it is your appeal")],
        text=f"Your appeal on unit {appeal.unit_number} was {verdict} at {stage.label}",
        line=reasons,
        link=link(appeal),
        registration=appeal.registration,
        actor=by,
    )
