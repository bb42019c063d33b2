"""The XLSX workbook read back with openpyxl: its sheets, one Scores row per attribute × site
with the input's values, and text that can never run as a formula."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assay.audits.reports.xlsx import SCORES_HEADER, SHEETS, render_xlsx
from tests.audits_reports.world import SCORES, SITES, STANDARD, report


def _book(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_the_workbook_has_the_five_sheets_in_order() -> None:
    assert _book(render_xlsx(report())).sheetnames == list(SHEETS)


def test_scores_has_one_row_per_attribute_and_site_equal_to_the_input() -> None:
    sheet = _book(render_xlsx(report()))["Scores"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SCORES_HEADER
    assert len(rows) - 1 == len(STANDARD.attributes) * len(SITES)
    got = {(r[0], r[4]): r[7] for r in rows[1:]}
    want = {(a.code, s.id): SCORES[s.id].get(a.code) for a in STANDARD.attributes for s in SITES}
    assert got == want
    by_key = {(r[0], r[4]): r for r in rows[1:]}
    assert by_key[("S1.2", "perth")][3:] == (
        "mandatory",
        "perth",
        "Perth main office",
        "WA",
        2,
        "Intention",
    )
    assert by_key[("L1.1", "fremantle")][7:] == (None, None)  # unscored: empty cells
    assert by_key[("L1.2", "sydney")][2:4] == ("L", "desirable")


def test_summary_results_gaps_and_sample() -> None:
    rep = report()
    book = _book(render_xlsx(rep))
    summary = dict(book["Summary"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert summary["organisation"] == "Acme — Services Pty"
    assert summary["outcome"] == "Not certifiable"
    assert summary["auditors"] == "Zoë Ñandú, Ann O’Neil"
    reasons = [v for k, v in book["Summary"].iter_rows(values_only=True) if k == "reason"]
    assert reasons == [r.text for r in rep.decision.reasons]
    results = list(book["Results"].iter_rows(min_row=2, values_only=True))
    assert len(results) == (len(STANDARD.nodes) + 1) * (len(SITES) + 1)
    across = {r[0]: r for r in results if r[3] == "(across sites)"}
    assert across["S1"][5] == round(rep.results.node("S1").mean, 2)
    gaps = list(book["Gaps"].iter_rows(min_row=2, values_only=True))
    assert [g[0] for g in gaps] == [g.attribute for g in rep.gaps]
    sample = list(book["Sample"].iter_rows(min_row=2, values_only=True))
    assert [s[0] for s in sample] == ["sydney", "perth", "fremantle"]
    assert sample[1][4] == "main office of WA"


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = render_xlsx(report(organisation='=HYPERLINK("http://x","y")'))
    cell = _book(data)["Summary"]["B2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_every_sheet_is_ready_to_filter_and_dates_are_dates() -> None:
    rep = report()
    book = _book(render_xlsx(rep))
    for name in SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:"), name
        assert all(cell.font.b for cell in sheet[1]), name
    summary = dict(book["Summary"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert summary["generated on"].date() == rep.generated_on  # a real date, not text
