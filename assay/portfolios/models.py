"""Evidence items, their files and mappings, authenticity declarations, and ``Decision``: the
append-only, hash-chained record of every assessment act.

Writes go through ``services.py``. Files are never deleted (a replaced file is a new row);
decisions are never updated or deleted, and ``assay records verify`` detects any edit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assay import clock
from assay.registrations.models import Registration


class Method(models.TextChoices):
    OBSERVATION = "observation", "Observation"
    PRODUCT = "product", "Product / work evidence"
    WITNESS_TESTIMONY = "witness_testimony", "Witness testimony"
    EXPERT_WITNESS = "expert_witness", "Expert witness testimony"
    PROFESSIONAL_DISCUSSION = "professional_discussion", "Professional discussion"
    QUESTIONING_ORAL = "questioning_oral", "Questioning (oral)"
    QUESTIONING_WRITTEN = "questioning_written", "Questioning (written)"
    REFLECTIVE_ACCOUNT = "reflective_account", "Reflective account"
    RPL = "rpl", "Recognition of prior learning"


class EvidenceContext(models.TextChoices):
    REAL_JOB = "real_job", "Real job"
    REALISTIC_ENVIRONMENT = "realistic_environment", "Realistic working environment"
    SIMULATION = "simulation", "Simulation"


class EvidenceItem(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="evidence_items"
    )
    method = models.CharField(max_length=32, choices=Method.choices)
    started_on = models.DateField()
    ended_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField()
    context = models.CharField(max_length=32, choices=EvidenceContext.choices)
    simulation_exception = models.BooleanField(
        default=False, help_text="Simulation staged as the unit's stated exception (405 drills)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # Kept by ``waiting.waiting_refresh`` in the transaction of every act that changes it.
    waiting_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first file's upload while no mapping of the item is decided (else empty):"
        " the item waits in its assessors' evidence queue",
    )

    class Meta:
        ordering = ["registration", "started_on", "pk"]
        indexes = [
            # A portfolio's pages of evidence (newest or oldest first) read straight from it.
            models.Index(fields=["registration", "started_on", "id"], name="evidence_item_page"),
            # The evidence queue walks only the waiting items, oldest first.
            models.Index(
                fields=["waiting_since", "id"],
                name="evidence_item_waiting",
                condition=models.Q(waiting_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.started_on}"


class EvidenceFile(models.Model):
    """A file of an item: its content address and what was known at upload. Never deleted."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=128)
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class MappingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class CriterionMapping(models.Model):
    """Evidence claimed for a criterion ("1.1") or a range item ("6b") of one unit."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="mappings")
    unit_number = models.CharField(max_length=16)
    target = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=MappingStatus.choices, default=MappingStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=clock.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "unit_number", "target", "pk"]
        indexes = [
            # The evidence queue walks only the proposals waiting for a decision, oldest first.
            models.Index(
                fields=["proposed_at", "id"],
                name="mapping_proposed_queue",
                condition=models.Q(status="proposed"),
            ),
            # A portfolio's rejected evidence: per item of the registration, only the rejected
            # mappings (a probe of an almost empty index instead of every mapping).
            models.Index(
                fields=["item", "id"],
                name="mapping_rejected",
                condition=models.Q(status="rejected"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit_number", "target"], name="criterion_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_number} {self.target} ({self.status})"


class DecisionKind(models.TextChoices):
    CRITERION_JUDGED = "criterion_judged", "Criterion judged"
    MAPPING_CONFIRMED = "mapping_confirmed", "Mapping confirmed"
    MAPPING_REJECTED = "mapping_rejected", "Mapping rejected"
    UNIT_SIGNED_OFF = "unit_signed_off", "Unit signed off"
    UNIT_REOPENED = "unit_reopened", "Unit reopened"
    SPAN_RECORDED = "span_recorded", "Evidence period recorded"
    UNIT_VERIFIED = "unit_verified", "Unit verified (IQA)"


class Decision(models.Model):
    """One assessment act in a registration's hash chain (``engines.records``). Append-only."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="decisions"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, choices=DecisionKind.choices)
    unit_number = models.CharField(max_length=16, blank=True)
    payload = models.JSONField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.CharField(max_length=40, help_text="ISO 8601 with offset, as hashed")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["registration", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "seq"], name="decision_seq_unique")
        ]
        indexes = [
            # Pages read a few kinds (judgements, sign-offs, reopenings, periods) of a record
            # that holds one confirmation per decided mapping: an index range per kind.
            models.Index(fields=["registration", "kind", "seq"], name="decision_kind")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.unit_number}"


class AuthenticityDeclaration(models.Model):
    """The candidate's signed statement that an item is their own work. Append-only."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="declarations")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"Declaration on {self.item_id} by {self.signer_id}"


class WitnessStatement(models.Model):
    """A witness's statement on an item; the witness may have no account and confirms it through
    a single-use link (only a SHA-256 of the link's token is stored)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="witnesses")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    relationship = models.CharField(max_length=200, help_text="Relationship to the candidate")
    contact = models.CharField(max_length=200)
    statement = models.TextField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) on {self.item_id}"


class CoverageTally(models.Model):
    """How many mappings one (registration, unit, target, status, context, exception) group has
    and the latest end of their items: kept by database triggers (``tally_triggers``), read
    by coverage instead of an aggregate over every mapping. A group emptied
    keeps its row with ``n`` = 0."""

    registration = models.ForeignKey(
        Registration, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit_number = models.CharField(max_length=16)
    target = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=MappingStatus.choices)
    context = models.CharField(max_length=32, choices=EvidenceContext.choices)
    simulation_exception = models.BooleanField()
    n = models.IntegerField()
    last_end = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "registration",
                    "unit_number",
                    "target",
                    "status",
                    "context",
                    "simulation_exception",
                ],
                name="coverage_tally_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_number} {self.target} {self.status} {self.context}: {self.n}"


class CoverageExample(models.Model):
    """One of the earliest five items (by start, id) of a ``CoverageTally`` group, kept by the
    same triggers."""

    tally = models.ForeignKey(
        CoverageTally,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="examples",
    )
    started_on = models.DateField()
    item = models.ForeignKey(
        EvidenceItem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(fields=["tally", "started_on", "item"], name="coverage_example_order")
        ]

    def __str__(self) -> str:
        return f"item {self.item_id} from {self.started_on}"
