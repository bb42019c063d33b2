"""``assay bench audits --http`` at a small size: the whole audit over the JSON API only, against
gunicorn on loopback in a data folder of its own — every step runs, the decision is the
engine's on the scores sent, the certificate is issued and the report files come back."""

from __future__ import annotations

import pytest

from assay.bench.audits_http import PLAN_STEP, http_bench, http_report_lines

STEPS = [
    "sign in (5 tokens)",
    "import standard",
    "body and roles",
    "organisation (3 offices, one CSV import)",
    "audit and auditor",
    "self-assessment",
    "sample",
    "scores (3 batches x 12)",
    "close fieldwork",
    "decision",
    "certificate",
    "report PDF",
    "report XLSX",
]


@pytest.mark.standalone
def test_the_whole_audit_runs_over_the_api_only() -> None:
    out = http_bench(12, (2, 1), seed=1)
    assert [name for name, _ in out.steps] == STEPS
    assert out.sites == 3 and out.requests >= 25
    assert out.certifiable is True and out.engine_certifiable is True
    assert out.certificate.startswith("ICSS-2013-")
    assert out.pdf_bytes > 10_000 and out.xlsx_bytes > 5_000
    lines = http_report_lines(out)
    assert lines[0].startswith("audits (JSON API over HTTP, gunicorn on loopback): 12 attributes")
    assert f"  {PLAN_STEP}" in lines
    assert any("agrees" in line and out.certificate in line for line in lines)
