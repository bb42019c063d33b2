"""``assay bench audits`` at a small size: the steps it prints and the sample per state (no
timed assertions)."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from assay.audits.reports.pdf import render_pdf
from assay.bench.audits import _render, db_bench, engine_bench, standard_content
from assay.cli.main import main
from assay.engines.audit.sampling import sample_size
from tests.audits_reports.world import report

ENGINE_STEPS = [
    "standard",
    "organisation",
    "sample",
    "results",
    "decision",
    "gaps and change",
    "report PDF",
    "report XLSX",
    "report JSON",
]


def test_the_standard_has_4_perspectives_of_3_elements_and_mixed_attributes() -> None:
    content = standard_content(40)
    assert [n["code"] for n in content["nodes"]] == ["S", "F", "O", "L"]
    elements = [e for p in content["nodes"] for e in p["nodes"]]
    attrs = [a for e in elements for a in e["attributes"]]
    assert len(elements) == 12 and len(attrs) == 40
    assert {a["category"] for a in attrs} == {"mandatory", "desirable"}
    with pytest.raises(ValueError, match="at least 12"):
        standard_content(11)


def test_engine_bench_samples_every_state_and_times_every_step() -> None:
    out = engine_bench(attributes=12, counts=(10, 5, 1), seed=3)
    assert [name for name, _ in out.steps] == ENGINE_STEPS
    assert [(s, n) for s, _o, n, _r in out.per_state] == [
        ("NSW", sample_size(9, False)),
        ("QLD", 0),
        ("VIC", sample_size(4, False)),
    ]
    assert out.sites == 3 + 3 + 2
    assert out.offices == 16 and out.score_rows == 12 * out.sites and out.pdf_pages >= 2


def test_the_command_prints_the_sample_per_state_and_each_step() -> None:
    result = CliRunner().invoke(
        main, ["bench", "audits", "--attributes", "12", "--offices", "10,5,1"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "12 attributes (8 mandatory), 16 offices in 3 states, 8 sites sampled" in out
    assert re.search(r"NSW\s+10 offices: 1 \+ 3 \(1 random\)", out)
    assert re.search(r"QLD\s+1 offices: 1 \+ 0 \(0 random\)", out)
    for step in [*ENGINE_STEPS, "total"]:
        assert re.search(rf"^    {re.escape(step)}\s+\d+\.\d ms$", out, re.M), step
    assert "outcome:" in out and "96 score rows" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offices", "3,x"], "office counts"),
        (["--offices", "1,0"], "at least one office"),
        (["--attributes", "5"], "5"),
    ],
)
def test_bad_sizes_are_refused(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["bench", "audits", *args])
    assert result.exit_code == 2 and message in result.output


@pytest.mark.django_db
def test_db_bench_goes_through_the_services(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ASSAY_TODAY = "2013-03-01"
    settings.MEDIA_ROOT = tmp_path / "media"
    out = db_bench(attributes=12, counts=(4, 2), seed=5, workdir=str(tmp_path))
    assert [name for name, _ in out.steps] == [
        "import standard",
        "organisation (6 offices)",
        "audit and self-assessment",
        "sample",
        "scores (5 sites x 12)",
        "decision",
        "records verify (audit chain)",
        "report (from stored data)",
        *ENGINE_STEPS[-3:],
    ]
    assert [(s, o, n) for s, o, n, _r in out.per_state] == [("NSW", 4, 2), ("VIC", 2, 1)]
    assert out.score_rows == 12 * 5 and out.pdf_pages >= 2


@pytest.mark.standalone
def test_db_mode_runs_in_a_throwaway_data_folder_and_prints_both_runs() -> None:
    result = CliRunner().invoke(
        main, ["bench", "audits", "--attributes", "12", "--offices", "2,1", "--db"]
    )
    assert result.exit_code == 0, result.output
    assert "audits (engine and renderers)" in result.output
    assert "audits (database services)" in result.output
    assert re.search(r"^    migrate \(empty database\)\s+\d+\.\d ms$", result.output, re.M)
    assert re.search(r"^    report \(from stored data\)\s+\d+\.\d ms$", result.output, re.M)
    assert result.output.count("NSW     2 offices: 1 + 1 (1 random)") == 2


def test_the_page_count_agrees_with_a_pdf_reader() -> None:
    out = engine_bench(attributes=12, counts=(2,), seed=1)
    rep = report()
    _render(out, rep)
    assert out.pdf_pages == len(PdfReader(io.BytesIO(render_pdf(rep))).pages) >= 2
