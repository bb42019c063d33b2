"""What the audit API and ``assay audits … --json`` answer, as typed models built once here.

Each answer is a frozen pydantic model: the API uses it as its response schema (so the OpenAPI
document describes every field) and the CLI prints ``model_dump(mode="json")`` of the same
object, so a field is described once. Field names and values are the JSON the endpoints have
always given: dates as ISO dates, moments as the stored ``isoformat()`` text (microseconds and
"+00:00" kept, as before). A re-checked sample or decision is its own answer
(``CheckedSampleOut``, ``CheckedDecisionOut``) with the ``verify`` field the plain one lacks.

Class names start with the thing they describe so they never clash with another domain's schema
in the OpenAPI document (issue 10).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from assay.audits.models import (
    Audit,
    AuditDecision,
    FieldworkReport,
    Finding,
    SampleDraw,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.audits.results_table import NodeMark
from assay.engines.audit.model import Band
from assay.engines.audit.sampling import SamplingRule


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- results and decision ----------------------------------------------------------------------


class AuditReasonOut(Answer):
    code: str
    text: str
    attribute: str | None
    site: str | None


class DecisionCheckOut(Answer):
    """``verify=true``: the decision recomputed from stored scores, the record chain checked."""

    agrees: bool
    scores_changed: bool
    recomputed_certifiable: bool
    message: str
    problems: list[str]


class AuditDecisionOut(Answer):
    """A recorded decision: its reasons as stored, the sites and who decided when."""

    id: int
    certifiable: bool
    reasons: list[AuditReasonOut]
    desirable: list[tuple[str, str]]
    sites: list[str]
    decided_by: str
    decided_on: dt.date
    decided_at: str
    rationale: str
    conditions: str


class FieldworkReportOut(Answer):
    """Fieldwork closed by the lead auditor: the report's summary, who and when."""

    audit: int
    summary: str
    submitted_by: str
    submitted_on: dt.date


def fieldwork_report_answer(report: FieldworkReport) -> FieldworkReportOut:
    return FieldworkReportOut(
        audit=report.audit_id,
        summary=report.summary,
        submitted_by=report.submitted_by.get_username(),
        submitted_on=report.submitted_on,
    )


class CheckedDecisionOut(AuditDecisionOut):
    """A recorded decision with its re-check (``verify=true``)."""

    verify: DecisionCheckOut


class ResultsStandardOut(Answer):
    code: str
    version: int
    title: str
    illustrative: bool


class AttributeResultOut(Answer):
    code: str
    mandatory: bool
    by_site: dict[str, int | None]
    weakest: int | None
    weakest_site: str | None
    mean: float | None
    decision_band: str | None
    expected: int | None


class OverallResultOut(Answer):
    site: str | None
    mean: float | None
    band: str | None
    scored: int
    total: int


class NodeResultOut(Answer):
    code: str
    site: str | None
    mean: float | None
    band: str | None
    scored: int
    total: int


class GapOut(Answer):
    attribute: str
    expected: int | None
    actual: float | None
    gap: float | None


class PerspectiveOut(Answer):
    code: str
    expected: float | None
    actual: float | None


class ChangeOut(Answer):
    attribute: str
    before: float | None
    after: float | None


class ResultsOut(Answer):
    """The results table with gaps, the perspectives' profile, the latest decision and the
    year-on-year change (``audit``: the audit's id)."""

    audit: int
    organisation: str
    scope: str
    standard: ResultsStandardOut
    status: str
    sites: list[str]
    attributes: list[AttributeResultOut]
    nodes: list[NodeResultOut]
    overall: list[OverallResultOut]
    gaps: list[GapOut]
    profile: list[PerspectiveOut]
    decision: AuditDecisionOut | None
    change: list[ChangeOut]


def band_key(band: Band | None) -> str | None:
    return band.key if band is not None else None


def node_result(code: str, m: NodeMark) -> NodeResultOut:
    return NodeResultOut(
        code=code, site=m.site, mean=m.value, band=band_key(m.band), scored=m.scored, total=m.total
    )


def overall_result(m: NodeMark) -> OverallResultOut:
    return OverallResultOut(
        site=m.site, mean=m.value, band=band_key(m.band), scored=m.scored, total=m.total
    )


def decision_answer(decision: AuditDecision) -> AuditDecisionOut:
    return AuditDecisionOut(
        id=decision.pk,
        certifiable=decision.certifiable,
        reasons=[AuditReasonOut(**reason) for reason in decision.reasons],
        desirable=[(str(code), str(band)) for code, band in decision.desirable],
        sites=list(decision.sites),
        decided_by=decision.decided_by.get_username(),
        decided_on=decision.decided_on,
        decided_at=decision.decided_at.isoformat(),
        rationale=decision.rationale,
        conditions=decision.conditions,
    )


# --- sample ------------------------------------------------------------------------------------


class SamplePerStateOut(Answer):
    state: str
    others: int
    sampled: int


class SamplePickOut(Answer):
    office: int
    name: str
    state: str
    how: str
    reason: str


class SampleCheckOut(Answer):
    """``verify=true``: the draw re-done from the stored seed, the record chain checked."""

    same: bool
    message: str
    problems: list[str]


class SamplingRuleOut(Answer):
    """The rule a sample was drawn with (or a body's current rule): its name and source."""

    key: str
    version: int
    random_percent: int
    policy_version: int
    name: str
    source: str
    summary: str


def sampling_rule_answer(rule: SamplingRule, policy_version: int) -> SamplingRuleOut:
    return SamplingRuleOut(
        key=rule.key,
        version=rule.version,
        random_percent=rule.random_percent,
        policy_version=policy_version,
        name=rule.name,
        source=rule.source,
        summary=rule.summary,
    )


class SamplingPolicyVersionOut(Answer):
    version: int
    rule: str
    rule_version: int
    random_percent: int
    note: str
    adopted_by: str
    adopted_at: dt.datetime


class SamplingPolicyOut(Answer):
    """A body's current sampling rule and every version of its choice, oldest first."""

    body: int
    current: SamplingRuleOut
    history: list[SamplingPolicyVersionOut]


def draw_rule(draw: SampleDraw) -> SamplingRule:
    """The engine's rule a stored sample was drawn with."""
    return SamplingRule(draw.rule, draw.rule_version, draw.random_percent)


class SampleOut(Answer):
    seed: int
    recertification: bool
    rule: SamplingRuleOut
    drawn_on: dt.date
    drawn_by: str
    per_state: list[SamplePerStateOut]
    picks: list[SamplePickOut]


class CheckedSampleOut(SampleOut):
    """The stored sample with its re-draw (``verify=true``)."""

    verify: SampleCheckOut


def sample_answer(draw: SampleDraw) -> SampleOut:
    return SampleOut(
        seed=draw.seed,
        recertification=draw.recertification,
        rule=sampling_rule_answer(draw_rule(draw), draw.policy_version),
        drawn_on=draw.drawn_on,
        drawn_by=draw.drawn_by.get_username(),
        per_state=[SamplePerStateOut(state=st, others=x, sampled=n) for st, x, n in draw.per_state],
        picks=[
            SamplePickOut(
                office=p.office_id, name=p.office.name, state=p.state, how=p.how, reason=p.reason
            )
            for p in draw.picks.all()
        ],
    )


# --- audits ------------------------------------------------------------------------------------


class AuditNamedOut(Answer):
    id: int
    name: str


class AuditStandardRefOut(Answer):
    code: str
    version: int
    illustrative: bool


class AuditStatusOut(Answer):
    status: str
    note: str
    by: str
    at: str


class AuditOut(Answer):
    id: int
    organisation: AuditNamedOut
    division: AuditNamedOut | None
    scope: str
    standard: AuditStandardRefOut
    kind: str
    previous: int | None
    status: str
    created_on: dt.date
    history: list[AuditStatusOut]


def _history(audit: Audit) -> Any:
    """The audit's status changes with who made them: prefetched by list reads
    (``selectors.audit_list_rows``), else one query."""
    cached = getattr(audit, "_prefetched_objects_cache", {}).get("status_history")
    if cached is not None:
        return cached
    return audit.status_history.select_related("changed_by")


def audit_answer(audit: Audit) -> AuditOut:
    return AuditOut(
        id=audit.pk,
        organisation=AuditNamedOut(id=audit.organisation_id, name=audit.organisation.name),
        division=(
            AuditNamedOut(id=audit.division.pk, name=audit.division.name)
            if audit.division
            else None
        ),
        scope=audit.scope_text,
        standard=AuditStandardRefOut(
            code=audit.standard.code,
            version=audit.standard.version,
            illustrative=audit.standard.illustrative,
        ),
        kind=audit.kind,
        previous=audit.previous_id,
        status=audit.status,
        created_on=audit.created_on,
        history=[
            AuditStatusOut(
                status=h.status,
                note=h.note,
                by=h.changed_by.get_username(),
                at=h.changed_at.isoformat(),
            )
            for h in _history(audit)
        ],
    )


class AuditorsOut(Answer):
    audit: int
    auditors: list[str]


class RecordedOut(Answer):
    """How many rows a write appended."""

    recorded: int


class SelfAssessmentOut(Answer):
    attribute: str
    score: int
    note: str
    by: str
    at: str


def self_assessment_answer(row: SelfAssessment) -> SelfAssessmentOut:
    return SelfAssessmentOut(
        attribute=row.attribute,
        score=row.score,
        note=row.note,
        by=row.recorded_by.get_username(),
        at=row.recorded_at.isoformat(),
    )


class SiteScoreOut(Answer):
    office: int
    site: str
    attribute: str
    score: int
    notes: str
    by: str
    at: str


def site_score_answer(row: SiteScore) -> SiteScoreOut:
    return SiteScoreOut(
        office=row.office_id,
        site=row.office.name,
        attribute=row.attribute,
        score=row.score,
        notes=row.notes,
        by=row.recorded_by.get_username(),
        at=row.recorded_at.isoformat(),
    )


class SiteEvidenceOut(Answer):
    id: int
    sha256: str
    size: int
    media_type: str


def site_evidence_answer(row: SiteEvidenceFile) -> SiteEvidenceOut:
    return SiteEvidenceOut(id=row.pk, sha256=row.sha256, size=row.size, media_type=row.media_type)


# --- findings and corrective actions -------------------------------------------------------


class ActionEventOut(Answer):
    act: str
    state: str
    text: str
    by: str
    at: dt.datetime


class CorrectiveActionOut(Answer):
    state: str
    due_on: dt.date
    owner: str
    response: str
    auditor_note: str
    history: list[ActionEventOut]


class FindingOut(Answer):
    """A finding with its corrective action (nonconformities only) and that action's history."""

    ref: str
    number: int
    office: int
    office_name: str
    attribute: str
    grade: str
    grade_label: str
    summary: str
    evidence: str
    note: str
    raised_by: str
    raised_on: dt.date
    action: CorrectiveActionOut | None


def finding_answer(f: Finding) -> FindingOut:
    action = getattr(f, "corrective_action", None)
    return FindingOut(
        ref=f.ref,
        number=f.number,
        office=f.office_id,
        office_name=f.office.name,
        attribute=f.attribute,
        grade=f.grade,
        grade_label=f.get_grade_display(),
        summary=f.summary,
        evidence=f.evidence,
        note=f.note,
        raised_by=f.raised_by.get_username(),
        raised_on=f.raised_on,
        action=None
        if action is None
        else CorrectiveActionOut(
            state=action.state,
            due_on=action.due_on,
            owner=action.owner,
            response=action.response,
            auditor_note=action.auditor_note,
            history=[
                ActionEventOut(
                    act=e.act, state=e.state, text=e.text, by=e.by.get_username(), at=e.at
                )
                for e in action.events.all()
            ],
        ),
    )
