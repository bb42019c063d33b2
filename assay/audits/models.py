"""Certification audits: standards, certifying bodies, organisations, audits and certificates.

History is kept, never edited: status changes, self-assessment entries, site scores and
decisions are append-only rows with who and when (the latest entry wins); a standard's content is
stored verbatim per version (ADR 0003); evidence files are content-addressed through
``assay.files.storage.store_upload``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from assay import clock
from assay.engines.text import fold

USER = settings.AUTH_USER_MODEL


class StandardVersion(models.Model):
    """One imported version of one standard file, kept verbatim as parsed JSON."""

    code = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    illustrative = models.BooleanField()
    notice = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON content")
    content = models.JSONField()
    source_name = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_version_unique")
        ]
        ordering = ["code", "version"]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class CertifyingBody(models.Model):
    name = models.CharField(max_length=200)
    reference = models.CharField(max_length=32, unique=True)
    certificate_prefix = models.CharField(
        max_length=8, default="ICSS", help_text="First part of certificate numbers"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "certifying bodies"

    def __str__(self) -> str:
        return self.name


class SamplingRuleKey(models.TextChoices):
    PER_STATE = "per-state-sqrt", "Per state: ⌈√x⌉ of each state's other offices (Assay's reading)"
    WHOLE_ORGANISATION = (
        "whole-organisation-sqrt",
        "Whole organisation: ⌈√x⌉ of all other offices (IAF MD 1)",
    )


class SamplingPolicy(models.Model):
    """A certifying body's documented sampling choice, versioned: a change is a new row with
    the next version (never edited); the newest version applies to samples drawn from then on,
    and each sample stores the rule it was drawn with. No row: Assay's default rule."""

    body = models.ForeignKey(
        CertifyingBody, on_delete=models.PROTECT, related_name="sampling_policies"
    )
    version = models.PositiveIntegerField()
    rule = models.CharField(max_length=32, choices=SamplingRuleKey.choices)
    rule_version = models.PositiveSmallIntegerField(
        default=1, help_text="The version of the rule's arithmetic in the engine"
    )
    random_percent = models.PositiveSmallIntegerField(
        help_text="Share of the sample drawn at random (25-100 %)"
    )
    note = models.TextField(help_text="Why the body chose this rule")
    adopted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="sampling_policy_version")
        ]
        ordering = ["body", "version"]

    def __str__(self) -> str:
        return f"{self.body} sampling v{self.version}: {self.rule}"


class BodyRole(models.TextChoices):
    ADMINISTRATOR = "administrator", "Certifying-body administrator"
    AUDITOR = "auditor", "Auditor"
    DECISION_MAKER = "decision_maker", "Decision maker"


class BodyMembership(models.Model):
    """A person holds a role at a certifying body (one row per role)."""

    body = models.ForeignKey(CertifyingBody, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="body_memberships")
    role = models.CharField(max_length=16, choices=BodyRole.choices)
    active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    granted_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "user", "role"], name="body_role_unique")
        ]
        ordering = ["body", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} at {self.body}"


class Organisation(models.Model):
    """A client of a certifying body."""

    body = models.ForeignKey(CertifyingBody, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)
    name_key = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The name folded (case and accents dropped) for the public register's search",
    )
    reference = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    ics_membership = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "The organisation's Institute of Customer Service organisational membership, as "
            "the certifying body noted it (docs/membership.md)"
        ),
    )
    ics_membership_noted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``name_key`` the folded name, also when only ``name`` is saved."""
        self.name_key = fold(self.name)[:200]
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "name_key" not in fields:
            kwargs["update_fields"] = [*fields, "name_key"]
        super().save(*args, **kwargs)


class Division(models.Model):
    """An autonomous division, which may be certified on its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="divisions"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="division_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offices")
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="offices"
    )
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=16, help_text="State or territory, e.g. NSW")
    is_main = models.BooleanField(
        default=False, help_text="The organisation's main office in its state"
    )
    is_division_main = models.BooleanField(
        default=False,
        help_text="Its division's main office in its state (used when a division is audited)",
    )
    complaints = models.PositiveIntegerField(default=0)
    address = models.TextField(blank=True)
    headcount = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Staff at the office (empty: unknown); sets its audit time (docs/audits.md)",
    )

    class Meta:
        ordering = ["organisation", "state", "-is_main", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="office_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class OrganisationContact(models.Model):
    """A person at the organisation: self-assessment, reads its results and certificates."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="organisation_contacts")
    active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    granted_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} contact of {self.organisation}"


class AuditKind(models.TextChoices):
    INITIAL = "initial", "Initial certification"
    RECERTIFICATION = "recertification", "Re-certification"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    FIELDWORK = "fieldwork", "Fieldwork"
    DECIDED = "decided", "Decided"


class Audit(models.Model):
    body = models.ForeignKey(CertifyingBody, on_delete=models.PROTECT, related_name="audits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="audits")
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="Empty: the whole organisation",
    )
    standard = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="audits")
    kind = models.CharField(max_length=16, choices=AuditKind.choices, default=AuditKind.INITIAL)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_audits"
    )
    status = models.CharField(
        max_length=16, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    created_on = models.DateField(help_text="The clock's today when the audit was created")

    class Meta:
        ordering = ["organisation", "created_on", "pk"]

    def __str__(self) -> str:
        return f"audit {self.pk} of {self.organisation.name}"

    @property
    def scope_text(self) -> str:
        if self.division_id is not None:
            return f"{self.organisation.name}: {self.division.name} division"  # type: ignore[union-attr]
        return f"{self.organisation.name} (whole organisation)"


class AuditStatusChange(models.Model):
    """Append-only history of an audit's status."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=16, choices=AuditStatus.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["audit", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"audit {self.audit_id} {self.status}"


class AuditorAssignment(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assignments")
    auditor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="audit_assignments")
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=clock.now, editable=False)
    lead = models.BooleanField(
        default=False,
        help_text="The lead auditor (the first assigned): closes fieldwork with the report",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "auditor"], name="assignment_unique"),
            models.UniqueConstraint(
                fields=["audit"], condition=models.Q(lead=True), name="one_lead_auditor"
            ),
        ]
        ordering = ["audit", "pk"]

    def __str__(self) -> str:
        return f"{self.auditor} on audit {self.audit_id}"


class SampleDraw(models.Model):
    """The sites drawn for an audit, with everything needed to re-draw and check it.

    ``inputs`` are the engine's offices exactly as given (ids, states, main flags, complaints,
    last scores and visits); with ``seed``, ``recertification`` and ``drawn_on`` the engine
    reproduces the same picks (``services.sample_verify``).
    """

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="sample")
    seed = models.BigIntegerField()
    recertification = models.BooleanField()
    drawn_on = models.DateField()
    inputs = models.JSONField()
    per_state = models.JSONField()
    rule = models.CharField(
        max_length=32, choices=SamplingRuleKey.choices, default=SamplingRuleKey.PER_STATE
    )
    rule_version = models.PositiveSmallIntegerField(default=1)
    random_percent = models.PositiveSmallIntegerField(default=25)
    policy_version = models.PositiveIntegerField(
        default=0, help_text="The body's sampling policy version used (0: Assay's default)"
    )
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return f"sample of audit {self.audit_id} (seed {self.seed})"


class SamplePick(models.Model):
    sample = models.ForeignKey(SampleDraw, on_delete=models.PROTECT, related_name="picks")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16)
    how = models.CharField(max_length=8)  # main | random | risk
    reason = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["sample", "position"]

    def __str__(self) -> str:
        return f"{self.office} ({self.how})"


class SelfAssessment(models.Model):
    """Management's expectation for one attribute (append-only; the latest entry wins)."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="self_assessments")
    attribute = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["audit", "attribute", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.attribute}: {self.score} (expected)"


class SiteScore(models.Model):
    """An auditor's score of one attribute at one sampled office (append-only; latest wins)."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="site_scores")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    attribute = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)
    recorded_on = models.DateField(help_text="The clock's today: the date of the visit")

    class Meta:
        ordering = ["audit", "office", "attribute", "recorded_at", "pk"]
        indexes = [models.Index(fields=["audit", "office", "attribute"])]

    def __str__(self) -> str:
        return f"{self.office} {self.attribute}: {self.score}"


class SiteEvidenceFile(models.Model):
    """A file an auditor saw at a site for one attribute: its content address. Never deleted."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="evidence_files")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    attribute = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=128)
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["audit", "office", "attribute", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReviewDocument(models.Model):
    """A document given for review before fieldwork (by the organisation's contact or an
    assigned auditor): its content address. Never deleted; which attributes it supports is
    the fold of its ``ReviewDocumentLink`` rows."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="review_documents")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=128)
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["audit", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]


class ReviewDocumentLink(models.Model):
    """One attach (or detach, with its reason) of a review document to an attribute of the
    standard (append-only: the latest row per document and attribute says whether it holds)."""

    document = models.ForeignKey(ReviewDocument, on_delete=models.PROTECT, related_name="links")
    attribute = models.CharField(max_length=64)
    attached = models.BooleanField(help_text="False: this row detaches it")
    reason = models.TextField(blank=True, help_text="Why it was detached")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["document", "at", "pk"]

    def __str__(self) -> str:
        verb = "attached to" if self.attached else "detached from"
        return f"document {self.document_id} {verb} {self.attribute}"


class FieldworkReport(models.Model):
    """Fieldwork closed by the lead auditor: the report submitted to the decision makers.
    Once it exists no score, evidence or finding is added; the decision may be recorded."""

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="fieldwork_report")
    summary = models.TextField(help_text="The lead auditor's summary of the fieldwork")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=clock.now, editable=False)
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"fieldwork report of audit {self.audit_id}"


class AuditDecision(models.Model):
    """The certification decision as the engine gave it, with the scores it was made on."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="decisions")
    certifiable = models.BooleanField()
    reasons = models.JSONField(help_text="The engine's reasons, verbatim")
    desirable = models.JSONField(help_text="(attribute, band) progress towards best practice")
    sites = models.JSONField(help_text="The required sites (office ids) the decision covered")
    scores = models.JSONField(help_text="site -> attribute -> score the decision was made on")
    findings = models.JSONField(
        default=list,
        blank=True,
        help_text="The findings (with their corrective actions' states) it was made on",
    )
    rationale = models.TextField(blank=True, help_text="The decision maker's rationale")
    conditions = models.TextField(blank=True, help_text="Any conditions of the decision")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(help_text="The decision's date on the one clock (ADR 0007)")
    decided_at = models.DateTimeField(
        default=clock.now, editable=False, help_text="When the row was written"
    )

    class Meta:
        ordering = ["audit", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"decision on audit {self.audit_id}: {self.certifiable}"


class FindingGrade(models.TextChoices):
    MAJOR = "major", "Major nonconformity"
    MINOR = "minor", "Minor nonconformity"
    OBSERVATION = "observation", "Observation"
    OPPORTUNITY = "opportunity", "Opportunity for improvement"


class Finding(models.Model):
    """An auditor's finding at one sampled office against one attribute (never edited; its
    corrective action moves on, see ``CorrectiveAction``)."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveIntegerField(help_text="F1, F2… within the audit")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    attribute = models.CharField(max_length=64)
    grade = models.CharField(max_length=16, choices=FindingGrade.choices)
    summary = models.CharField(max_length=300)
    evidence = models.TextField(help_text="What the auditor saw")
    note = models.TextField(blank=True, help_text="The auditor's note")
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=clock.now, editable=False)
    raised_on = models.DateField()

    class Meta:
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_unique")
        ]

    def __str__(self) -> str:
        return f"F{self.number} ({self.grade})"

    @property
    def ref(self) -> str:
        return f"F{self.number}"


class ActionState(models.TextChoices):
    OPEN = "open", "Open: awaiting the organisation's response"
    PROPOSED = "proposed", "Proposed: awaiting the auditor's review"
    ACCEPTED = "accepted", "Plan accepted"
    REJECTED = "rejected", "Plan rejected: awaiting a new response"
    VERIFIED = "verified", "Verified"


class CorrectiveAction(models.Model):
    """The corrective action a nonconformity needs: its current state (the latest event);
    ``CorrectiveActionEvent`` keeps every step."""

    finding = models.OneToOneField(
        Finding, on_delete=models.PROTECT, related_name="corrective_action"
    )
    state = models.CharField(max_length=16, choices=ActionState.choices, default="open")
    due_on = models.DateField()
    owner = models.CharField(max_length=200, blank=True, help_text="Who at the organisation")
    response = models.TextField(blank=True, help_text="The organisation's cause and plan")
    auditor_note = models.TextField(blank=True, help_text="The last review or verification")
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"action on {self.finding}: {self.state}"


class CorrectiveActionEvent(models.Model):
    """One step of a corrective action (append-only): raised, responded, accepted, rejected,
    verified."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.PROTECT, related_name="events")
    act = models.CharField(max_length=16)
    state = models.CharField(max_length=16, choices=ActionState.choices)
    text = models.TextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.act} → {self.state}"


class Certificate(models.Model):
    """A certificate; its status (valid/expired/withdrawn) is computed from the clock."""

    number = models.CharField(max_length=32, unique=True)
    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="certificate")
    decision = models.OneToOneField(AuditDecision, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certificates"
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    scope_text = models.CharField(max_length=300)
    states = models.JSONField(help_text="States and territories covered")
    standard_title = models.CharField(max_length=300)
    issued_on = models.DateField()
    expires_on = models.DateField(
        help_text="The first day it is no longer valid: the anniversary of issue"
    )
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=clock.now, editable=False)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def valid_through(self) -> dt.date:
        """The last day it is valid (printed as "valid through"): the day before expiry."""
        return self.expires_on - dt.timedelta(days=1)


class CertificateReminder(models.Model):
    """An expiry reminder that was sent (so each certificate is reminded once per window)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="reminders")
    sent_on = models.DateField()
    recipients = models.JSONField()
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    sent_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["certificate", "sent_at", "pk"]

    def __str__(self) -> str:
        return f"reminder for {self.certificate} on {self.sent_on}"


# The audit programme's rows live in their own module (planned dates, competence, conflicts).
from assay.audits.models_programme import AuditPlan as AuditPlan  # noqa: E402
from assay.audits.models_programme import AuditPlanVisit as AuditPlanVisit  # noqa: E402
from assay.audits.models_programme import CalendarFeedToken as CalendarFeedToken  # noqa: E402
from assay.audits.models_programme import CompetenceKind as CompetenceKind  # noqa: E402
from assay.audits.models_programme import CompetenceRecord as CompetenceRecord  # noqa: E402
from assay.audits.models_programme import ConflictDeclaration as ConflictDeclaration  # noqa: E402
