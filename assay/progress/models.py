"""One materialised row per registration: the inputs of its red/amber/green and the colour
decided from them, so that centre progress, the caseload and their exports read one row per
learner instead of every evidence item and mapping (issue 12, ADR 0014).

A row is *dirty* when something it is computed from changed (the receivers in
``receivers.py`` mark it in the act's own transaction); a missing row counts as dirty. Every
read first recomputes the dirty and missing rows of its scope in bulk, and recolours the rows
whose stored colour is not valid on today's date (``rag_from``..``rag_until``: the colour only
gets worse as days pass, and the pure ``rag_valid_until`` says until when it holds). The reasons
(which say "N days ago") are never stored: the page computes them from the stored inputs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay.centres.models import Centre
from assay.registrations.models import Registration, Status


class RegistrationProgress(models.Model):
    registration = models.OneToOneField(
        Registration, primary_key=True, on_delete=models.CASCADE, related_name="progress_row"
    )
    # Copies of the registration's and candidate's columns, for index-friendly keyset order.
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=16, choices=Status.choices)
    registered_on = models.DateField()
    end_date = models.DateField()
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    # The inputs of engines.progress.Progress (today excepted).
    criteria_met = models.PositiveIntegerField(default=0)
    criteria_planned = models.PositiveIntegerField(default=0)
    credits_signed_off = models.PositiveIntegerField(default=0)
    credits_planned = models.PositiveIntegerField(default=0)
    units_signed_off = models.PositiveIntegerField(default=0)
    units_planned = models.PositiveIntegerField(default=0)
    unit_targets = models.JSONField(default=list, help_text="[[unit, ISO date], ...] still open")
    activity_targets = models.JSONField(default=list, help_text="[ISO date, ...] still open")
    not_assessable = models.JSONField(default=list, help_text="planned units without content")
    next_target = models.DateField(null=True)
    # The colour on rag_from, valid through rag_until (None: no change foreseen).
    rag = models.CharField(max_length=8, default="amber")
    rag_rank = models.PositiveSmallIntegerField(default=0)
    rag_from = models.DateField(null=True, help_text="None: never computed")
    rag_until = models.DateField(null=True)
    dirty = models.BooleanField(default=True)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "centre",
                    "rag_rank",
                    "end_date",
                    "last_name",
                    "first_name",
                    "registration",
                ],
                name="progress_centre_order",
            ),
            models.Index(
                fields=[
                    "centre",
                    "status",
                    "rag_rank",
                    "end_date",
                    "last_name",
                    "first_name",
                    "registration",
                ],
                name="progress_centre_status",
            ),
            models.Index(
                fields=["rag_rank", "end_date", "last_name", "first_name", "registration"],
                name="progress_order",
            ),
            # What ensure_fresh looks for: dirty rows, colours not valid on today.
            models.Index(fields=["centre", "dirty"], name="progress_centre_dirty"),
            models.Index(fields=["centre", "rag_from"], name="progress_centre_rag_from"),
            models.Index(fields=["centre", "rag_until"], name="progress_centre_rag_until"),
            # The centre dashboard's candidates, by name (keyset).
            models.Index(
                fields=["centre", "last_name", "first_name", "registration"],
                name="progress_centre_name",
            ),
        ]

    def __str__(self) -> str:
        return f"progress of registration {self.registration_id}: {self.rag}"


class ProgressTally(models.Model):
    """How many stored rows of a centre have each (status, colour): the counts above centre
    progress and on the dashboard, read in one small query whatever the centre's size.

    Kept by database triggers on ``RegistrationProgress`` (``triggers.py``), so every write
    path — saves, bulk inserts, queryset updates, cascades — keeps it exact in the writing
    transaction; ``assay progress refresh`` rebuilds it from the rows."""

    # The related name lets the centre dashboard (a layer below) read the counts by status.
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="progress_tallies")
    status = models.CharField(max_length=16, choices=Status.choices)
    rag = models.CharField(max_length=8)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "status", "rag"], name="progress_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.status} {self.rag}: {self.n}"


class CaseloadTally(models.Model):
    """How many of an assessor's registrations (one or more plan units assigned to them) at a
    centre have each (status, colour): the caseload's counts. Kept by triggers on
    ``RegistrationProgress`` and ``PlanUnit``, like ``ProgressTally``."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    rag = models.CharField(max_length=8)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "centre", "status", "rag"], name="caseload_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id}@{self.centre_id} {self.status} {self.rag}: {self.n}"
