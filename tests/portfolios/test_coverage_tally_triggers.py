"""The coverage tally the database triggers keep (``tally_triggers``) equals a count of the
mappings after every kind of write: bulk inserts, single and multi-row status changes, items'
dates, context and exception changed, mappings moved, single and multi-row deletes; and the
migration's rebuild gives the same rows."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection

from assay.engines.coverage import EXAMPLES
from assay.portfolios import tally_triggers
from assay.portfolios.coverage import coverages_by_items, coverages_of
from assay.portfolios.models import (
    CoverageExample,
    CoverageTally,
    CriterionMapping,
    EvidenceItem,
    MappingStatus,
)
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.services import CandidateInput, registration_create

pytestmark = pytest.mark.django_db
UNITS = ["401", "403"]
TARGETS = ["1.1", "1.2", "2.1"]
CONTEXTS = ["real_job", "realistic_environment", "simulation"]
FEW_STATUSES = [MappingStatus.CONFIRMED] * 4 + [MappingStatus.PROPOSED]
Group = tuple[int, str, str, str, str, bool]


def _kept() -> dict[Group, tuple[int, Any, list[tuple[Any, int]]]]:
    """The tally's groups with a count: count, latest end, examples (start, item)."""
    examples: dict[int, list[tuple[Any, int]]] = defaultdict(list)
    for tally, started, item in CoverageExample.objects.values_list(
        "tally_id", "started_on", "item_id"
    ):
        examples[tally].append((started, item))
    out = {}
    for t in CoverageTally.objects.all():
        assert t.n >= 0
        if t.n == 0:
            assert not examples[t.pk], t
            continue
        key = (t.registration_id, t.unit_number, t.target, t.status, t.context)
        out[(*key, t.simulation_exception)] = (t.n, t.last_end, sorted(examples[t.pk]))
    return out


def _counted() -> dict[Group, tuple[int, Any, list[tuple[Any, int]]]]:
    """The same from the mappings, item by item."""
    found: dict[Group, list[tuple[Any, int, Any]]] = defaultdict(list)
    for m in CriterionMapping.objects.select_related("item"):
        i = m.item
        key = (i.registration_id, m.unit_number, m.target, m.status, i.context)
        found[(*key, i.simulation_exception)].append((i.started_on, i.pk, i.ended_on))
    return {
        key: (
            len(rows),
            max(end for *_, end in rows),
            sorted((start, pk) for start, pk, _ in rows)[:EXAMPLES],
        )
        for key, rows in found.items()
    }


def _items(reg: Any, by: Any, rng: random.Random, n: int, wide: bool) -> list[EvidenceItem]:
    return EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=reg,
            method="observation",
            started_on=(start := dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(5))),
            ended_on=start + dt.timedelta(days=rng.randrange(4)),
            description="Item",
            context=rng.choice(CONTEXTS if wide else CONTEXTS[:1]),
            simulation_exception=wide and rng.random() < 0.3,
            created_by=by,
        )
        for _ in range(n)
    )


def _map(items: list[EvidenceItem], by: Any, rng: random.Random, wide: bool) -> None:
    taken = set(CriterionMapping.objects.values_list("item_id", "unit_number", "target"))
    rows = []
    for item in rng.sample(items, min(len(items), rng.randrange(1, 8))) if wide else items:
        for unit in rng.sample(UNITS, rng.randrange(1, 3)) if wide else UNITS[:1]:
            for target in rng.sample(TARGETS, rng.randrange(1, 3)) if wide else TARGETS[:1]:
                if (item.pk, unit, target) not in taken:
                    taken.add((item.pk, unit, target))
                    status = rng.choice(list(MappingStatus) if wide else FEW_STATUSES)
                    rows.append(
                        CriterionMapping(
                            item=item,
                            unit_number=unit,
                            target=target,
                            status=status,
                            proposed_by=by,
                        )
                    )
    CriterionMapping.objects.bulk_create(rows)


def _write(regs: list[Any], by: Any, rng: random.Random, wide: bool = True) -> str:
    """One random write; its name."""
    items = list(EvidenceItem.objects.filter(registration__in=regs))
    mappings = list(CriterionMapping.objects.filter(item__registration__in=regs))
    kinds = ["map", "status", "statuses", "item", "items_moved", "move", "delete", "deletes"]
    kind = rng.choice(["items"] * (1 if wide else 3) + kinds)
    if kind == "items" or not items:
        made = _items(rng.choice(regs), by, rng, rng.randrange(1, 6) if wide else 8, wide)
        _map(made, by, rng, wide)
    elif kind == "map" or not mappings:
        _map(items, by, rng, wide)
    elif kind == "status":
        m = rng.choice(mappings)
        m.status = rng.choice(list(MappingStatus))
        m.save(update_fields=["status"])
    elif kind == "statuses":
        picked = [m.pk for m in rng.sample(mappings, min(len(mappings), 4))]
        CriterionMapping.objects.filter(pk__in=picked).update(
            status=rng.choice(list(MappingStatus))
        )
    elif kind == "item":
        item = rng.choice(items)
        item.started_on = dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(5))
        item.ended_on = item.started_on + dt.timedelta(days=rng.randrange(4))
        item.context = rng.choice(CONTEXTS)
        item.simulation_exception = rng.random() < 0.5
        item.save()
    elif kind == "items_moved":
        picked = [i.pk for i in rng.sample(items, min(len(items), 3))]
        column = rng.choice(["started_on", "ended_on", "context", "simulation_exception"])
        value: Any = {
            "started_on": dt.date(2012, 12, 30),
            "ended_on": dt.date(2013, 2, 1),
            "context": rng.choice(CONTEXTS),
            "simulation_exception": rng.random() < 0.5,
        }[column]
        EvidenceItem.objects.filter(pk__in=picked).update(**{column: value})
    elif kind == "move":
        m = rng.choice(mappings)
        taken = set(CriterionMapping.objects.values_list("item_id", "unit_number", "target"))
        free = [
            (i.pk, u, t) for i in items for u in UNITS for t in TARGETS if (i.pk, u, t) not in taken
        ]
        if free:
            m.item_id, m.unit_number, m.target = rng.choice(free)
            m.save()
    elif kind == "delete":
        rng.choice(mappings).delete()
    else:
        picked = [m.pk for m in rng.sample(mappings, min(len(mappings), 5))]
        CriterionMapping.objects.filter(pk__in=picked).delete()
    return kind


def _second(world: dict[str, Any]) -> Any:
    return registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=CandidateInput(
            first_name="Second",
            last_name="Candidate",
            date_of_birth=dt.date(1980, 1, 1),
            job_role="Customer service manager",
        ),
        registered_on=dt.date(2012, 12, 1),
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_tally_equals_a_count_after_every_write(world: dict[str, Any], seed: int) -> None:
    """Odd seeds write few groups of many items (examples replaced), even ones many groups."""
    rng = random.Random(seed)
    regs = [world["reg"], _second(world)]
    for step in range(40):
        kind = _write(regs, world["dan"], rng, wide=seed % 2 == 0)
        assert _kept() == _counted(), (step, kind)
    kept = _kept()
    with connection.cursor() as cursor:
        tally_triggers.rebuild(cursor, connection.vendor)
    assert _kept() == kept


def test_coverage_from_the_tally_after_writes_equals_item_by_item(
    world: dict[str, Any],
) -> None:
    rng = random.Random(7)
    reg = world["reg"]
    plan_set(
        by=world["carol"],
        registration=reg,
        units=[PlanUnitInput(u, assessor_id=world["alice"].pk) for u in UNITS],
    )
    for _ in range(30):
        _write([reg], world["dan"], rng)
    units = {reg.pk: UNITS}
    assert coverages_of([reg], units) == coverages_by_items([reg], units)


def test_many_items_keep_the_earliest_five(world: dict[str, Any]) -> None:
    """Twelve items on one target: five examples kept; deleting the earliest brings in the
    sixth; moving an item earlier puts it first."""
    reg, dan = world["reg"], world["dan"]
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=reg,
            method="observation",
            started_on=dt.date(2013, 1, 12 - k),
            ended_on=dt.date(2013, 1, 20),
            description="Item",
            context="real_job",
            created_by=dan,
        )
        for k in range(12)
    )
    CriterionMapping.objects.bulk_create(
        CriterionMapping(item=i, unit_number="401", target="1.1", proposed_by=dan) for i in items
    )
    (group,) = _kept().values()
    assert group[0] == 12 and [pk for _, pk in group[2]] == [i.pk for i in items[::-1][:5]]
    CriterionMapping.objects.filter(item=items[-1]).delete()
    (group,) = _kept().values()
    assert group[0] == 11 and [pk for _, pk in group[2]] == [i.pk for i in items[-2:-7:-1]]
    EvidenceItem.objects.filter(pk=items[0].pk).update(started_on=dt.date(2012, 12, 1))
    (group,) = _kept().values()
    assert group[2][0] == (dt.date(2012, 12, 1), items[0].pk)
    assert _kept() == _counted()
