"""The PDF report read back with pypdf: the decision and every reason, the sample, the site
names and the illustrative notice on every page; names in any script never crash it."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from assay.audits.reports import pdf as pdf_module
from assay.audits.reports.pdf import latin1, render_pdf
from tests.audits_reports.world import NOTICE, PASSING, report


def _pages(data: bytes) -> list[str]:
    """Each page's text with whitespace collapsed (wrapped lines join with one space)."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def refused() -> list[str]:
    return _pages(render_pdf(report()))


def test_the_refusal_heads_the_report_and_every_reason_is_listed(refused: list[str]) -> None:
    rep = report()
    blocking = [r for r in rep.decision.reasons if r.blocking]
    assert [r.code for r in blocking] == ["mandatory_at_intention", "missing_score"]
    assert "Executive summary" in refused[0] and "Overall outcome Not certifiable" in refused[0]
    assert "Decision: Not certifiable" in refused[1]
    text = " ".join(refused)
    for reason in rep.decision.reasons:
        assert " ".join(reason.text.split()) in text, reason.text
    assert "Perth main office" in blocking[0].text


def test_the_sample_names_every_site_and_its_reason(refused: list[str]) -> None:
    text = " ".join(refused)
    for name in ("Perth main office", "Sydney main office", "Zoë Ñandú office"):
        assert name in text
    assert "main office of WA" in text and "random draw 1 of 1 in WA" in text
    assert "seed 7" in text


def test_every_page_is_numbered_and_carries_the_illustrative_notice(refused: list[str]) -> None:
    assert len(refused) >= 2
    for number, page in enumerate(refused, start=1):
        assert " ".join(NOTICE.split()) in page
        assert f"Page {number}/{len(refused)}" in page


def test_results_show_bands_and_the_weakest_site(refused: list[str]) -> None:
    text = " ".join(refused)
    assert "Results across sites" in text and "Results per site" in text
    assert "2 at Perth main office" in text  # S1.2's weakest site
    assert "Intention" in text and "Integration" in text
    assert "Largest gaps" in text and "Year on year" in text
    assert "The chart could not be drawn" not in text


def test_names_with_dashes_quotes_and_accents_render(refused: list[str]) -> None:
    text = " ".join(refused)
    assert "Acme — Services Pty" in text
    assert "Zoë Ñandú, Ann O’Neil" in text


def test_a_certifiable_standard_without_notice_says_so() -> None:
    rep = report(scores=PASSING, illustrative=False)
    pages = _pages(render_pdf(rep))
    assert rep.decision.reasons[0].code == "ok"
    assert "Overall outcome Certifiable (0 blocking reasons)" in pages[0]
    assert "Why it is not certifiable" not in pages[0]
    assert "Decision: Certifiable" in pages[1]
    assert " ".join(rep.decision.reasons[0].text.split()) in pages[1]
    assert not any("Illustrative attribute set" in p for p in pages)


def test_no_decision_recorded_shows_a_provisional_result() -> None:
    pages = _pages(render_pdf(report(decision_maker=None)))
    assert "Overall outcome Provisional result: not certifiable" in pages[0]
    assert "no decision recorded yet" in pages[0]
    assert "Decision none recorded yet: the outcome is the engine's provisional result" in pages[0]
    assert "Decision: Provisional result: not certifiable" in pages[1]


def test_year_on_year_change_is_listed() -> None:
    earlier = report(scores=PASSING).results
    pages = _pages(render_pdf(report(previous=("2012 audit", earlier))))
    text = " ".join(pages)
    assert "2012 audit against this audit" in text


def test_many_sites_spread_the_per_site_matrix_over_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "SITES_PER_PAGE", 2)
    text = " ".join(_pages(render_pdf(report())))
    assert "sites S1-S2 of 3" in text and "sites S3-S3 of 3" in text


def test_without_the_unicode_font_text_is_transliterated_to_latin1() -> None:
    data = render_pdf(
        report(organisation="Łódź — “Ünited” 東京", auditors=("Zoë Ñandú",)), font_dir=None
    )
    text = " ".join(_pages(data))
    assert 'Lódz - "Ünited" ??' in text  # ó is Latin-1, Ł and ź are not
    assert "Zoë Ñandú" in text
    assert "Decision: Not certifiable" in text


def test_latin1_maps_punctuation_and_strips_accents_latin1_lacks() -> None:
    assert latin1("A — B – C ’x’ “y” …") == "A - B - C 'x' \"y\" ..."
    assert latin1("Zoë Ñandú, Łukasz Dvořák") == "Zoë Ñandú, Lukasz Dvorák"
    assert latin1("東京") == "??"


@given(st.text())
def test_latin1_always_encodes(text: str) -> None:
    latin1(text).encode("latin-1")


def test_the_radar_chart_is_drawn_with_its_axes_and_legend(refused: list[str]) -> None:
    page = next(p for p in refused if "Management expectation and actual delivery" in p)
    chart = page.split("as means per perspective.")[1].split("Code Perspective")[0]
    for label in ("Service", "Learning and Growth", "Management expectation", "Actual"):
        assert label in chart, label
