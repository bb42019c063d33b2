"""An appeal against one assessment decision, and a complaint about a centre.

Every act is a record in a generic chain (``appeal:<pk>``, ``complaints:<centre pk>``); the
appeal's ``stage``, ``status`` and ``due_on`` are copies of the fold over its chain
(``engines.appeals``) kept for lists, and ``assay records verify`` names any row that differs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.centres.models import Centre
from assay.engines.appeals import Stage as EngineStage
from assay.engines.appeals import Status as EngineStatus
from assay.portfolios.models import Decision
from assay.registrations.models import Registration


class Stage(models.TextChoices):
    ASSESSOR_REVIEW = EngineStage.ASSESSOR_REVIEW.value, "Assessor review"
    IQA_REVIEW = EngineStage.IQA_REVIEW.value, "IQA review"
    CENTRE = EngineStage.CENTRE.value, "Centre"
    AWARDING_BODY = EngineStage.AWARDING_BODY.value, "Awarding body"


class Status(models.TextChoices):
    OPEN = EngineStatus.OPEN.value, "Open"
    UPHELD = EngineStatus.UPHELD.value, "Upheld"
    DISMISSED = EngineStatus.DISMISSED.value, "Dismissed"
    WITHDRAWN = EngineStatus.WITHDRAWN.value, "Withdrawn"
    CLOSED = EngineStatus.CLOSED.value, "Closed"


class Appeal(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="appeals")
    unit_number = models.CharField(max_length=16)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField()
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(default=clock.now, editable=False)
    stage = models.CharField(max_length=32, choices=Stage.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at", "-pk"]
        indexes = [models.Index(fields=["lodged_at", "id"], name="appeal_page")]

    def __str__(self) -> str:
        return f"Appeal {self.pk} on unit {self.unit_number} ({self.status})"


class Complaint(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="complaints")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["centre", "at", "id"], name="complaint_page")]

    def __str__(self) -> str:
        return f"Complaint {self.pk} about centre {self.centre_id}"
