"""A notification: one message to one person about one event (or a few acts of one request
merged), with the reason they are told. Read once; otherwise never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from assay.engines.notifications import Event
from assay.registrations.models import Registration


class Kind(models.TextChoices):
    EVIDENCE_SUBMITTED = Event.EVIDENCE_SUBMITTED.value, "Evidence submitted"
    EVIDENCE_JUDGED = Event.EVIDENCE_JUDGED.value, "Evidence judged"
    UNIT_REOPENED = Event.UNIT_REOPENED.value, "Unit reopened"
    WITNESS_CONFIRMED = Event.WITNESS_CONFIRMED.value, "Witness confirmed"
    IQA_SAMPLE_SIGNED_OFF = Event.IQA_SAMPLE_SIGNED_OFF.value, "Sampled unit signed off"
    IQA_ACTION_REQUIRED = Event.IQA_ACTION_REQUIRED.value, "IQA action required"
    APPEAL_DECIDED = Event.APPEAL_DECIDED.value, "Appeal decided"
    APPEAL_WAITING = Event.APPEAL_WAITING.value, "Appeal waiting for a decision"
    EQA_VISIT = Event.EQA_VISIT.value, "External verification visit"
    EQA_ACTION_POINT = Event.EQA_ACTION_POINT.value, "EQA action point"
    EQA_SANCTION = Event.EQA_SANCTION.value, "Sanction applied or lifted"
    CLAIM_STATUS = Event.CLAIM_STATUS.value, "Claim status changed"
    CERTIFICATE_ISSUED = Event.CERTIFICATE_ISSUED.value, "Certificate issued"
    CERTIFICATE_REVOKED = Event.CERTIFICATE_REVOKED.value, "Certificate revoked"
    AUDIT_FINDING = Event.AUDIT_FINDING.value, "Audit finding to answer"
    AUDIT_ACTION = Event.AUDIT_ACTION.value, "Corrective action moved on"
    AUDIT_REPORTED = Event.AUDIT_REPORTED.value, "Audit report submitted"
    DEADLINE_REMINDER = Event.DEADLINE_REMINDER.value, "Deadline reminder"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.CharField(max_length=300, help_text="One line: what happened")
    body = models.TextField(blank=True, help_text="The acts, one a line")
    reason = models.CharField(max_length=300, help_text="Why the recipient is told")
    link = models.CharField(max_length=300, help_text="URL path of the page to look at")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}: {self.text}"

    @property
    def lines(self) -> list[str]:
        return [line for line in self.body.splitlines() if line]


class DeadlineReminder(models.Model):
    """A deadline reminder that was sent: its key (kind, item, stage, day) is unique, so the
    nightly job never sends the same reminder twice however often it runs."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32)
    item = models.PositiveBigIntegerField()
    stage = models.CharField(max_length=16)
    due_on = models.DateField()
    sent_on = models.DateField()
    code = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)
    recipients = models.JSONField(default=list, help_text="User ids told")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "pk"]

    def __str__(self) -> str:
        return f"reminder {self.key}"
