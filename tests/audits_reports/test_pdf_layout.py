"""The report's executive summary, its documents for review, and its layout read back with
pypdf: no number or word in a table cell is broken across lines, and no section heading is left
alone at the foot of a page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from assay.audits.reports import pdf as pdf_module
from assay.audits.reports.pdf import FONT_DIR, _Pdf, _plain, render_pdf
from assay.audits.reports.report_data import AuditReport, DocumentRow, FindingRow
from assay.audits.reports.report_json import report_json
from assay.audits.reports.xlsx import render_xlsx
from tests.audits_reports.world import PASSING, report

# Headings that may follow other content on the same page (the rest start a page).
SECTIONS = (
    "Executive summary",
    "Why it is not certifiable (the engine's reasons)",
    "Reasons",
    "The decision maker's rationale",
    "Conditions",
    "Largest gaps",
    "Desirable attributes: progress towards best practice",
    "Year on year",
)
FINDINGS = (
    FindingRow("F1", "Major nonconformity", "S1.2", "Perth main office", "Late", "Seen"),
    FindingRow("F2", "Minor nonconformity", "S1.1", "Perth main office", "Gaps", "Seen"),
    FindingRow("F3", "Observation", "S2.1", "Sydney main office", "Note", "Seen"),
    FindingRow("F4", "Minor nonconformity", "L1.1", "Sydney main office", "More", "Seen"),
)
SHA = "ab12cd34ef56" + "0" * 52
DOCUMENTS = (
    DocumentRow("S1.1", "complaints-policy.pdf", SHA, "Cora Contact", dt.date(2013, 2, 1)),
    DocumentRow("S1.2", "complaints-policy.pdf", SHA, "Cora Contact", dt.date(2013, 2, 1)),
)


def _lines(data: bytes) -> list[list[str]]:
    """Each page's text lines as pypdf extracts them (not joined)."""
    return [
        [line.strip() for line in (p.extract_text() or "").splitlines() if line.strip()]
        for p in PdfReader(io.BytesIO(data)).pages
    ]


def _rich(**changes: Any) -> AuditReport:
    return dataclasses.replace(
        report(),
        findings=FINDINGS,
        documents=DOCUMENTS,
        rationale="Reviewed.",
        conditions="Fix S1.2 within 90 days.",
        **changes,
    )


def test_the_executive_summary_says_who_what_where_and_the_outcome() -> None:
    rep = _rich()
    first = " ".join(" ".join(_lines(render_pdf(rep))[0]).split())
    assert "Executive summary" in first
    assert "Organisation Acme — Services Pty: Whole organisation (NSW, WA)" in first
    assert "Standard T-1 version 1: Test standard — illustrative" in first
    assert "Sites sampled 3, drawn under Per state: square root" in first
    assert "Overall outcome Not certifiable (2 blocking reasons)" in first
    assert (
        "Major nonconformity: 1; Minor nonconformity: 2; Observation: 1; "
        "Opportunity for improvement: 0" in first
    )
    assert "Decision Not certifiable, recorded by Dee Maker on 28/02/2013 with conditions" in first
    assert "Documents 1 given for review, supporting 2 attributes" in first
    assert "has no score at Zoë Ñandú office" in first  # a blocking reason, listed


def test_documents_are_listed_per_attribute_in_pdf_xlsx_and_json() -> None:
    rep = _rich()
    pages = [" ".join(" ".join(p).split()) for p in _lines(render_pdf(rep))]
    page = next(p for p in pages if "Documents for review" in p)
    for attribute in ("S1.1", "S1.2"):
        assert f"{attribute} complaints-policy.pdf ab12cd34ef56 Cora Contact 01/02/2013" in page
    assert SHA not in page  # shortened
    data = report_json(rep)
    assert [d["attribute"] for d in data["documents"]] == ["S1.1", "S1.2"]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(rep)))
    rows = list(book["Documents"].values)
    assert rows[1][:3] == ("S1.1", "complaints-policy.pdf", SHA)
    summary = dict(row[:2] for row in book["Summary"].values)
    assert summary["findings: minor nonconformity"] == 2
    assert summary["documents for review"] == 1 and summary["sites sampled"] == 3


def test_no_documents_no_documents_page() -> None:
    pages = [" ".join(p) for p in _lines(render_pdf(report()))]
    assert not any("Documents for review" in p for p in pages)


def _grid_text(widths: tuple[float, ...], rows: list[tuple[str, ...]]) -> str:
    pdf = _Pdf(report(), FONT_DIR)
    pdf.add_page()
    pdf.grid(tuple("abcdef"[: len(widths)]), [_plain(*row) for row in rows], widths)
    page = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]
    return " ".join((page.extract_text() or "").split())


def test_a_number_wider_than_its_cell_is_shrunk_never_broken() -> None:
    numbers = [("1234.5", "+12.34", "100/100 scored"), ("9876.5", "-0.5", "18/18 scored")]
    text = _grid_text((9, 8, 11), numbers)
    for row in numbers:
        for number in row:
            for token in number.split():
                assert re.search(rf"(^|\s){re.escape(token)}(\s|$)", text), (token, text)


def test_report_cells_keep_numbers_and_words_whole() -> None:
    """Every figure and band word the tables show appears whole in the extracted text."""
    rep = report(previous=("2012 audit", report(scores=PASSING).results))
    text = " ".join(" ".join(p) for p in _lines(render_pdf(rep)))
    tokens = {"perspective", "element", "Implementation", "Integration", "Intention"}
    tokens |= {f"{row.across.scored}/{row.across.total}" for row in rep.table.nodes}
    tokens |= {f"{g.gap:+.1f}" for g in rep.gaps if g.gap is not None}
    for token in tokens:
        assert re.search(rf"(^|\s){re.escape(token)}(\s|$)", text), token
    assert not re.search(r"\b(perspectiv|Implementati|Implementatio) ", text)


def _orphans(data: bytes) -> list[tuple[int, str]]:
    """(page, heading) for every section heading that is the last line before the footer."""
    found = []
    for number, lines in enumerate(_lines(data), start=1):
        body = [
            line
            for line in lines
            if not line.startswith("Page ") and "Illustrative attribute set" not in line
        ]
        if body and body[-1] in SECTIONS:
            found.append((number, body[-1]))
    return found


def _variants() -> list[AuditReport]:
    """Reports whose radar page grows row by row, so the later headings ("Largest gaps",
    "Desirable…", "Year on year") land at every height of the page in turn."""
    gaps = report().gaps
    return [
        _rich(gaps=gaps * (1 + n // 6), change=tuple(("S1.1", 5.0, 6.0) for _ in range(n)))
        for n in range(0, 40, 2)
    ]


def test_no_section_heading_is_left_at_the_foot_of_a_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    variants = _variants()
    assert [o for rep in variants for o in _orphans(render_pdf(rep))] == []
    # The check can fail: without the keep-with-next room, some variant leaves one.
    monkeypatch.setattr(pdf_module, "KEEP_WITH_HEADING", 0.0)
    assert any(_orphans(render_pdf(rep)) for rep in variants)


def test_a_heading_near_the_foot_starts_a_new_page() -> None:
    pdf = _Pdf(report(), FONT_DIR)
    pdf.add_page()
    pdf.set_y(pdf.page_break_trigger - 12)
    pdf.section("Largest gaps")
    pdf.para("The first line under it.")
    pages = _lines(bytes(pdf.output()))
    assert len(pages) == 2
    assert "Largest gaps" not in " ".join(pages[0]) and "Largest gaps" in pages[1]
