"""The portfolio decision chains as a ``records`` source: recompute each registration's chain,
check the columns the app reads beside the hash, and reconcile the evidence mappings with the
decisions that confirmed or rejected them.

What the app reads from a ``Decision`` row: ``registration_id`` (bound by the chain's genesis),
``seq``, ``kind``, ``payload``, ``actor_name``, ``at`` (hashed), ``unit_number`` (must equal the
hashed ``payload["unit"]``) and ``actor_id`` (must equal the account id hashed in
``actor_name``). Locks and judgements are read from the decisions themselves, so a verified
chain with verified columns is a verified lock. Mapping states live on ``CriterionMapping``
rows and are reconciled here with the latest decision on each mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from assay.engines.records import chain
from assay.errors import StorageUnavailable
from assay.files.storage import verify_stored
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceFile,
    EvidenceItem,
    MappingStatus,
)
from assay.portfolios.records import PREFIX, chain_name
from assay.records.registry import Checked, Heads, Problem, Source, only_id, prefix_of, subject_id
from assay.records.services import actor_id_of, broken_line

_DECIDES = {
    DecisionKind.MAPPING_CONFIRMED.value: MappingStatus.CONFIRMED.value,
    DecisionKind.MAPPING_REJECTED.value: MappingStatus.REJECTED.value,
}


def evidence_snapshot(item: EvidenceItem) -> dict[str, Any]:
    """What a confirmation vouches for: the item's registration, method, dates and files. Items
    are never edited and files only added, so a confirmed item must still show all of it."""
    return {
        "registration": item.registration_id,
        "method": item.method,
        "started_on": item.started_on.isoformat(),
        "ended_on": item.ended_on.isoformat(),
        "files": sorted(item.files.values_list("sha256", flat=True)),
    }


@dataclass(frozen=True, slots=True)
class _Ruling:
    registration: int
    seq: int
    status: str
    item: int
    unit: str
    target: str
    actor: int | None
    snapshot: dict[str, Any] | None


def check(only: str | None) -> Checked:
    """Every decision chain (or the one named), its columns and its mappings."""
    if only is not None and prefix_of(only) != PREFIX:
        return Checked(0, 0, [])
    registration_id = only_id(only)
    rows = Decision.objects.order_by("registration_id", "seq").values_list(
        "registration_id",
        "seq",
        "kind",
        "unit_number",
        "payload",
        "actor_id",
        "actor_name",
        "at",
        "prev_hash",
        "hash",
    )
    if registration_id is not None:
        rows = rows.filter(registration_id=registration_id)
    grouped: dict[int, list[chain.Record]] = {}
    columns: dict[int, list[tuple[str, int | None]]] = {}
    for pk, seq, kind, unit, payload, actor_id, actor, at, prev, head in rows.iterator(2000):
        grouped.setdefault(pk, []).append(chain.Record(seq, kind, payload, actor, at, prev, head))
        columns.setdefault(pk, []).append((unit, actor_id))
    problems: list[Problem] = []
    rulings: dict[int, _Ruling] = {}
    broken: set[int] = set()  # reported once; their mappings are not reconciled
    for pk, records in grouped.items():
        name = chain_name(pk)
        verification = chain.verify(records, name, stored=True)
        if not verification.ok:
            problems.append(Problem(name, broken_line(verification)))
            broken.add(pk)
            continue
        for record, (unit, column_actor) in zip(records, columns[pk], strict=True):
            if unit != record.payload.get("unit", ""):
                problems.append(
                    Problem(name, f"record {record.seq}: its unit column is not the hashed unit")
                )
            if column_actor != actor_id_of(record.actor):
                problems.append(
                    Problem(name, f"record {record.seq}: its actor column is not the hashed actor")
                )
            if record.kind in _DECIDES and isinstance(record.payload.get("mapping"), int):
                rulings[record.payload["mapping"]] = _ruling(pk, record)
    problems.extend(_mappings_reconcile(rulings, registration_id, broken))
    return Checked(len(grouped), sum(len(r) for r in grouped.values()), problems)


def _ruling(registration: int, record: chain.Record) -> _Ruling:
    payload = record.payload
    snapshot = payload.get("evidence")
    return _Ruling(
        registration=registration,
        seq=record.seq,
        status=_DECIDES[record.kind],
        item=payload.get("item", -1),
        unit=payload.get("unit", ""),
        target=payload.get("target", ""),
        actor=actor_id_of(record.actor),
        snapshot=snapshot if isinstance(snapshot, dict) else None,
    )


def _mappings_reconcile(
    rulings: dict[int, _Ruling], registration_id: int | None, broken: set[int]
) -> list[Problem]:
    """Each decided mapping row against the latest decision on it, and each decision's mapping
    against its row; evidence confirmed must still be what was confirmed."""
    mappings = CriterionMapping.objects.values_list(
        "pk", "item_id", "item__registration_id", "unit_number", "target", "status", "decided_by_id"
    )
    if registration_id is not None:
        mappings = mappings.filter(item__registration_id=registration_id) | mappings.filter(
            pk__in=list(rulings)
        )
    problems: list[Problem] = []
    seen: set[int] = set()
    confirmed_items: dict[int, tuple[int, _Ruling]] = {}
    for pk, item, owner, unit, target, status, decided_by in mappings.iterator(2000):
        seen.add(pk)
        if owner in broken:
            continue
        label = f"mapping {pk} (unit {unit} {target}, evidence {item})"
        ruling = rulings.get(pk)
        if ruling is None:
            if status != MappingStatus.PROPOSED:
                problems.append(
                    Problem(chain_name(owner), f"{label} is {status} but no record decided it")
                )
            continue
        name = chain_name(ruling.registration)
        where = f"record {ruling.seq}"
        if owner != ruling.registration:
            problems.append(
                Problem(
                    name,
                    f"{label} belongs to registration {owner}, but {where} of "
                    f"registration {ruling.registration} decided it",
                )
            )
        if (item, unit, target) != (ruling.item, ruling.unit, ruling.target):
            problems.append(Problem(name, f"{label} is not the mapping {where} decided"))
        if status != ruling.status:
            problems.append(
                Problem(name, f"{label} is {status}, but {where} made it {ruling.status}")
            )
        if decided_by != ruling.actor:
            problems.append(Problem(name, f"{label}: decided_by is not the account of {where}"))
        if status == MappingStatus.CONFIRMED == ruling.status and ruling.snapshot is not None:
            confirmed_items[pk] = (item, ruling)
    for pk, ruling in rulings.items():
        if pk not in seen and (registration_id is None or ruling.registration == registration_id):
            problems.append(
                Problem(
                    chain_name(ruling.registration),
                    f"record {ruling.seq} decided mapping {pk}, which no longer exists",
                )
            )
    problems.extend(_evidence_reconcile(confirmed_items))
    return problems


def _evidence_reconcile(confirmed: dict[int, tuple[int, _Ruling]]) -> list[Problem]:
    items = {item for item, _ in confirmed.values()}
    facts = {
        pk: (registration, method, started.isoformat(), ended.isoformat())
        for pk, registration, method, started, ended in EvidenceItem.objects.filter(
            pk__in=items
        ).values_list("pk", "registration_id", "method", "started_on", "ended_on")
    }
    files: dict[int, set[str]] = {}
    for item, sha in EvidenceFile.objects.filter(item_id__in=items).values_list(
        "item_id", "sha256"
    ):
        files.setdefault(item, set()).add(sha)
    problems: list[Problem] = []
    reported: set[int] = set()
    for pk, (item, ruling) in sorted(confirmed.items()):
        if item in reported:
            continue
        snap = ruling.snapshot or {}
        name = chain_name(ruling.registration)
        fact = facts.get(item)
        expected = (
            snap.get("registration"),
            snap.get("method"),
            snap.get("started_on"),
            snap.get("ended_on"),
        )
        if fact is None or fact != expected:
            problems.append(
                Problem(
                    name,
                    f"evidence {item} is not what record {ruling.seq} confirmed "
                    f"for mapping {pk} (registration, method or dates changed)",
                )
            )
        missing = set(snap.get("files", [])) - files.get(item, set())
        if missing:
            problems.append(
                Problem(
                    name,
                    f"evidence {item}: {len(missing)} file(s) confirmed in record "
                    f"{ruling.seq} are gone or changed",
                )
            )
    return problems


def _decisions_of(name: str) -> int | None:
    """The registration whose decision chain ``name`` is ("registration:12" -> 12)."""
    return subject_id(name) if prefix_of(name) == PREFIX else None


def heads() -> Heads:
    found: Heads = {}
    for pk, seq, head in (
        Decision.objects.order_by("registration_id", "seq")
        .values_list("registration_id", "seq", "hash")
        .iterator(5000)
    ):
        found[chain_name(pk)] = (seq, head)
    return found


def hash_at(wanted: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
    pairs = {(pk, seq) for name, seq in wanted if (pk := _decisions_of(name)) is not None}
    if not pairs:
        return {}
    found: dict[tuple[str, int], str] = {}
    rows = Decision.objects.filter(
        registration_id__in={r for r, _ in pairs}, seq__in={s for _, s in pairs}
    ).values_list("registration_id", "seq", "hash")
    for pk, seq, head in rows.iterator(5000):
        if (pk, seq) in pairs:
            found[(chain_name(pk), seq)] = head
    return found


def files_check() -> list[Problem]:
    """Every stored evidence file still hashes to the SHA-256 its row (and any confirmation)
    names; a missing or altered object is named with its item's chain."""
    problems: list[Problem] = []
    rows = EvidenceFile.objects.order_by("pk").values_list(
        "pk", "item_id", "item__registration_id", "storage_name", "sha256"
    )
    for pk, item, registration, storage_name, sha in rows.iterator(2000):
        try:
            intact = verify_stored(storage_name, sha)
        except StorageUnavailable as error:  # say so once; the files were not checked
            problems.append(Problem("evidence store", f"not checked: {error}"))
            return problems
        if not intact:
            problems.append(
                Problem(
                    chain_name(registration),
                    f"evidence file {pk} (evidence {item}): the stored bytes are missing or do "
                    f"not hash to {sha[:12]}…",
                )
            )
    return problems


def lengths_of(names: Sequence[str]) -> dict[str, int]:
    ids = [pk for pk in map(_decisions_of, names) if pk is not None]
    rows = (
        Decision.objects.filter(registration_id__in=ids)
        .values("registration_id")
        .annotate(n=Max("seq"))
        .values_list("registration_id", "n")
    )
    return {chain_name(pk): n for pk, n in rows}


SOURCE = Source(
    name="portfolio decisions",
    prefixes=(PREFIX,),
    check=check,
    heads=heads,
    hash_at=hash_at,
    files=files_check,
    lengths_of=lengths_of,
)
