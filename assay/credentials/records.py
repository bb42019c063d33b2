"""The credentials' chain: one per certificate (``credential:<certificate id>``), a record for
each credential issued (its row, with the SHA-256 of the JSON handed out) and each revoked
(when, why, by whom).

The verify page, the API and the status list read these rows, so ``assay records verify``
folds each chain into the rows it expects and names a row that differs (a revocation undone,
a credential's JSON edited, a status bit moved), a row with no record and a record whose row is
gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assay.engines.records import chain
from assay.records.registry import Problem, moment_text, only_id, reconciler_register

PREFIX = "credential"

FIELDS = (
    "certificate_id",
    "certificate_number",
    "kind",
    "unit_code",
    "holder",
    "status_list",
    "status_index",
    "sha256",
    "issued_at",
    "revoked_at",
    "revoked_reason",
    "revoked_by",
)


def credential_chain(certificate_id: int) -> str:
    return f"{PREFIX}:{certificate_id}"


def _value(row: Any, field: str) -> Any:
    value = getattr(row, f"{field}_id") if hasattr(row, f"{field}_id") else getattr(row, field)
    if isinstance(value, dt.datetime):
        return moment_text(value)
    return value


def row_of(row: Any) -> dict[str, Any]:
    """What the chain holds of a credential row: every field the app reads."""
    return {f: _value(row, f) for f in FIELDS}


def fold(records: Iterable[chain.Record]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for record in records:
        if record.kind in ("credential_issued", "credential_revoked"):
            for entry in record.payload.get("credentials", ()):
                rows[int(entry["credential"])] = dict(entry["row"])
    return rows


def _problems(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    from assay.credentials.models import IssuedCredential

    certificate = only_id(only)
    credentials = IssuedCredential.objects.order_by("pk")
    if certificate is not None:
        credentials = credentials.filter(certificate_id=certificate)
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    problems: list[Problem] = []
    for c in credentials:
        name = credential_chain(c.certificate_id)
        rows.setdefault(name, {})[c.pk] = row_of(c)
        if hashlib.sha256(c.document.encode("utf-8")).hexdigest() != c.sha256:
            problems.append(Problem(name, f"credential {c.pk}: its JSON is not the one issued"))
    for name in sorted(set(rows) | set(chains)):
        chained = fold(chains.get(name, ()))
        for pk, row in sorted(rows.get(name, {}).items()):
            said = chained.pop(pk, None)
            if said is None:
                problems.append(Problem(name, f"credential {pk} has no chained record"))
                continue
            for field, value in row.items():
                if said.get(field) != value:
                    problems.append(
                        Problem(name, f"credential {pk}: its {field} is not the one recorded")
                    )
        for pk in sorted(chained):
            problems.append(Problem(name, f"credential {pk} is recorded but its row is gone"))
    return problems


def register() -> None:
    reconciler_register(PREFIX, _problems)
