"""``assay bench import`` runs on a tiny size through the real import and leaves nothing
behind unless told to keep it; ``build_and_import`` (for other benches) registers N
candidates at a centre they built, with chains that verify (no timed assertions)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from assay.bench.bulk_import import build_and_import, build_cohort, import_bench
from assay.catalogue.selectors import qualification_get
from assay.cli.main import main
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from assay.registrations.models import Candidate, PlanUnit, Registration
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_bench_imports_every_row_and_rolls_back(catalogue: None) -> None:
    before = (Registration.objects.count(), ChainRecord.objects.count())
    result = import_bench(5)
    assert result.run.rows == 5 and len(set(result.run.ids)) == 5
    assert result.run.queries > 0 and result.run.rss_peak >= result.run.rss_before > 0
    assert (Registration.objects.count(), ChainRecord.objects.count()) == before
    assert any("rows/s" in line for line in result.lines())


def test_the_bench_command_prints_rows_time_queries_and_memory(catalogue: None) -> None:
    out = CliRunner().invoke(main, ["bench", "import", "--rows", "3", "--format", "xlsx"])
    assert out.exit_code == 0, out.output
    assert "3 rows of 4430-04 (xlsx" in out.output
    for word in ("rows/s", "queries:", "peak RSS:", "ru_maxrss", "rolled back"):
        assert word in out.output
    assert not Registration.objects.exists()


def test_kept_registrations_stay_and_their_chains_verify(
    catalogue: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = import_bench(4, keep=True)
    assert result.kept and Registration.objects.filter(pk__in=result.run.ids).count() == 4
    assert records_verify().ok


def test_build_and_import_registers_n_candidates_at_the_centre(world: World) -> None:
    qual = qualification_get("4430-04")
    run = build_and_import(world.north, qual, 12, by=world["centre_admin"], fmt="xlsx")
    registrations = Registration.objects.filter(pk__in=run.ids)
    assert registrations.count() == 12 and run.rows == 12
    assert {r.centre_id for r in registrations} == {world.north.pk}
    assert Candidate.objects.filter(registrations__in=registrations).distinct().count() == 12
    again = build_and_import(world.north, qual, 3, by=world["centre_admin"])
    assert not set(again.ids) & set(run.ids)


def test_the_bench_plans_every_learner_with_one_assessor_in_turn(
    catalogue: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = import_bench(6, units=8, assessors=3, keep=True)
    assert result.plan is not None
    assert (result.plan.plans, result.plan.units, result.plan.assessors) == (6, 8, 3)
    units = PlanUnit.objects.filter(registration_id__in=result.run.ids)
    assert units.count() == 6 * 8
    per_learner = {
        pk: set(units.filter(registration_id=pk).values_list("assessor_id", flat=True))
        for pk in result.run.ids
    }
    assert all(len(a) == 1 for a in per_learner.values())
    assert len(set().union(*per_learner.values())) == 3
    assert any("plans:" in line for line in result.lines())
    assert records_verify().ok


def test_build_cohort_gives_the_scale_bench_learners_with_plans_and_assessors(
    world: World,
) -> None:
    qual = qualification_get("4430-04")
    cohort = build_cohort(world.north, qual, 5, by=world["centre_admin"], assessors=2, units=3)
    assert cohort.run.rows == 5 and len(cohort.assessors) == 2
    units = PlanUnit.objects.filter(registration_id__in=cohort.run.ids)
    assert units.count() == 15
    assert set(units.values_list("assessor_id", flat=True)) == {a.pk for a in cohort.assessors}
    assert records_verify().ok
