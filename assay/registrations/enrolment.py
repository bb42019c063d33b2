"""The enrolment chain: every administrative act on a registration, chained ("enrolment:<pk>").

Registration, status change, extension, RPL claim and decision, credit transfer, signature and
learning plan: each writer in ``services``, ``status`` and ``expiry`` appends one record with
every field the app reads from the rows it wrote, inside its own transaction and after locking
the registration row (``enrolment_lock``). ``reconcile`` (registered for ``records verify``)
folds each chain (``engines.registration.enrolment``) and compares it with the rows, so a status
set back, an end date moved, a claim flipped or a row added, edited or deleted in the database
is named. What is covered: docs/accounts.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from assay.engines.records import chain
from assay.engines.registration import enrolment as engine
from assay.errors import NotAllowed
from assay.files.digest import text_sha256
from assay.records.models import ChainRecord
from assay.records.registry import Problem, day_text, moment_text, only_id
from assay.records.services import record_append, record_append_many
from assay.registrations.models import (
    Extension,
    PlanUnit,
    Registration,
    RplClaim,
    Signature,
    StatusChange,
)
from assay.users import User

PREFIX = "enrolment"

REGISTRATION_COLUMNS = (
    "candidate",
    "centre",
    "qualification",
    "registered_on",
    "end_date",
    "end_date_explanation",
    "status",
    "internal_verifier",
    "allow_units_without_content",
    "created_by",
    "created_at",
)


def chain_name(registration_id: int) -> str:
    return f"{PREFIX}:{registration_id}"


# --- the fields a record holds and the rows are compared on ---------------------------------


def registration_fields(r: Registration) -> dict[str, Any]:
    return {
        "candidate": r.candidate_id,
        "centre": r.centre_id,
        "qualification": r.qualification_id,
        "registered_on": day_text(r.registered_on),
        "end_date": day_text(r.end_date),
        "end_date_explanation": r.end_date_explanation,
        "status": r.status,
        "internal_verifier": r.internal_verifier_id,
        "allow_units_without_content": r.allow_units_without_content,
        "created_by": r.created_by_id,
        "created_at": moment_text(r.created_at),
    }


def status_change_fields(c: StatusChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "from": c.from_status,
        "to": c.to_status,
        "reason": c.reason,
        "by": c.by_id,
        "at": moment_text(c.at),
    }


def extension_fields(e: Extension) -> dict[str, Any]:
    return {
        "id": e.pk,
        "previous_end": day_text(e.previous_end),
        "new_end": day_text(e.new_end),
        "reason": e.reason,
        "by": e.by_id,
        "at": moment_text(e.at),
    }


def claim_fields(c: RplClaim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "unit": c.unit_number,
        "kind": c.kind,
        "certificate_reference": c.certificate_reference,
        "evidence": c.evidence,
        "accepted": c.accepted,
        "decided_by": c.decided_by_id,
        "decided_at": moment_text(c.decided_at),
        "created_at": moment_text(c.created_at),
    }


def signature_fields(s: Signature) -> dict[str, Any]:
    """The text itself is not in the record: its fingerprint is, and the check recomputes it."""
    return {
        "id": s.pk,
        "document": s.document,
        "capacity": s.capacity,
        "signer": s.signer_id,
        "text_sha256": s.text_sha256,
        "ip_address": s.ip_address,
        "user_agent": s.user_agent,
        "at": moment_text(s.at),
    }


def plan_unit_fields(u: PlanUnit) -> dict[str, Any]:
    return {
        "unit": u.unit_number,
        "assessor": u.assessor_id,
        "target_date": day_text(u.target_date),
    }


# --- appending -------------------------------------------------------------------------------


def enrolment_lock(registration: Registration) -> Registration:
    """Lock the registration row inside the caller's transaction; returns it as stored."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enrolment_lock must run inside transaction.atomic()")
    return Registration.objects.select_for_update().get(pk=registration.pk)


def enrolment_append(
    registration_id: int,
    kind: str,
    *,
    by: User | None,
    columns: Mapping[str, Any] | None = None,
    rows: Mapping[str, Iterable[Any]] | None = None,
    plan: Iterable[PlanUnit] | None = None,
) -> ChainRecord:
    """Append one act. ``columns`` are the Registration columns it set (as stored), ``rows``
    the rows it wrote, re-read from the database so the record holds what is stored."""
    payload: dict[str, Any] = {"registration": registration_id}
    if columns:
        payload["set"] = dict(columns)
    written: dict[str, list[dict[str, Any]]] = {}
    for name, items in (rows or {}).items():
        written[name] = [_FIELDS[name](row) for row in _stored(name, list(items))]
    if written:
        payload["rows"] = written
    if plan is not None:
        payload["replace"] = {"plan_unit": [plan_unit_fields(u) for u in plan]}
    return record_append(chain_name(registration_id), kind=kind, payload=payload, by=by)


def enrolment_register_many(
    registered: Sequence[tuple[Registration, StatusChange]], *, by: User | None
) -> None:
    """Start the chain of many registrations just inserted, each with the ``registered``
    record ``registration_create`` appends (its columns and its first status change), in one
    insert. The rows are not re-read: they were built in memory with every column set, and
    the reconciler (``records verify``) compares the stored rows with these records."""
    record_append_many(
        [
            (
                chain_name(registration.pk),
                engine.REGISTERED,
                {
                    "registration": registration.pk,
                    "set": registration_fields(registration),
                    "rows": {"status_change": [status_change_fields(first)]},
                },
            )
            for registration, first in registered
        ],
        by=by,
    )


_MODELS: dict[str, Any] = {
    "status_change": StatusChange,
    "extension": Extension,
    "claim": RplClaim,
    "signature": Signature,
}
_FIELDS: dict[str, Any] = {
    "status_change": status_change_fields,
    "extension": extension_fields,
    "claim": claim_fields,
    "signature": signature_fields,
}


def _stored(name: str, items: list[Any]) -> list[Any]:
    """The rows as the database holds them (an IPv6 address normalised, a date as a date)."""
    found = {row.pk: row for row in _MODELS[name].objects.filter(pk__in=[i.pk for i in items])}
    return [found[i.pk] for i in items]


def registration_stored(registration: Registration) -> dict[str, Any]:
    """The registration's columns as stored (for the ``registered`` record)."""
    return registration_fields(Registration.objects.get(pk=registration.pk))


def plan_stored(registration_id: int) -> list[PlanUnit]:
    return list(PlanUnit.objects.filter(registration_id=registration_id).order_by("unit_number"))


def enrolment_adopt(*, by: User) -> list[int]:
    """Start the chain of every registration that has none (made before chains existed): one
    ``adopted`` record holding its columns and rows as they are now. The awarding body only.
    A chain that was deleted is still named by its anchors, so adoption cannot hide that."""
    if not getattr(by, "is_superuser", False):
        raise NotAllowed("only the awarding body adopts registrations into the enrolment chain")
    chained = {
        int(name.split(":", 1)[1])
        for name in ChainRecord.objects.filter(chain__startswith=f"{PREFIX}:")
        .order_by()
        .values_list("chain", flat=True)
        .distinct()
        if name.split(":", 1)[1].isdigit()
    }
    adopted: list[int] = []
    for pk in (
        Registration.objects.exclude(pk__in=chained).order_by("pk").values_list("pk", flat=True)
    ):
        with transaction.atomic():
            locked = Registration.objects.select_for_update().get(pk=pk)
            if ChainRecord.objects.filter(chain=chain_name(pk)).exists():
                continue  # started meanwhile
            enrolment_append(
                pk,
                engine.ADOPTED,
                by=by,
                columns=registration_fields(locked),
                rows={
                    "status_change": StatusChange.objects.filter(registration_id=pk).order_by("pk"),
                    "extension": Extension.objects.filter(registration_id=pk).order_by("pk"),
                    "claim": RplClaim.objects.filter(registration_id=pk).order_by("pk"),
                    "signature": Signature.objects.filter(registration_id=pk).order_by("pk"),
                },
                plan=plan_stored(pk),
            )
        adopted.append(pk)
    return adopted


# --- reconciling -----------------------------------------------------------------------------


def reconcile(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    """Compare every registration's rows (or the one ``only`` names) with its enrolment chain:
    columns, status changes, extensions, claims, signatures (text against its fingerprint) and
    the plan. One query per table, whatever the number of registrations."""
    pk = only_id(only)

    def scoped(queryset: Any, field: str = "registration_id") -> Any:
        return queryset if pk is None else queryset.filter(**{field: pk})

    names = (
        ChainRecord.objects.filter(chain__startswith=f"{PREFIX}:")
        if pk is None
        else ChainRecord.objects.filter(chain=chain_name(pk))
    )
    existing = set(names.order_by().values_list("chain", flat=True).distinct())
    rows: dict[int, dict[str, list[dict[str, Any]]]] = {}

    def collect(name: str, queryset: Any, fields: Any) -> None:
        for row in scoped(queryset).order_by("registration_id", "pk").iterator(chunk_size=2000):
            rows.setdefault(row.registration_id, {}).setdefault(name, []).append(fields(row))

    collect("status_change", StatusChange.objects.all(), status_change_fields)
    collect("extension", Extension.objects.all(), extension_fields)
    collect("claim", RplClaim.objects.all(), claim_fields)
    collect("plan_unit", PlanUnit.objects.all(), plan_unit_fields)
    problems: list[Problem] = []
    for signature in (
        scoped(Signature.objects.all()).order_by("registration_id", "pk").iterator(chunk_size=500)
    ):
        fields = signature_fields(signature)
        if text_sha256(signature.text) != signature.text_sha256:
            problems.append(
                Problem(
                    chain_name(signature.registration_id),
                    f"{engine.label('signature', fields)}: its text does not match its text_sha256",
                )
            )
        rows.setdefault(signature.registration_id, {}).setdefault("signature", []).append(fields)
    seen: set[str] = set()
    for registration in (
        scoped(Registration.objects.all(), "pk").order_by("pk").iterator(chunk_size=2000)
    ):
        name = chain_name(registration.pk)
        seen.add(name)
        records = chains.get(name)
        if records is None:
            if name not in existing:  # a broken chain is reported by the chain check
                problems.append(Problem(name, "registration has no enrolment chain"))
            continue
        state = engine.implied(records)
        found = engine.differences(
            state, registration_fields(registration), rows.get(registration.pk, {})
        )
        problems.extend(Problem(name, message) for message in found)
    for name, records in chains.items():
        if name not in seen:
            problems.append(
                Problem(name, f"the registration is gone (its chain holds {len(records)} records)")
            )
    return problems
