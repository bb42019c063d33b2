"""A centre's sampling strategy per qualification, the samples drawn from it, their picks and
the internal verifier's verifications. All append-only: a changed strategy is a new row (the
latest is current), a draw and its picks are never edited, a verification is a new row next
to the chained ``Decision`` that records it (``assay records verify`` covers that one).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.centres.models import Centre
from assay.engines.verification import Dimension, Outcome, Stage
from assay.portfolios.models import Decision
from assay.registrations.models import Registration


class SamplingStrategy(models.Model):
    """The strategy as plain data (``engines.verification.parse_strategy`` reads and
    validates it; centre and qualification are added from the row)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    qualification_code = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["centre", "qualification_code", "-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["centre", "qualification_code", "-created_at", "-id"],
                name="iqa_strategy_current",
            )
        ]

    def __str__(self) -> str:
        return f"IQA strategy {self.qualification_code} @ {self.centre_id}"


class SampleDraw(models.Model):
    """One drawn sample: reproducible from the strategy, the period and the seed."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    qualification_code = models.CharField(max_length=64)
    period_start = models.DateField()
    period_end = models.DateField()
    seed = models.BigIntegerField()
    strategy = models.ForeignKey(
        SamplingStrategy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the engine's documented defaults",
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=clock.now, editable=False)
    gaps = models.JSONField(
        default=list, blank=True, help_text="The plan's gaps on the day it was drawn"
    )
    cells = models.JSONField(
        default=list,
        blank=True,
        help_text="The coverage matrix at the draw (assessor × unit × method, sampled/required)",
    )

    class Meta:
        ordering = ["centre", "-drawn_at", "-pk"]
        indexes = [models.Index(fields=["centre", "-drawn_at", "-id"], name="iqa_draw_page")]

    def __str__(self) -> str:
        return f"IQA sample {self.pk} {self.qualification_code} {self.period_start}"


class SamplePick(models.Model):
    """One sampled unit of one registration, why it was picked, and who verifies it by when
    (``verifier`` empty: no verifier at the centre may take it; ``refusals`` says why)."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.PROTECT, related_name="picks")
    position = models.PositiveIntegerField(help_text="Drawing order")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="iqa_picks"
    )
    unit_number = models.CharField(max_length=16)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=[(s.value, s.value) for s in Stage])
    dimension = models.CharField(max_length=16, choices=[(d.value, d.value) for d in Dimension])
    reasons = models.JSONField(default=list)
    methods = models.JSONField(default=list)
    site = models.CharField(max_length=200, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    refusals = models.JSONField(default=list)
    due_on = models.DateField()

    class Meta:
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "registration", "unit_number"], name="iqa_pick_unique"
            )
        ]
        indexes = [
            models.Index(fields=["verifier", "due_on", "id"], name="iqa_pick_queue"),
            models.Index(fields=["registration", "unit_number"], name="iqa_pick_unit"),
        ]

    def __str__(self) -> str:
        return f"pick {self.pk}: unit {self.unit_number} of {self.registration_id}"


class Verification(models.Model):
    """An internal verifier's verdict on a pick; ``decision`` is its chained record."""

    pick = models.ForeignKey(SamplePick, on_delete=models.PROTECT, related_name="verifications")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=[(o.value, o.value) for o in Outcome])
    feedback = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["pick", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome} on pick {self.pick_id}"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "Standardisation meeting"
    EVIDENCE = "evidence_comparison", "Evidence compared across assessors"
    OTHER = "other", "Other activity"


class StandardisationActivity(models.Model):
    """A standardisation activity held on ``held_on`` (append-only): what was compared, the
    decisions taken and who attended (the centre's assessors and IVs). Empty
    ``qualification_code``: every qualification of the centre."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    qualification_code = models.CharField(max_length=64, blank=True)
    held_on = models.DateField()
    kind = models.CharField(max_length=24, choices=ActivityKind.choices)
    summary = models.TextField()
    decisions = models.TextField(blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["centre", "-held_on", "-pk"]
        indexes = [models.Index(fields=["centre", "-held_on", "-id"], name="iqa_std_page")]

    def __str__(self) -> str:
        return f"standardisation {self.kind} {self.held_on} @ {self.centre_id}"


class StandardisationAction(models.Model):
    """An action agreed at an activity, owned by one of the centre's staff; marked done once."""

    activity = models.ForeignKey(
        StandardisationActivity, on_delete=models.PROTECT, related_name="actions"
    )
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["activity", "due_on", "pk"]

    def __str__(self) -> str:
        return f"standardisation action {self.pk} due {self.due_on}"
