"""What marks a registration's progress row dirty: every write to a row its figures are computed
from, in the act's own transaction (ADR 0014). Model signals catch ``save`` and ``delete``
(a queryset ``delete`` sends them per row too); bulk writes that bypass them send
``registrations.signals.progress_inputs_changed``.

The inputs, as ``materialise._recompute`` reads them: the registration (status, dates, centre,
qualification) and its candidate's name; plan units (unit, target date); evidence items
(context, dates), criterion mappings and the decision record (judgements, evidence periods,
sign-offs, reopenings); accepted credit transfers (``RplClaim``); the assessment plans'
activities (target date, completion); the qualification's specification content.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from assay.catalogue.models import Qualification, SpecFile
from assay.portfolios.models import CriterionMapping, Decision, EvidenceItem
from assay.progress.materialise import mark_dirty, mark_dirty_where
from assay.progress.models import RegistrationProgress
from assay.registrations.models import Candidate, PlanUnit, Registration, RplClaim
from assay.registrations.signals import progress_inputs_changed
from assay.reviews.models import AssessmentPlan, PlannedActivity

UID = "assay.progress"


def _registration_saved(sender: Any, instance: Registration, **kwargs: Any) -> None:
    # A new registration's row comes with it (a database trigger, ``triggers.py``), dirty
    # until the first read computes it; the trigger also copies changed centre, status, dates.
    if not kwargs.get("raw") and not kwargs.get("created"):
        mark_dirty([instance.pk])


def _by_registration(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Plan units, evidence items, decisions, credit transfers: rows with a registration."""
    if kwargs.get("raw"):
        return
    mark_dirty([instance.registration_id])


def _mapping_changed(sender: Any, instance: CriterionMapping, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    mark_dirty_where(
        RegistrationProgress.objects.filter(
            pk__in=EvidenceItem.objects.filter(pk=instance.item_id).values("registration_id")
        )
    )


def _activity_changed(sender: Any, instance: PlannedActivity, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    mark_dirty_where(
        RegistrationProgress.objects.filter(
            pk__in=AssessmentPlan.objects.filter(pk=instance.plan_id).values("registration_id")
        )
    )


def _candidate_saved(sender: Any, instance: Candidate, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        mark_dirty_where(RegistrationProgress.objects.filter(registration__candidate=instance))


def _qualification_saved(sender: Any, instance: Qualification, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        mark_dirty_where(RegistrationProgress.objects.filter(registration__qualification=instance))


def _spec_saved(sender: Any, instance: SpecFile, created: bool, **kwargs: Any) -> None:
    # A new file is a new qualification version, which no registration uses yet (ADR 0003);
    # content changed in place (an admin repair) changes every registration on it.
    if not created and not kwargs.get("raw"):
        mark_dirty_where(
            RegistrationProgress.objects.filter(registration__qualification__spec=instance)
        )


def _inputs_changed(sender: Any, registration_ids: list[int], **kwargs: Any) -> None:
    mark_dirty(registration_ids)


def connect() -> None:
    post_save.connect(_registration_saved, sender=Registration, dispatch_uid=f"{UID}.reg")
    for model in (PlanUnit, EvidenceItem, Decision, RplClaim):
        for signal in (post_save, post_delete):
            signal.connect(_by_registration, sender=model, dispatch_uid=f"{UID}.{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_mapping_changed, sender=CriterionMapping, dispatch_uid=f"{UID}.mapping")
        signal.connect(_activity_changed, sender=PlannedActivity, dispatch_uid=f"{UID}.activity")
    post_save.connect(_candidate_saved, sender=Candidate, dispatch_uid=f"{UID}.candidate")
    post_save.connect(_qualification_saved, sender=Qualification, dispatch_uid=f"{UID}.qual")
    post_save.connect(_spec_saved, sender=SpecFile, dispatch_uid=f"{UID}.spec")
    progress_inputs_changed.connect(_inputs_changed, dispatch_uid=f"{UID}.inputs")
