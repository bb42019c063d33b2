"""Coverage from aggregated rows (``coverages_of``: GROUP BY queries) equals the item-by-item
path (``coverages_by_items``) on random portfolios in the database, and its query count does
not grow with the number of evidence items."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from assay.portfolios.coverage import (
    coverages_by_items,
    coverages_of,
    registration_coverage,
    unit_spec,
    unit_targets,
)
from assay.portfolios.models import CriterionMapping, EvidenceItem, MappingStatus
from assay.registrations.plans import PlanUnitInput, plan_set

pytestmark = pytest.mark.django_db
UNITS = ["401", "403", "405"]


def _plan(w: dict[str, Any]) -> None:
    plan_set(
        by=w["carol"],
        registration=w["reg"],
        units=[PlanUnitInput(u, assessor_id=w["alice"].pk) for u in UNITS],
    )


def _random_portfolio(w: dict[str, Any], rng: random.Random, n: int) -> None:
    reg = w["reg"]
    targets = {u: unit_targets(unit_spec(reg, u)) for u in UNITS}
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=reg,
            method="observation",
            started_on=(start := dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(4))),
            ended_on=start + dt.timedelta(days=rng.randrange(3)),
            description=f"Item {i}",
            context=rng.choice(["real_job", "realistic_environment", "simulation"]),
            simulation_exception=rng.random() < 0.3,
            created_by=w["dan"],
        )
        for i in range(n)
    )
    rows = []
    for item in items:
        for unit in rng.sample(UNITS, rng.randrange(3)):
            for target in rng.sample(targets[unit], rng.randrange(1, 4)):
                status = rng.choice(list(MappingStatus))
                rows.append(
                    CriterionMapping(
                        item=item,
                        unit_number=unit,
                        target=target,
                        status=status,
                        proposed_by=w["dan"],
                    )
                )
    CriterionMapping.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", range(6))
def test_aggregated_equals_item_by_item(world: dict[str, Any], seed: int) -> None:
    _plan(world)
    _random_portfolio(world, random.Random(seed), n=8 + 7 * seed)
    units = {world["reg"].pk: UNITS}
    assert coverages_of([world["reg"]], units) == coverages_by_items([world["reg"]], units)


def test_many_items_are_counted_with_the_earliest_named(world: dict[str, Any]) -> None:
    _plan(world)
    reg = world["reg"]
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=reg,
            method="observation",
            started_on=dt.date(2013, 1, 1),
            ended_on=dt.date(2013, 1, 1),
            description=f"Item {i}",
            context="simulation",
            created_by=world["dan"],
        )
        for i in range(12)
    )
    CriterionMapping.objects.bulk_create(
        CriterionMapping(item=i, unit_number="403", target="1.1", proposed_by=world["dan"])
        for i in items
    )
    state = registration_coverage(reg, ["403"])["403"].criteria[0]
    ids = [str(i.pk) for i in sorted(items, key=lambda i: i.pk)]
    assert state.proposed == 12 and list(state.proposed_by) == ids[:5]
    CriterionMapping.objects.update(status=MappingStatus.CONFIRMED)
    cov = registration_coverage(reg, ["403"])["403"]
    assert cov.criteria[0].evidenced == 0  # 403 accepts the real job only
    assert cov.context_problems[-1].startswith("7 more evidence items relied on for unit 403")
    assert cov == coverages_by_items([reg], {reg.pk: ["403"]})[reg.pk]["403"]


def test_queries_do_not_grow_with_the_items(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    _plan(world)
    _random_portfolio(world, random.Random(1), n=10)
    with django_assert_max_num_queries(6) as small:
        registration_coverage(world["reg"])
    _random_portfolio(world, random.Random(2), n=200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        registration_coverage(world["reg"])


@pytest.mark.parametrize("first", ["touched", "untouched"])
def test_a_unit_with_nothing_recorded_is_shared_not_leaked(
    world: dict[str, Any], first: str
) -> None:
    """``coverages_of`` computes a unit with nothing recorded once per specification and shares
    it between learners: a learner with evidence, a judgement or a span on that unit must still
    get their own coverage, whichever learner comes first."""
    from assay.portfolios.assessment import criterion_judge
    from tests.factories import register

    _plan(world)
    _random_portfolio(world, random.Random(3), n=12)
    criterion_judge(
        by=world["alice"],
        registration=world["reg"],
        unit="403",
        criterion="1.1",
        met=False,
        feedback="Show the briefing notes",
    )
    other = register(world["carol"], world["centre"], first_name="Olive", last_name="Other")
    plan_set(
        by=world["carol"],
        registration=other,
        units=[PlanUnitInput(u, assessor_id=world["alice"].pk) for u in UNITS],
    )
    regs = [world["reg"], other] if first == "touched" else [other, world["reg"]]
    units = {r.pk: UNITS for r in regs}
    found = coverages_of(regs, units)
    assert found == coverages_by_items(regs, units)
    assert found[other.pk]["401"] is not found[world["reg"].pk]["401"]
    assert found[other.pk]["405"] == coverages_of([other], {other.pk: ["405"]})[other.pk]["405"]
