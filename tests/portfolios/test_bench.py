"""``assay bench portfolio`` runs on a tiny size, leaves nothing behind, and every real page
(web and API, as assessor and candidate) takes the same number of queries at both sizes (no
timed assertions)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assay.bench.portfolio import portfolio_bench
from assay.cli.main import main
from assay.portfolios.models import EvidenceItem
from assay.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_query_count_does_not_grow_with_the_portfolio(catalogue: None) -> None:
    result = portfolio_bench(items=4, factor=3, repeat=1)
    assert result.units >= 17 and result.targets > 100
    assert result.items == (4, 12)
    assert result.mappings[1] == 3 * result.mappings[0]
    names = [p.name for p in result.pages]
    assert len(names) == 6 and any("candidate" in n for n in names)
    assert {n.split(" (")[0].split(" ")[1] for n in names} == {"portfolio", "unit"}
    for page in result.pages:
        assert page.small.queries == page.large.queries, page.name
        assert page.small.size > 0 and page.large.size > 0
    assert not EvidenceItem.objects.exists() and not Registration.objects.exists()


def test_bench_command_prints_both_sizes_and_the_ratio(catalogue: None) -> None:
    out = CliRunner().invoke(
        main, ["bench", "portfolio", "--items", "3", "--factor", "2", "--repeat", "1"]
    )
    assert out.exit_code == 0, out.output
    assert "3 items" in out.output and "6 items" in out.output
    assert "web portfolio (candidate)" in out.output and "api portfolio (assessor)" in out.output
    assert "worst ratio" in out.output and "queries equal" in out.output
