"""Append-only rows: chained records of any subject, and the checkpoint log of chain heads."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChainRecord(models.Model):
    """One act in the hash chain named ``chain`` ("audit:3", "enrolment:12"). Append-only:
    written only by ``records.services.record_append``; every column the app reads is hashed
    (``payload`` holds the subject's ids) or checked against the hash by ``records verify``."""

    chain = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=48)
    payload = models.JSONField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.CharField(max_length=40, help_text="ISO 8601 with offset, as hashed")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="chain_record_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq} {self.kind}"


class Checkpoint(models.Model):
    """Every chain's (length, head) at one moment folded into a Merkle root; chained to the
    checkpoint before. A copy of each line also goes to the anchor log file outside the
    database, and ``assay records checkpoint --export`` hands one to a centre or an EV."""

    seq = models.PositiveIntegerField(unique=True)
    at = models.CharField(max_length=40)
    root = models.CharField(max_length=64)
    heads = models.JSONField(help_text="[[chain, length, head hash], ...] sorted by chain")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint {self.seq} {self.root[:12]}"
