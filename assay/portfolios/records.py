"""The decision record: every assessment act appended to its registration's hash chain.

``decision_append`` is the only writer of ``Decision``. It runs inside the caller's transaction
after ``registration_lock`` has locked the registration row, so two people acting on one
registration are serialised: the second sees the first's record, and a stale ``expected_seq``
is refused instead of silently overwriting what the first decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from assay import clock
from assay.engines.records import chain
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.models import Decision, DecisionKind
from assay.records.services import actor_label, head_anchor
from assay.registrations.models import Registration
from assay.users import User

STALE = "someone else changed this unit; reload"
SEPARATION = "separation of duties"
"""How the database's trigger (``verification.duty_triggers``) starts its refusal."""
PREFIX = "registration"


def chain_name(registration_id: int) -> str:
    """The name a registration's decision chain is bound to (its genesis) and anchored under."""
    return f"{PREFIX}:{registration_id}"


def as_record(row: Decision) -> chain.Record:
    return chain.Record(
        seq=row.seq,
        kind=row.kind,
        payload=row.payload,
        actor=row.actor_name,
        at=row.at,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def registration_lock(
    registration: Registration, expected_seq: int | None = None
) -> Decision | None:
    """Lock the registration row (inside a transaction) and return its last decision.

    ``expected_seq`` is the last decision number the user saw (0: none); when someone else
    has appended since, the act is refused so that no update is lost.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("registration_lock must run inside transaction.atomic()")
    Registration.objects.select_for_update().get(pk=registration.pk)
    last = Decision.objects.filter(registration_id=registration.pk).order_by("-seq").first()
    if expected_seq is not None and (last.seq if last else 0) != expected_seq:
        raise InvalidInput({"expected_seq": STALE})
    return last


def decision_append(
    *,
    registration: Registration,
    last: Decision | None,
    by: User,
    kind: DecisionKind,
    unit: str,
    payload: dict[str, Any],
) -> Decision:
    """Append one record after ``last`` (from ``registration_lock`` in the same transaction)."""
    record = chain.append(
        [as_record(last)] if last else [],
        kind=str(kind),
        payload={"unit": unit, **payload},
        actor=actor_label(by),
        at=clock.now().isoformat(),
        chain_id=chain_name(registration.pk),
    )
    try:
        with transaction.atomic():
            row = _create(registration, by, unit, record)
    except IntegrityError as error:
        if SEPARATION in str(error):  # the database refused a verification by an assessor
            raise NotAllowed(str(error).strip()) from error
        # another writer took this seq (a database without locks)
        raise InvalidInput({"expected_seq": STALE}) from error
    head_anchor(chain_name(registration.pk), record.seq, record.hash, record.at)
    return row


def _create(registration: Registration, by: User, unit: str, record: chain.Record) -> Decision:
    return Decision.objects.create(
        registration_id=registration.pk,
        seq=record.seq,
        kind=record.kind,
        unit_number=unit,
        payload=dict(record.payload),
        actor_id=by.pk,
        actor_name=record.actor,
        at=record.at,
        prev_hash=record.prev_hash,
        hash=record.hash,
    )


def unit_signed_off(registration: Registration, unit: str) -> bool:
    """True when the unit's latest sign-off or reopening is a sign-off."""
    rows = (
        Decision.objects.filter(
            registration_id=registration.pk,
            unit_number=unit,
            kind__in=[DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED],
        )
        .order_by()  # the latest picked here: ordered by seq, SQLite walks every decision
        .values_list("seq", "kind")
    )
    latest = max(rows, default=(0, ""))[1]
    return latest == DecisionKind.UNIT_SIGNED_OFF


def signed_off_units(registration: Registration) -> list[str]:
    """Units whose latest sign-off or reopening is a sign-off, in the order signed."""
    return signed_off_of([registration.pk]).get(registration.pk, [])


def signed_off_of(registration_ids: Iterable[int]) -> dict[int, list[str]]:
    """``signed_off_units`` of many registrations in one query (caseload pages)."""
    state: dict[int, dict[str, bool]] = {}
    rows = (
        Decision.objects.filter(
            registration_id__in=list(registration_ids),
            kind__in=[DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED],
        )
        .order_by()  # sorted below: ordered by seq, SQLite walks every decision
        .values_list("registration_id", "seq", "kind", "unit_number")
    )
    for registration_id, _, kind, unit in sorted(rows, key=lambda r: (r[0], r[1])):
        units = state.setdefault(registration_id, {})
        units.pop(unit, None)
        units[unit] = kind == DecisionKind.UNIT_SIGNED_OFF
    return {pk: [u for u, signed in units.items() if signed] for pk, units in state.items()}


def refuse_if_signed_off(registration: Registration, unit: str) -> None:
    if unit_signed_off(registration, unit):
        raise InvalidInput(
            {
                "unit": f"unit {unit} is signed off; a lead IQA or centre administrator "
                "must reopen it"
            }
        )


def chains_verify(registration_id: int | None = None) -> list[tuple[int, chain.Verification]]:
    """Every registration's chain (or one), recomputed: (registration id, verification).
    The full check (columns, mappings, anchors) is ``records.services.records_verify``."""
    rows = Decision.objects.order_by("registration_id", "seq")
    if registration_id is not None:
        rows = rows.filter(registration_id=registration_id)
    grouped: dict[int, list[chain.Record]] = {}
    for row in rows.iterator():
        grouped.setdefault(row.registration_id, []).append(as_record(row))
    return [
        (pk, chain.verify(records, chain_name(pk), stored=True)) for pk, records in grouped.items()
    ]
