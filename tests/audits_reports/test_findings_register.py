"""The report gains the findings register (PDF, XLSX, JSON) and the decision maker's rationale
and conditions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assay.audits.findings import (
    FindingInput,
    corrective_action_respond,
    corrective_action_review,
    finding_raise,
)
from assay.audits.reports.build import report_for
from assay.audits.reports.pdf import render_pdf
from assay.audits.reports.report_json import report_json
from assay.audits.reports.xlsx import render_xlsx
from assay.audits.selectors import action_get
from tests.audits.world import (
    AuditWorld,
    close_and_decide,
    sampled_offices,
    score_all,
    to_fieldwork,
)

pytestmark = pytest.mark.django_db


def test_findings_register_and_rationale_in_every_format(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    score_all(aw, 7)
    office = sampled_offices(audit)[0]
    finding_raise(
        by=aw["auditor"],
        audit=audit,
        data=FindingInput(
            office,
            "S1.2",
            "minor",
            "Queue times not kept",
            "No records",
            due_on=dt.date(2013, 4, 1),
        ),
    )
    finding_raise(
        by=aw["auditor"],
        audit=audit,
        data=FindingInput(office, "S1.1", "opportunity", "Online booking", "Asked"),
    )
    action = action_get(aw["contact"], audit.pk, 1)
    corrective_action_respond(by=aw["contact"], action=action, owner="K. Lee", response="Timer")
    corrective_action_review(by=aw["auditor"], action=action, accept=True, note="")
    close_and_decide(aw["decision_maker"], audit, rationale="All seen", conditions="Keep records")
    report = report_for(aw["contact"], audit.pk)
    data = report_json(report)
    assert [(f["ref"], f["grade"], f["action"], f["owner"]) for f in data["findings"]] == [
        ("F1", "Minor nonconformity", "accepted", "K. Lee"),
        ("F2", "Opportunity for improvement", None, ""),
    ]
    assert (data["decision"]["rationale"], data["decision"]["conditions"]) == (
        "All seen",
        "Keep records",
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(render_pdf(report, font_dir=None))).pages
    )
    assert "Findings register" in text and "Queue times not kept" in text
    assert "accepted, due 01/04/2013; K. Lee" in text and "All seen" in text
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    rows = list(book["Findings"].iter_rows(values_only=True))
    assert rows[1][:3] == ("F1", "Minor nonconformity", "S1.2") and rows[1][6] == "accepted"
    assert ("rationale", "All seen") in list(book["Summary"].iter_rows(values_only=True))
