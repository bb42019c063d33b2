"""Reads for one audit's pages: the overview with the acts open to the user, the sample, the
decision and the certificate; each carries the API's answer and adds only what the page alone
shows (people named in full, the acts, forms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from assay.audits import permissions as perm
from assay.audits.answers import (
    AuditDecisionOut,
    FieldworkReportOut,
    SampleOut,
    SamplingRuleOut,
    decision_answer,
    fieldwork_report_answer,
    sample_answer,
    sampling_rule_answer,
)
from assay.audits.inputs import finding_facts, latest_scores, sampled_sites, sampling_rule_of
from assay.audits.models import (
    Audit,
    AuditStatus,
    AuditStatusChange,
    BodyMembership,
    BodyRole,
    Certificate,
    FieldworkReport,
    SampleDraw,
    SamplePick,
)
from assay.audits.reference_answers import CertificateOut, certificate_answer
from assay.audits.selectors import audit_get, certificate_get, latest_decision
from assay.audits.standards import standard_of
from assay.engines.audit.decision import Decision, decide
from assay.errors import NotAllowed
from assay.users import AnyUser, User

# --- one audit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditOverview:
    """One audit's page: its sample, decision and certificate as the API answers them; the
    audit itself, its history and the auditors stay rows because the page names people and
    statuses in words (the answers carry usernames and codes)."""

    audit: Audit
    history: list[AuditStatusChange]
    auditors: list[User]
    body_auditors: list[User]  # who an administrator may assign
    sample: SampleOut | None
    decision: AuditDecisionOut | None
    certificate: CertificateOut | None
    acts: frozenset[str]
    report: FieldworkReportOut | None = None


def _acts(
    user: AnyUser, audit: Audit, sampled: bool, certified: bool, reported: bool
) -> frozenset[str]:
    admin = perm.can_administer(user, audit.body_id)
    auditor = perm.is_assigned_auditor(user, audit)
    decider = perm.has_body_role(user, audit.body_id, BodyRole.DECISION_MAKER)
    status = audit.status
    acts = set()
    if admin and status == AuditStatus.PLANNED:
        acts.add("open_self_assessment")
    if (admin or auditor) and status == AuditStatus.SELF_ASSESSMENT and sampled:
        acts.add("open_fieldwork")
    if admin and status != AuditStatus.DECIDED:
        acts.add("assign")
    if (
        (admin or auditor)
        and not sampled
        and status in (AuditStatus.PLANNED, AuditStatus.SELF_ASSESSMENT)
    ):
        acts.add("draw_sample")
    if perm.is_contact_of(user, audit.organisation_id) and status == AuditStatus.SELF_ASSESSMENT:
        acts.add("self_assess")
    if auditor and status == AuditStatus.FIELDWORK and not reported:
        acts.add("score")
        if perm.is_lead_auditor(user, audit):
            acts.add("close_fieldwork")
    if (admin or decider) and status in (AuditStatus.FIELDWORK, AuditStatus.DECIDED):
        acts.add("decision")
    if (admin or decider) and status == AuditStatus.DECIDED and not certified:
        acts.add("certify")
    if admin and status == AuditStatus.DECIDED and not audit.next_audits.exists():
        acts.add("recertify")
    return frozenset(acts)


def audit_overview(user: AnyUser, pk: int) -> AuditOverview:
    """One audit: status history, auditors, sample, decision, certificate, and the acts open to
    this user now."""
    audit = audit_get(user, pk)
    sample = _draw_of(audit)
    certificate = Certificate.objects.filter(audit=audit).select_related("organisation").first()
    decision = latest_decision(audit)
    report = FieldworkReport.objects.filter(audit=audit).select_related("submitted_by").first()
    admin = perm.can_administer(user, audit.body_id)
    body_auditors = (
        [
            m.user
            for m in BodyMembership.objects.filter(
                body_id=audit.body_id, role=BodyRole.AUDITOR, active=True
            ).select_related("user")
        ]
        if admin
        else []
    )
    return AuditOverview(
        audit=audit,
        history=list(audit.status_history.select_related("changed_by")),
        auditors=[a.auditor for a in audit.assignments.select_related("auditor")],
        body_auditors=body_auditors,
        sample=sample_answer(sample) if sample else None,
        decision=decision_answer(decision) if decision else None,
        certificate=certificate_answer(certificate) if certificate else None,
        acts=_acts(user, audit, sample is not None, certificate is not None, report is not None),
        report=fieldwork_report_answer(report) if report else None,
    )


def assignable_auditors(user: AnyUser, pk: int) -> tuple[Audit, list[User]]:
    """The audit and the body's auditors an administrator may assign to it (others:
    NotAllowed, so a refused role never learns who the body's auditors are)."""
    audit = audit_get(user, pk)
    if not perm.can_administer(user, audit.body_id):
        raise NotAllowed("only the certifying body's administrators assign auditors")
    members = BodyMembership.objects.filter(
        body_id=audit.body_id, role=BodyRole.AUDITOR, active=True
    ).select_related("user")
    return audit, [m.user for m in members]


@dataclass(frozen=True)
class SamplePage:
    """The stored draw as the API answers it; the page alone names who drew it (the answer
    gives the username) and offers the draw when the user may make it."""

    audit: Audit
    sample: SampleOut | None
    drawn_by: User | None  # named in full on the page
    may_draw: bool
    rule: SamplingRuleOut | None = None  # before the draw: the body's rule it will use


def _draw_of(audit: Audit) -> SampleDraw | None:
    """The audit's draw with its drawer and every pick with its office (two queries)."""
    picks = Prefetch("picks", queryset=SamplePick.objects.select_related("office"))
    return (
        SampleDraw.objects.filter(audit=audit)
        .select_related("drawn_by")
        .prefetch_related(picks)
        .first()
    )


def sample_page(user: AnyUser, pk: int) -> SamplePage:
    """The stored draw with every pick and its reason (seed, per-state counts)."""
    audit = audit_get(user, pk)
    draw = _draw_of(audit)
    may_draw = draw is None and (
        perm.can_administer(user, audit.body_id) or perm.is_assigned_auditor(user, audit)
    )
    rule = None
    if draw is None:
        current, version = sampling_rule_of(audit.body_id)
        rule = sampling_rule_answer(current, version)
    return SamplePage(
        audit,
        sample_answer(draw) if draw else None,
        draw.drawn_by if draw else None,
        may_draw,
        rule,
    )


# --- decision and certificate ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPreview:
    """The engine's answer on the latest scores before a decision maker confirms it, the
    recorded decision once there is one (as the API answers it), and why this user may not
    record it (None: may). The page alone names the decider and shows the local time of the
    record (the answer carries the username and the stored moment as text)."""

    audit: Audit
    preview: Decision | None
    recorded: AuditDecisionOut | None
    refusal: str | None
    decided_by: User | None = None  # named in full on the page
    decided_at: dt.datetime | None = None


def decision_preview(user: AnyUser, pk: int) -> DecisionPreview:
    """For the body's administrators and decision makers (others: NotAllowed)."""
    audit = audit_get(user, pk)
    decider = perm.has_body_role(user, audit.body_id, BodyRole.DECISION_MAKER)
    if not (decider or perm.can_administer(user, audit.body_id)):
        raise NotAllowed("only the certifying body's decision makers and administrators see this")
    recorded = latest_decision(audit)
    refusal = None
    if not decider:
        refusal = "Only a decision maker of the certifying body records the decision."
    elif perm.has_scored(user, audit):
        refusal = (
            "You scored sites in this audit; the decision must be recorded by a decision maker "
            "who did not assess it."
        )
    elif audit.status != AuditStatus.FIELDWORK:
        refusal = f"The audit is not open for a decision (status: {audit.get_status_display()})."
    elif not FieldworkReport.objects.filter(audit=audit).exists():
        refusal = "Fieldwork is not closed: the lead auditor submits the report first."
    preview = None
    if recorded is None and audit.status == AuditStatus.FIELDWORK:
        preview = decide(
            standard_of(audit.standard),
            latest_scores(audit),
            sampled_sites(audit),
            findings=finding_facts(audit),
        )
    if recorded is None:
        return DecisionPreview(audit, preview, None, refusal)
    return DecisionPreview(
        audit,
        preview,
        decision_answer(recorded),
        refusal,
        decided_by=recorded.decided_by,
        decided_at=recorded.decided_at,
    )


@dataclass(frozen=True)
class CertificatePage:
    """The certificate as the API answers it, and whether this user may withdraw it."""

    certificate: CertificateOut
    may_withdraw: bool
    ics_membership: str = ""


def certificate_page(user: AnyUser, number: str) -> CertificatePage:
    certificate = certificate_get(user, number)
    return CertificatePage(
        certificate=certificate_answer(certificate),
        may_withdraw=(
            certificate.withdrawn_on is None
            and perm.can_administer(user, certificate.audit.body_id)
        ),
        ics_membership=certificate.organisation.ics_membership,
    )
