"""``assay bench scale`` on a tiny centre: every page, API list and export it times answers
200 at both sizes, the build goes through the services, and nothing is left behind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assay.bench.scale import report, scale_bench
from assay.cli.main import main
from assay.portfolios.models import EvidenceItem
from assay.records.models import ChainRecord
from assay.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_every_read_answers_at_both_sizes_and_all_is_rolled_back(catalogue: None) -> None:
    before = (Registration.objects.count(), ChainRecord.objects.count())
    lines: list[str] = []
    result = scale_bench(
        10, factor=2, evidence=1, judged=1, plan_units=2, repeat=1, say=lines.append
    )
    assert (result.small.registrations, result.large.registrations) == (10, 20)
    assert (result.small.import_rows, result.large.import_rows) == (10, 10)
    labels = [r.label for r in result.small.reads]
    assert labels == [r.label for r in result.large.reads] and len(labels) == 10
    for read in [*result.small.reads, *result.large.reads]:
        assert read.status == 200, read
        assert read.queries > 0 and read.size_kb > 0 and read.peak_mb > 0
    ratios = list(report(result))
    assert ratios[0] == "ratios 20 / 10 learners:"
    assert any(line.startswith("worst page ratio") for line in ratios)
    assert (Registration.objects.count(), ChainRecord.objects.count()) == before
    assert not EvidenceItem.objects.exists()


def test_the_command_refuses_a_size_below_ten() -> None:
    out = CliRunner().invoke(main, ["bench", "scale", "--registrations", "3"])
    assert out.exit_code == 2 and "--registrations" in out.output
