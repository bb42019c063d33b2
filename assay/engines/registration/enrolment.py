"""A registration's administrative record as a chain ("enrolment:<pk>"): what the rows must be.

Each record's payload says what the act wrote: ``set`` (Registration columns, by name), ``rows``
(rows created or updated, per collection, each with its key) and ``replace`` (a collection
replaced whole: the learning plan). Folding the verified chain in order gives the state it
implies; ``differences`` compares that with the rows the app reads and names every column or
row that differs, is missing or was never recorded. Plain Python: the Django side builds the
same field dictionaries from the rows for the payloads and for the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records.chain import Record

__all__ = [
    "ADOPTED",
    "KEYS",
    "REGISTERED",
    "Implied",
    "differences",
    "implied",
    "label",
]

REGISTERED = "registered"
"""The kind of a chain's first record: the registration's columns as created."""

ADOPTED = "adopted"
"""The other possible first record: a registration made before chains existed, its rows taken
as found (vouched for from then on, not before)."""

KEYS: Mapping[str, str] = {
    "status_change": "id",
    "extension": "id",
    "claim": "id",
    "signature": "id",
    "plan_unit": "unit",
}
"""Each collection a record can write, and the field that identifies one of its rows."""


@dataclass
class Implied:
    """What a chain says: each column's value and the record that set it, each row's fields
    and the record that last wrote them, and anything in the chain itself that makes no sense."""

    columns: dict[str, tuple[Any, int]] = field(default_factory=dict)
    rows: dict[str, dict[Any, tuple[dict[str, Any], int]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def implied(records: Sequence[Record]) -> Implied:
    """Fold a (verified) enrolment chain into the state it implies."""
    state = Implied(rows={name: {} for name in KEYS})
    for record in records:
        if record.seq == 1 and record.kind not in (REGISTERED, ADOPTED):
            state.problems.append(f"record 1 is {record.kind}, not the registration")
        payload = record.payload
        for column, value in dict(payload.get("set") or {}).items():
            state.columns[column] = (value, record.seq)
        for name, rows in dict(payload.get("replace") or {}).items():
            if name not in KEYS:
                state.problems.append(f"record {record.seq} replaces unknown {name} rows")
                continue
            state.rows[name] = {row[KEYS[name]]: (dict(row), record.seq) for row in rows}
        for name, rows in dict(payload.get("rows") or {}).items():
            if name not in KEYS:
                state.problems.append(f"record {record.seq} writes unknown {name} rows")
                continue
            for row in rows:
                state.rows[name][row[KEYS[name]]] = (dict(row), record.seq)
    return state


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    if isinstance(value, str):
        return value
    return repr(value)


def label(name: str, row: Mapping[str, Any]) -> str:
    """How a message names one row: "status change 4 (in_progress → withdrawn)"."""
    if name == "status_change":
        return f"status change {row.get('id')} ({row.get('from') or '-'} → {row.get('to')})"
    if name == "extension":
        return f"extension {row.get('id')} ({row.get('previous_end')} → {row.get('new_end')})"
    if name == "claim":
        what = "credit transfer" if row.get("kind") == "credit_transfer" else "RPL claim"
        return f"{what} for unit {row.get('unit')} (claim {row.get('id')})"
    if name == "signature":
        return f"signature {row.get('id')} ({row.get('document')}, {row.get('capacity')})"
    if name == "plan_unit":
        return f"plan unit {row.get('unit')}"
    return f"{name} {row.get(KEYS.get(name, 'id'))}"


def differences(
    state: Implied,
    columns: Mapping[str, Any],
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
) -> list[str]:
    """Every way the rows differ from what the chain implies, one line each.

    ``columns`` are the Registration's columns, ``rows`` each collection's rows, as the same
    field dictionaries the payloads hold."""
    found = list(state.problems)
    for column, actual in columns.items():
        if column not in state.columns:
            found.append(f"{column} is {_shown(actual)} but no record set it")
            continue
        expected, seq = state.columns[column]
        if actual != expected:
            found.append(
                f"{column} is {_shown(actual)} but record {seq} made it {_shown(expected)}"
            )
    for name, key in KEYS.items():
        wanted = dict(state.rows.get(name, {}))
        for row in rows.get(name, ()):
            ident = row[key]
            if ident not in wanted:
                found.append(f"{label(name, row)} was never recorded")
                continue
            expected_row, seq = wanted.pop(ident)
            for column in sorted(set(expected_row) | set(row)):
                if row.get(column) != expected_row.get(column):
                    found.append(
                        f"{label(name, expected_row)}: {column} is {_shown(row.get(column))} "
                        f"but record {seq} recorded {_shown(expected_row.get(column))}"
                    )
        for expected_row, seq in wanted.values():
            found.append(f"{label(name, expected_row)} recorded in record {seq} is gone")
    return found
