"""A hash chain of decision records (assessment judgements, sign-offs, reopenings).

Each record's hash covers every one of its fields, including the hash of the record before it,
so editing, deleting or reordering any stored record breaks the chain at that point and
``verify`` names the first broken link. Plain Python on purpose: the same code checks rows from
the database, an export file or a test, and it never needs Django.

Each chain is bound to what it records by its first link: the first record points at
``genesis(chain_id)``, so a chain moved to another registration or audit no longer verifies.
The chain proves that nothing was changed *after* it was written; it does not stop someone who
rewrites the whole chain from the edit onwards or deletes its tail: that needs the heads kept
elsewhere (``anchor``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
"""The ``prev_hash`` of the first record of an unbound chain (``chain_id`` empty)."""

DOMAIN = b"assay-record-v1\n"
"""Prefix of every hashed message, so a record hash can never collide with another SHA-256 use
of the same bytes (and a future encoding can change the prefix, not reinterpret old hashes)."""


def genesis(chain_id: str) -> str:
    """The ``prev_hash`` of a chain's first record: binds the chain to what it records
    ("registration:12", "audit:3"), so rows moved to another chain break at their first link."""
    if not chain_id:
        return GENESIS
    return hashlib.sha256(DOMAIN + b"genesis\n" + chain_id.encode("utf-8")).hexdigest()


class InvalidRecord(ValueError):
    """Content that cannot be recorded: not JSON-able, a float that is NaN or infinite,
    a non-text key, an empty kind or actor, a timestamp that is not ISO 8601 with an offset."""


@dataclass(frozen=True, slots=True)
class Record:
    """One decision as stored. ``payload`` is JSON-able; ``at`` is ISO 8601 with a UTC offset."""

    seq: int
    kind: str
    payload: Mapping[str, Any]
    actor: str
    at: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of checking a chain: ``first_broken`` is the seq where it first fails."""

    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str | None = None


def _check_json(value: Any, path: str) -> None:
    """Refuse what JSON would silently change (int keys become text) or cannot hold at all."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidRecord(f"{path}: {value} is not a finite number")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidRecord(f"{path}: key {key!r} is not text")
            _check_json(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]")
        return
    raise InvalidRecord(f"{path}: a {type(value).__name__} cannot be recorded (JSON values only)")


def canonical(payload: Any) -> bytes:
    """The one byte encoding of a JSON-able value: sorted keys, no spaces, UTF-8.

    Equal content gives equal bytes whatever the key order it was built in, which is what lets
    a hash computed today be recomputed from a database row or an export years later.
    """
    _check_json(payload, "payload")
    try:
        text = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        return text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as error:  # lone surrogates, NaN in a subclass
        raise InvalidRecord(f"payload: {error}") from error


def record_hash(
    seq: int,
    kind: str,
    payload: Mapping[str, Any],
    actor: str,
    at: str,
    prev_hash: str,
    *,
    stored: bool = False,
) -> str:
    """SHA-256 (hex) over the domain prefix and the canonical encoding of every field.

    ``stored``: the payload was read back from JSON (a database column, an export), so it can
    hold only JSON values with text keys; the per-value walk of ``canonical`` is skipped (it is
    most of the cost of verifying a large installation) and the encoder's own refusals remain.
    """
    fields = {
        "actor": actor,
        "at": at,
        "kind": kind,
        "payload": payload,
        "prev_hash": prev_hash,
        "seq": seq,
    }
    if not stored:
        return hashlib.sha256(DOMAIN + canonical(fields)).hexdigest()
    try:
        text = json.dumps(
            fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as error:
        raise InvalidRecord(f"payload: {error}") from error
    try:
        message = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidRecord(f"payload: {error}") from error
    return hashlib.sha256(DOMAIN + message).hexdigest()


def _check_at(at: str) -> None:
    try:
        moment = dt.datetime.fromisoformat(at)
    except (TypeError, ValueError) as error:
        raise InvalidRecord(f"at: {at!r} is not an ISO 8601 date and time") from error
    if moment.utcoffset() is None:
        raise InvalidRecord(f"at: {at!r} has no UTC offset, so it names no single moment")


def append(
    chain: Sequence[Record],
    *,
    kind: str,
    payload: Mapping[str, Any],
    actor: str,
    at: str,
    chain_id: str = "",
) -> Record:
    """The record that follows ``chain`` (which is not changed; the caller stores the result).

    The payload is stored as its canonical JSON read back, so the record holds exactly what was
    hashed (tuples become lists) and later edits to the caller's dict cannot reach it.
    Numbering starts at 1; the first record points at ``genesis(chain_id)``.
    """
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidRecord("kind: say what kind of decision this is")
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidRecord("actor: say who made the decision")
    if not isinstance(payload, Mapping):
        raise InvalidRecord("payload: must be a mapping of text keys to JSON values")
    _check_at(at)
    stored: dict[str, Any] = json.loads(canonical(payload))
    last = chain[-1] if chain else None
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else genesis(chain_id)
    return Record(
        seq=seq,
        kind=kind,
        payload=stored,
        actor=actor,
        at=at,
        prev_hash=prev_hash,
        # ``stored`` is canonical JSON read back, so the value walk ``canonical`` made above
        # need not be made twice (it was most of the cost of a bulk import's records).
        hash=record_hash(seq, kind, stored, actor, at, prev_hash, stored=True),
    )


def verify(records: Iterable[Record], chain_id: str = "", *, stored: bool = False) -> Verification:
    """Recompute the chain in order and name the first broken link and why.

    Checks, per record: its seq follows the one before (1 for the first), its hash matches its
    own content, and its ``prev_hash`` is the hash of the record before (``genesis(chain_id)``
    for the first: a chain moved from another registration fails there). A deleted or moved
    record shows up as a sequence fault at the seq that should have come next; an edited record
    as a hash mismatch at that record; an edited record whose hash was recomputed as a broken
    ``prev_hash`` on the record after it. ``stored``: the records were read from JSON
    (see ``record_hash``).
    """
    checked = 0
    previous: Record | None = None
    first = genesis(chain_id)
    for record in records:
        expected = previous.seq + 1 if previous else 1
        if record.seq != expected:
            if previous is None:
                reason = f"sequence gap: the chain starts at record {record.seq}, not at 1"
            elif record.seq > expected:
                reason = f"sequence gap after {previous.seq}"
            else:
                reason = f"sequence out of order after {previous.seq}: record {record.seq} follows"
            return Verification(False, checked, expected, reason)
        try:
            recomputed = record_hash(
                record.seq,
                record.kind,
                record.payload,
                record.actor,
                record.at,
                record.prev_hash,
                stored=stored,
            )
        except InvalidRecord as error:
            return Verification(
                False,
                checked,
                record.seq,
                f"record {record.seq}: its content is unreadable ({error})",
            )
        if recomputed != record.hash:
            reason = f"record {record.seq}: its hash does not match its content"
            return Verification(False, checked, record.seq, reason)
        if previous is None and record.prev_hash != first:
            reason = (
                f"record {record.seq}: prev_hash is not the genesis hash of {chain_id}"
                if chain_id
                else f"record {record.seq}: prev_hash is not the genesis hash"
            )
            return Verification(False, checked, record.seq, reason)
        if previous is not None and record.prev_hash != previous.hash:
            reason = f"record {record.seq}: prev_hash does not match record {previous.seq}"
            return Verification(False, checked, record.seq, reason)
        checked += 1
        previous = record
    return Verification(True, checked)
