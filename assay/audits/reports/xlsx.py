"""The audit's scores as an XLSX workbook: Summary (the executive summary: organisation,
standard, sites sampled and the rule, the outcome with its blocking reasons, findings by kind,
the decision), Scores, Results, Gaps, Sample, Findings, Documents (document review).

Scores has one row per attribute × sampled site (score, band, mandatory) so a certifying body
can filter and pivot it; Results has one row per node per site and across sites. As in
every XLSX export, sheets are written by ``assay/spreadsheets.py``: text cells stay text, never a
formula (names come from users), numbers stay numbers and dates real dates, and each sheet's
header is bold, frozen and filterable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from assay.audits.reports.report_data import AuditReport
from assay.spreadsheets import add_sheet

SHEETS = ("Summary", "Scores", "Results", "Gaps", "Sample", "Findings", "Documents")
SCORES_HEADER = (
    "attribute",
    "title",
    "perspective",
    "mandatory",
    "site",
    "site name",
    "state",
    "score",
    "band",
)


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _rows(report: AuditReport) -> dict[str, list[Sequence[Any]]]:
    std = report.standard
    site = {s.id: s for s in report.sites}
    summary: list[Sequence[Any]] = [
        ("field", "value"),
        ("organisation", report.organisation),
        ("scope", report.scope),
        ("reference", report.reference),
        ("kind", report.kind),
        ("standard", f"{std.code} v{std.version}: {std.title}"),
    ]
    if report.illustrative:
        summary.append(("notice", report.notice))
    summary += [(label.lower(), day) for label, day in report.dates]
    if report.sample is not None:
        rule = report.sample.rule
        summary += [
            ("sampling rule", f"{rule.name} (version {rule.version})"),
            ("sampling rule source", rule.source),
        ]
    summary.append(("sites sampled", len(report.sites)))
    summary += [
        ("auditors", ", ".join(report.auditors)),
        ("decision maker", report.decision_maker or "(no decision recorded yet)"),
        ("outcome", report.outcome),
        ("blocking reasons", sum(1 for r in report.decision.reasons if r.blocking)),
    ]
    summary += [(f"findings: {kind.lower()}", n) for kind, n in report.finding_counts()]
    summary.append(("documents for review", len({d.sha256 for d in report.documents})))
    summary += [("reason", r.text) for r in report.decision.reasons]
    if report.rationale:
        summary.append(("rationale", report.rationale))
    if report.conditions:
        summary.append(("conditions", report.conditions))
    summary.append(("generated on", report.generated_on))

    table = report.table
    scores: list[Sequence[Any]] = [SCORES_HEADER]
    for a in table.attributes:
        for m in a.by_site:
            office = site.get(m.site)
            scores.append(
                (
                    a.code,
                    a.title,
                    a.perspective,
                    "mandatory" if a.mandatory else "desirable",
                    m.site,
                    office.name if office else m.site,
                    office.state if office else "",
                    m.value,
                    m.band.label if m.band else "",
                )
            )

    nodes: list[Sequence[Any]] = [
        ("code", "title", "level", "site", "site name", "mean", "band", "scored", "total")
    ]
    for row in (table.overall, *table.nodes):
        for cell in row.cells:
            nodes.append(
                (
                    row.code,
                    row.title,
                    row.level,
                    cell.site or "(across sites)",
                    report.site_name(cell.site) if cell.site else "",
                    _num(cell.value),
                    cell.band.label if cell.band else "",
                    cell.scored,
                    cell.total,
                )
            )

    gap_rows: list[Sequence[Any]] = [("attribute", "title", "expected", "actual", "gap")]
    gap_rows += [
        (g.attribute, report.title_of(g.attribute), g.expected, _num(g.actual), _num(g.gap))
        for g in report.gaps
    ]

    sample: list[Sequence[Any]] = [("site", "site name", "state", "how", "reason")]
    if report.sample is not None:
        sample += [
            (p.office_id, report.site_name(p.office_id), p.state, p.how, p.reason)
            for p in report.sample.picks
        ]
    else:
        sample += [(s.id, s.name, s.state, "", "") for s in report.sites]
    findings: list[Sequence[Any]] = [
        ("finding", "grade", "attribute", "site", "summary", "evidence", "action", "due", "owner")
    ]
    findings += [
        (
            f.ref,
            f.grade,
            f.attribute,
            f.site,
            f.summary,
            f.evidence,
            f.action or "",
            f.due_on,
            f.owner,
        )
        for f in report.findings
    ]
    documents: list[Sequence[Any]] = [
        ("attribute", "document", "sha256", "uploaded by", "uploaded on")
    ]
    documents += [
        (d.attribute, d.name, d.sha256, d.uploaded_by, d.uploaded_on) for d in report.documents
    ]
    return {
        "Summary": summary,
        "Scores": scores,
        "Results": nodes,
        "Gaps": gap_rows,
        "Sample": sample,
        "Findings": findings,
        "Documents": documents,
    }


def render_xlsx(report: AuditReport) -> bytes:
    """The workbook's bytes; the first row of every sheet names its columns."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in _rows(report).items():
        add_sheet(book, title, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
