"""``assay bench iqa``: drawing a year's IQA sample for a large centre, and the pages that show it.

Issue 13: "`assay bench iqa` draws a year's plan for a centre of 2,000 candidates and 40
assessors and prints the time and query count." Inside a transaction that is rolled back (the
database is left as it was), with the clock pinned to 01/03/2013:

* the centre and its learners come from the bulk import and the plans of ``build_cohort``
  (N learners, 40 assessors each with an achieved A1, 8 planned units each), plus a lead IQA
  and internal verifiers holding a V1;
* ``signed`` units of every learner were assessed during the year: one evidence item (the
  methods in turn), a confirmed mapping per criterion, and the unit's records in the
  registration's decision chain (a confirmation per mapping, a judgement per criterion, the
  sign-off), dated across the year. They are bulk-inserted with their chain hashes computed by
  the records engine (this measures the draw, not the writing);

then it times what the lead IQA waits for: ``sample_draw`` (the service behind the page's
*Draw*, the API and ``assay iqa draw``), the centre's IQA page, and an IV's queue, each with its
queries (best of ``repeat``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from assay.bench.bulk_import import build_cohort, import_world
from assay.catalogue.selectors import qualification_get
from assay.centres.models import Competence, Role
from assay.centres.services import membership_grant
from assay.engines.coverage import unit_statements
from assay.engines.records import chain
from assay.portfolios.coverage import unit_spec
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceItem,
    MappingStatus,
    Method,
)
from assay.records.services import actor_label
from assay.registrations.models import PlanUnit, Registration
from assay.users import User
from assay.verification.services import sample_draw

QUALIFICATION = "4430-04"
TODAY = "2013-03-01"
YEAR_START, YEAR_END = dt.date(2012, 3, 1), dt.date(2013, 2, 28)
METHODS = [
    Method.OBSERVATION,
    Method.PROFESSIONAL_DISCUSSION,
    Method.WITNESS_TESTIMONY,
    Method.PRODUCT,
    Method.REFLECTIVE_ACCOUNT,
    Method.QUESTIONING_ORAL,
]
CHUNK = 2000


@dataclass(frozen=True)
class Timed:
    """One measured step: best time of the repeats, its queries and (pages) bytes."""

    name: str
    seconds: float
    queries: int
    size: int = 0


@dataclass(frozen=True)
class IqaResult:
    candidates: int
    assessors: int
    verifiers: int
    signed_units: int
    decisions: int
    build_seconds: float
    picks: int
    unallocated: int
    steps: list[Timed]


def _verifiers(centre: Any, admin: User, count: int) -> tuple[User, list[User]]:
    """A lead IQA and ``count`` internal verifiers, each holding a V1 since 2010."""
    users = get_user_model().objects
    lead = users.create_user(username=f"bench-lead-{centre.number}")
    membership_grant(by=admin, centre=centre, user=lead, role=Role.LEAD_IQA)
    ivs = []
    for n in range(count):
        iv = users.create_user(username=f"bench-iv{n}-{centre.number}")
        membership_grant(by=admin, centre=centre, user=iv, role=Role.INTERNAL_VERIFIER)
        ivs.append(iv)
    Competence.objects.bulk_create(
        Competence(
            user=u,
            role=role,
            av_unit="V1",
            started_on=dt.date(2009, 1, 1),
            achieved_on=dt.date(2010, 1, 1),
        )
        for u, role in [(lead, "internal_verifier"), *((iv, "internal_verifier") for iv in ivs)]
    )
    return lead, ivs


def _stamp(day: dt.date, minute: int) -> str:
    """An act's time: 09:00 on ``day``, one minute per act."""
    start = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)
    return (start + dt.timedelta(minutes=minute)).isoformat()


def _assessed_units(ids: list[int], signed: int) -> Iterator[tuple[int, int, PlanUnit]]:
    """(position, registration id, plan unit) of the first ``signed`` planned units of each."""
    plans: dict[int, list[PlanUnit]] = {}
    for unit in PlanUnit.objects.filter(registration_id__in=ids).order_by("registration_id", "pk"):
        plans.setdefault(unit.registration_id, []).append(unit)
    for i, pk in enumerate(ids):
        for unit in plans.get(pk, [])[:signed]:
            yield i, pk, unit


def _assess(ids: list[int], signed: int, assessors: dict[int, User]) -> tuple[int, int]:
    """Bulk-insert the year's assessed units (see the module docstring); returns (units,
    decisions)."""
    registration = Registration.objects.select_related("qualification__spec").get(pk=ids[0])
    criteria: dict[str, list[str]] = {}
    units = decisions = 0
    days = (YEAR_END - YEAR_START).days
    rows: list[tuple[int, int, PlanUnit, EvidenceItem]] = []
    items: list[EvidenceItem] = []
    for i, pk, unit in _assessed_units(ids, signed):
        number = unit.unit_number
        if number not in criteria:
            statements = unit_statements(unit_spec(registration, number))
            criteria[number] = [s.target for s in statements if s.kind == "criterion"]
        day = YEAR_START + dt.timedelta(days=(i * 7 + len(rows) * 13) % days)
        item = EvidenceItem(
            registration_id=pk,
            method=METHODS[len(rows) % len(METHODS)],
            started_on=day - dt.timedelta(days=14),
            ended_on=day - dt.timedelta(days=7),
            description=f"Assessed for unit {number}",
            context="real_job",
            created_by=assessors[unit.assessor_id or 0],
        )
        items.append(item)
        rows.append((i, pk, unit, item))
    for start in range(0, len(items), CHUNK):
        EvidenceItem.objects.bulk_create(items[start : start + CHUNK])
    mappings: list[CriterionMapping] = []
    for _, _, unit, item in rows:
        who = assessors[unit.assessor_id or 0]
        for target in criteria[unit.unit_number]:
            mappings.append(
                CriterionMapping(
                    item=item,
                    unit_number=unit.unit_number,
                    target=target,
                    status=MappingStatus.CONFIRMED,
                    proposed_by=who,
                    decided_by=who,
                )
            )
    for start in range(0, len(mappings), CHUNK):
        CriterionMapping.objects.bulk_create(mappings[start : start + CHUNK])
    by_item: dict[int, list[CriterionMapping]] = {}
    for m in mappings:
        by_item.setdefault(m.item_id, []).append(m)
    chains: dict[int, list[chain.Record]] = {}
    out: list[Decision] = []
    for _, pk, unit, item in rows:
        who = assessors[unit.assessor_id or 0]
        label = actor_label(who)
        records = chains.setdefault(pk, [])
        day = item.ended_on + dt.timedelta(days=7)
        acts: list[tuple[str, dict[str, Any]]] = [
            (DecisionKind.MAPPING_CONFIRMED, {"mapping": m.pk, "item": item.pk, "target": m.target})
            for m in by_item[item.pk]
        ]
        acts += [
            (DecisionKind.CRITERION_JUDGED, {"criterion": c, "met": True, "feedback": ""})
            for c in criteria[unit.unit_number]
        ]
        span = {"span_start": item.started_on.isoformat(), "span_end": item.ended_on.isoformat()}
        acts.append(
            (DecisionKind.UNIT_SIGNED_OFF, {**span, "criteria": criteria[unit.unit_number]})
        )
        for minute, (kind, payload) in enumerate(acts):
            record = chain.append(
                records[-1:],
                kind=str(kind),
                payload={"unit": unit.unit_number, **payload},
                actor=label,
                at=_stamp(day, minute),
                chain_id=f"decisions:{pk}",
            )
            records.append(record)
            out.append(
                Decision(
                    registration_id=pk,
                    seq=record.seq,
                    kind=record.kind,
                    unit_number=unit.unit_number,
                    payload=dict(record.payload),
                    actor_id=who.pk,
                    actor_name=record.actor,
                    at=record.at,
                    prev_hash=record.prev_hash,
                    hash=record.hash,
                )
            )
        units += 1
    for start in range(0, len(out), CHUNK):
        Decision.objects.bulk_create(out[start : start + CHUNK])
    decisions = len(out)
    return units, decisions


def _best(name: str, call: Callable[[], int], repeat: int) -> Timed:
    best: Timed | None = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            size = call()
            seconds = time.perf_counter() - began
        if best is None or seconds < best.seconds:
            best = Timed(name, seconds, len(queries), size)
    assert best is not None
    return best


def _page(client: Client, url: str) -> Callable[[], int]:
    def get() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return len(response.content)

    return get


class _Rollback(Exception):
    pass


def iqa_bench(
    candidates: int = 2000,
    assessors: int = 40,
    verifiers: int = 4,
    units: int = 8,
    signed: int = 3,
    repeat: int = 3,
) -> IqaResult:
    """Build the centre's year (rolled back at the end) and time the draw and the pages."""
    qualification = qualification_get(QUALIFICATION)
    result: IqaResult | None = None
    try:
        with override_settings(ASSAY_TODAY=TODAY), transaction.atomic():
            began = time.perf_counter()
            centre, admin = import_world(qualification)
            cohort = build_cohort(
                centre, qualification, candidates, by=admin, assessors=assessors, units=units
            )
            lead, ivs = _verifiers(centre, admin, verifiers)
            staff = {a.pk: a for a in cohort.assessors}
            done, decisions = _assess(list(cohort.run.ids), signed, staff)
            build = time.perf_counter() - began
            drawn: list[Any] = []

            def draw() -> int:
                drawn.append(
                    sample_draw(
                        by=lead,
                        centre=centre,
                        qualification=QUALIFICATION,
                        period_start=YEAR_START,
                        period_end=YEAR_END,
                        seed=20130301,
                    )
                )
                return 0

            steps = [_best("sample_draw (service)", draw, repeat)]
            lead_client, iv_client = Client(), Client()
            lead_client.force_login(lead)
            iv_client.force_login(ivs[0])
            steps.append(
                _best(
                    "web centre IQA page (lead IQA)",
                    _page(lead_client, f"/centres/{centre.pk}/iqa/"),
                    repeat,
                )
            )
            steps.append(_best("web IV queue (an IV)", _page(iv_client, "/iqa/"), repeat))
            last = drawn[-1]
            picks = last.picks.count()
            unallocated = last.picks.filter(verifier__isnull=True).count()
            result = IqaResult(
                candidates,
                assessors,
                verifiers,
                done,
                decisions,
                build,
                picks,
                unallocated,
                steps,
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def report(r: IqaResult) -> Iterator[str]:
    yield (
        f"iqa on {connection.vendor}: {r.candidates:,} candidates, {r.assessors} assessors, "
        f"{r.verifiers} IVs; {r.signed_units:,} units signed off in the year "
        f"({r.decisions:,} decision records); built in {r.build_seconds:.1f} s (rolled back)"
    )
    yield f"sample: {r.picks:,} picks, {r.unallocated} unallocated"
    for s in r.steps:
        size = f", {s.size / 1024:,.0f} KB" if s.size else ""
        yield f"{s.name}: {s.seconds:.3f} s, {s.queries} queries{size}"
