"""The audit report as JSON-ready data for the API: stable keys, ISO dates, means to 2 places.

Every key is always present (None or [] when there is nothing), so clients can rely on the
shape; lists keep the report's order (sites as sampled, gaps largest first).
"""

from __future__ import annotations

from typing import Any

from assay.audits.reports.report_data import AuditReport
from assay.audits.results_table import NodeMark, NodeRow
from assay.engines.audit.model import Band


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _band(band: Band | None) -> str | None:
    return band.key if band else None


def _node(row: NodeRow, m: NodeMark) -> dict[str, Any]:
    return {
        "code": row.code,
        "title": row.title,
        "level": row.level,
        "site": m.site,
        "mean": _num(m.value),
        "band": _band(m.band),
        "scored": m.scored,
        "total": m.total,
    }


def report_json(report: AuditReport) -> dict[str, Any]:
    """The whole report as plain dicts and lists (json.dumps-able)."""
    std = report.standard
    sample = report.sample
    table = report.table
    return {
        "organisation": report.organisation,
        "scope": report.scope,
        "reference": report.reference,
        "kind": report.kind,
        "dates": [{"label": label, "date": day.isoformat()} for label, day in report.dates],
        "standard": {
            "code": std.code,
            "version": std.version,
            "title": std.title,
            "illustrative": report.illustrative,
            "notice": report.notice if report.illustrative else None,
            "scale": [
                {"key": b.key, "label": b.label, "low": b.low, "high": b.high}
                for b in std.scale.bands
            ],
        },
        "auditors": list(report.auditors),
        "decision_maker": report.decision_maker,
        "decision": {
            "recorded": report.decided,
            "certifiable": report.decision.certifiable,
            "outcome": report.outcome,
            "reasons": [
                {"code": r.code, "text": r.text, "attribute": r.attribute, "site": r.site}
                for r in report.decision.reasons
            ],
            "desirable": [
                {"attribute": code, "band": band} for code, band in report.decision.desirable
            ],
        },
        "sites": [
            {"id": s.id, "name": s.name, "state": s.state, "is_main": s.is_main}
            for s in report.sites
        ],
        "sample": None
        if sample is None
        else {
            "seed": sample.seed,
            "recertification": sample.recertification,
            "per_state": [
                {"state": state, "other_offices": others, "sampled": n}
                for state, others, n in sample.per_state
            ],
            "picks": [
                {
                    "site": p.office_id,
                    "name": report.site_name(p.office_id),
                    "state": p.state,
                    "how": p.how,
                    "reason": p.reason,
                }
                for p in sample.picks
            ],
        },
        "results": {
            "overall": [_node(table.overall, m) for m in table.overall.cells],
            "nodes": [_node(row, m) for row in table.nodes for m in row.cells],
            "attributes": [
                {
                    "code": a.code,
                    "title": a.title,
                    "mandatory": a.mandatory,
                    "scores": [{"site": m.site, "score": m.value} for m in a.by_site],
                    "mean": _num(a.mean.value),
                    "weakest": a.weakest.value,
                    "weakest_site": a.weakest_site,
                    "decision_band": _band(a.decision_band),
                }
                for a in table.attributes
            ],
        },
        "gaps": [
            {
                "attribute": g.attribute,
                "title": report.title_of(g.attribute),
                "expected": g.expected,
                "actual": _num(g.actual),
                "gap": _num(g.gap),
            }
            for g in report.gaps
        ],
        "perspectives": [
            {
                "code": code,
                "title": report.title_of(code),
                "expected": _num(exp),
                "actual": _num(act),
            }
            for code, exp, act in report.profile
        ],
        "change": {
            "previous": report.previous,
            "attributes": [
                {"attribute": code, "before": _num(before), "after": _num(after)}
                for code, before, after in report.change
            ],
        },
        "generated_on": report.generated_on.isoformat(),
    }
