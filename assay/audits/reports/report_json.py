"""The audit report as typed JSON for the API: stable keys, ISO dates, means to 2 places.

``ReportOut`` is the API's response schema; ``report_json`` is its JSON-ready dump (the bench
and tests read it). Every key is always present (None or [] when there is nothing), so clients
can rely on the shape; lists keep the report's order (sites as sampled, gaps largest first).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from assay.audits.reports.report_data import AuditReport
from assay.audits.results_table import NodeMark, NodeRow
from assay.engines.audit.model import Band


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReportDateOut(_Out):
    label: str
    date: dt.date


class ReportBandOut(_Out):
    key: str
    label: str
    low: int
    high: int


class ReportStandardOut(_Out):
    code: str
    version: int
    title: str
    illustrative: bool
    notice: str | None
    scale: list[ReportBandOut]


class ReportReasonOut(_Out):
    code: str
    text: str
    attribute: str | None
    site: str | None


class ReportDesirableOut(_Out):
    attribute: str
    band: str


class ReportDecisionOut(_Out):
    recorded: bool
    certifiable: bool
    outcome: str
    reasons: list[ReportReasonOut]
    desirable: list[ReportDesirableOut]
    rationale: str
    conditions: str


class ReportFindingOut(_Out):
    ref: str
    grade: str
    attribute: str
    site: str
    summary: str
    evidence: str
    action: str | None
    due_on: dt.date | None
    owner: str


class ReportDocumentOut(_Out):
    attribute: str
    name: str
    sha256: str
    uploaded_by: str
    uploaded_on: dt.date


class ReportSiteOut(_Out):
    id: str
    name: str
    state: str
    is_main: bool


class ReportPerStateOut(_Out):
    state: str
    other_offices: int
    sampled: int


class ReportPickOut(_Out):
    site: str
    name: str
    state: str
    how: str
    reason: str


class ReportSampleOut(_Out):
    seed: int
    recertification: bool
    rule: str
    rule_version: int
    rule_name: str
    rule_source: str
    random_percent: int
    per_state: list[ReportPerStateOut]
    picks: list[ReportPickOut]


class ReportNodeOut(_Out):
    code: str
    title: str
    level: str
    site: str | None
    mean: float | None
    band: str | None
    scored: int
    total: int


class ReportScoreOut(_Out):
    site: str
    score: int | None


class ReportAttributeOut(_Out):
    code: str
    title: str
    mandatory: bool
    scores: list[ReportScoreOut]
    mean: float | None
    weakest: int | None
    weakest_site: str | None
    decision_band: str | None


class ReportResultsOut(_Out):
    overall: list[ReportNodeOut]
    nodes: list[ReportNodeOut]
    attributes: list[ReportAttributeOut]


class ReportGapOut(_Out):
    attribute: str
    title: str
    expected: int | None
    actual: float | None
    gap: float | None


class ReportPerspectiveOut(_Out):
    code: str
    title: str
    expected: float | None
    actual: float | None


class ReportChangeRowOut(_Out):
    attribute: str
    before: float | None
    after: float | None


class ReportChangeOut(_Out):
    previous: str | None
    attributes: list[ReportChangeRowOut]


class ReportOut(_Out):
    """The whole audit report (what the PDF shows)."""

    organisation: str
    scope: str
    reference: str
    kind: str
    dates: list[ReportDateOut]
    standard: ReportStandardOut
    auditors: list[str]
    decision_maker: str | None
    decision: ReportDecisionOut
    sites: list[ReportSiteOut]
    sample: ReportSampleOut | None
    findings: list[ReportFindingOut]
    documents: list[ReportDocumentOut]
    results: ReportResultsOut
    gaps: list[ReportGapOut]
    perspectives: list[ReportPerspectiveOut]
    change: ReportChangeOut
    generated_on: dt.date


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _band(band: Band | None) -> str | None:
    return band.key if band else None


def _node(row: NodeRow, m: NodeMark) -> ReportNodeOut:
    return ReportNodeOut(
        code=row.code,
        title=row.title,
        level=row.level,
        site=m.site,
        mean=_num(m.value),
        band=_band(m.band),
        scored=m.scored,
        total=m.total,
    )


def _sample(report: AuditReport) -> ReportSampleOut | None:
    sample = report.sample
    if sample is None:
        return None
    return ReportSampleOut(
        seed=sample.seed,
        recertification=sample.recertification,
        rule=sample.rule.key,
        rule_version=sample.rule.version,
        rule_name=sample.rule.name,
        rule_source=sample.rule.source,
        random_percent=sample.rule.random_percent,
        per_state=[
            ReportPerStateOut(state=state, other_offices=others, sampled=n)
            for state, others, n in sample.per_state
        ],
        picks=[
            ReportPickOut(
                site=p.office_id,
                name=report.site_name(p.office_id),
                state=p.state,
                how=p.how,
                reason=p.reason,
            )
            for p in sample.picks
        ],
    )


def _results(report: AuditReport) -> ReportResultsOut:
    table = report.table
    return ReportResultsOut(
        overall=[_node(table.overall, m) for m in table.overall.cells],
        nodes=[_node(row, m) for row in table.nodes for m in row.cells],
        attributes=[
            ReportAttributeOut(
                code=a.code,
                title=a.title,
                mandatory=a.mandatory,
                scores=[ReportScoreOut(site=m.site, score=m.value) for m in a.by_site],
                mean=_num(a.mean.value),
                weakest=None if a.weakest.value is None else int(a.weakest.value),
                weakest_site=a.weakest_site,
                decision_band=_band(a.decision_band),
            )
            for a in table.attributes
        ],
    )


def report_answer(report: AuditReport) -> ReportOut:
    """The whole report, typed."""
    std = report.standard
    decision = report.decision
    return ReportOut(
        organisation=report.organisation,
        scope=report.scope,
        reference=report.reference,
        kind=report.kind,
        dates=[ReportDateOut(label=label, date=day) for label, day in report.dates],
        standard=ReportStandardOut(
            code=std.code,
            version=std.version,
            title=std.title,
            illustrative=report.illustrative,
            notice=report.notice if report.illustrative else None,
            scale=[
                ReportBandOut(key=b.key, label=b.label, low=b.low, high=b.high)
                for b in std.scale.bands
            ],
        ),
        auditors=list(report.auditors),
        decision_maker=report.decision_maker,
        decision=ReportDecisionOut(
            recorded=report.decided,
            certifiable=decision.certifiable,
            outcome=report.outcome,
            reasons=[
                ReportReasonOut(code=r.code, text=r.text, attribute=r.attribute, site=r.site)
                for r in decision.reasons
            ],
            desirable=[
                ReportDesirableOut(attribute=code, band=band) for code, band in decision.desirable
            ],
            rationale=report.rationale,
            conditions=report.conditions,
        ),
        sites=[
            ReportSiteOut(id=s.id, name=s.name, state=s.state, is_main=s.is_main)
            for s in report.sites
        ],
        sample=_sample(report),
        findings=[
            ReportFindingOut(
                ref=f.ref,
                grade=f.grade,
                attribute=f.attribute,
                site=f.site,
                summary=f.summary,
                evidence=f.evidence,
                action=f.action,
                due_on=f.due_on,
                owner=f.owner,
            )
            for f in report.findings
        ],
        documents=[
            ReportDocumentOut(
                attribute=d.attribute,
                name=d.name,
                sha256=d.sha256,
                uploaded_by=d.uploaded_by,
                uploaded_on=d.uploaded_on,
            )
            for d in report.documents
        ],
        results=_results(report),
        gaps=[
            ReportGapOut(
                attribute=g.attribute,
                title=report.title_of(g.attribute),
                expected=g.expected,
                actual=_num(g.actual),
                gap=_num(g.gap),
            )
            for g in report.gaps
        ],
        perspectives=[
            ReportPerspectiveOut(
                code=code, title=report.title_of(code), expected=_num(exp), actual=_num(act)
            )
            for code, exp, act in report.profile
        ],
        change=ReportChangeOut(
            previous=report.previous,
            attributes=[
                ReportChangeRowOut(attribute=code, before=_num(before), after=_num(after))
                for code, before, after in report.change
            ],
        ),
        generated_on=report.generated_on,
    )


def report_json(report: AuditReport) -> dict[str, Any]:
    """The whole report as plain dicts and lists (json.dumps-able)."""
    return report_answer(report).model_dump(mode="json")
