"""Writing generic chained records, anchoring every chain's head, and verifying everything.

Anchors live in two places the rows are not: the ``Checkpoint`` table (a chained log of Merkle
roots) and the anchor log file (``ASSAY_ANCHOR_LOG``, JSON lines appended after each commit and
by each checkpoint). The file is the one that survives a restored database or an attacker who
rewrites tables; keep it on storage the database account cannot write (docs/records.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from assay import clock
from assay.engines.records import anchor, chain
from assay.errors import InvalidInput
from assay.records.models import ChainRecord, Checkpoint
from assay.records.registry import (
    RECONCILERS,
    SOURCES,
    Checked,
    Heads,
    Problem,
    Source,
    prefix_of,
    source_register,
)
from assay.users import User

STALE = "someone else recorded an act here at the same moment; reload"


def actor_label(user: User | None) -> str:
    """Who acted, as hashed into a record: the username and the account id."""
    if user is None:
        return "system"
    return f"{user.get_username()} (#{user.pk})"


def actor_id_of(label: str) -> int | None:
    """The account id hashed into an actor label ("ann (#12)" -> 12; "system" -> None)."""
    if label.endswith(")") and "(#" in label:
        digits = label.rsplit("(#", 1)[1][:-1]
        if digits.isdigit():
            return int(digits)
    return None


# --- anchor log file -------------------------------------------------------------------------


def _anchor_setting() -> Path:
    return Path(getattr(settings, "ASSAY_ANCHOR_LOG", "") or settings.DATA_DIR / "anchors.log")


def anchor_log_path() -> Path:
    """The anchor log this process appends to. When ``ASSAY_ANCHOR_LOG`` is a directory
    (several machines sharing one mount), each host writes a file of its own in it,
    ``<host name>.log``, so no lock has to work across machines."""
    configured = _anchor_setting()
    if configured.is_dir():
        return configured / f"{socket.gethostname() or 'host'}.log"
    return configured


def anchor_log_files() -> list[Path]:
    """Every anchor log to read: the one file, or each host's file in the directory. Heads
    from all of them are merged (the longest head of each chain wins, as with copies)."""
    configured = _anchor_setting()
    if configured.is_dir():
        return sorted(p for p in configured.glob("*.log") if p.is_file())
    return [configured]


def _log_write(lines: Iterable[dict[str, Any]]) -> None:
    """Append JSON lines under an exclusive lock, one ``write`` for all, then fsync."""
    path = anchor_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n" for line in lines)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def head_anchor(name: str, length: int, head: str, at: str) -> None:
    """After the transaction that appended record ``length`` commits, log the new head. A
    rolled-back act logs nothing; a crash between commit and log leaves the anchor one behind
    (a missed anchor, never a false alarm)."""
    line = {"type": "head", "chain": name, "length": length, "hash": head, "at": at}
    transaction.on_commit(lambda: _log_write([line]), robust=True)


def anchor_log_read(
    path: Path | None = None, only: str | None = None
) -> tuple[list[anchor.Head], list[str]]:
    """Every head in an anchor log (head lines and checkpoint lines), and unreadable lines.
    ``only``: head lines of other chains are skipped unparsed (a certificate issue checks one
    audit against a log of every act of the installation). No path: every live log."""
    if path is None:
        heads: list[anchor.Head] = []
        problems: list[str] = []
        for each in anchor_log_files():
            more, unreadable = anchor_log_read(each, only)
            heads += more
            problems += unreadable
        return heads, problems
    heads = []
    problems = []
    if not path.exists():
        return heads, problems
    wanted = json.dumps({"chain": only}, separators=(",", ":"))[1:-1] if only else ""
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if wanted and wanted not in text and '"type":"checkpoint"' not in text:
                continue
            try:
                line = json.loads(text)
                if line.get("type") == "head":
                    heads.append(anchor.Head(line["chain"], int(line["length"]), line["hash"]))
                elif line.get("type") == "checkpoint":
                    heads.extend(anchor.Head(c, int(n), h) for c, n, h in line["heads"])
                else:
                    raise ValueError("unknown line type")
            except (ValueError, KeyError, TypeError):
                problems.append(f"{path.name} line {number}: not an anchor line")
    return heads, problems


def anchor_log_orphaned() -> str | None:
    """A sentence when the anchor log names chains but the database holds none at all: a
    deleted or replaced database (by accident or not). Commands that would start writing
    new chains over it (``assay demo``) stop and say so instead of forking the history."""
    heads, _ = anchor_log_read()
    if not heads or heads_all():
        return None
    chains = len({h.chain for h in heads})
    return (
        f"the anchor log {anchor_log_path()} names {chains} chain(s) but this database holds "
        "none: it was deleted or replaced. If that was on purpose, move the anchor log away "
        "(keep it: it is the evidence of what the old database held) and run again; to check "
        "a restored database against it, run `assay records verify`."
    )


# --- generic chains --------------------------------------------------------------------------


def as_record(row: ChainRecord) -> chain.Record:
    return chain.Record(
        row.seq, row.kind, row.payload, row.actor_name, row.at, row.prev_hash, row.hash
    )


def record_append(
    name: str, *, kind: str, payload: Mapping[str, Any], by: User | None
) -> ChainRecord:
    """Append one act to chain ``name`` inside the caller's transaction (which should hold a
    lock on the subject's row). Two writers racing for one seq: the second is refused."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_append must run inside transaction.atomic()")
    last = ChainRecord.objects.filter(chain=name).order_by("-seq").first()
    record = chain.append(
        [as_record(last)] if last else [],
        kind=kind,
        payload=payload,
        actor=actor_label(by),
        at=clock.now().isoformat(),
        chain_id=name,
    )
    try:
        with transaction.atomic():
            row = _row(name, record, by)
            row.save(force_insert=True)
    except IntegrityError as error:
        raise InvalidInput({"record": STALE}) from error
    head_anchor(name, record.seq, record.hash, record.at)
    return row


def _row(name: str, record: chain.Record, by: User | None) -> ChainRecord:
    """The database row of an appended record (not saved)."""
    return ChainRecord(
        chain=name,
        seq=record.seq,
        kind=record.kind,
        payload=dict(record.payload),
        actor_id=by.pk if by is not None else None,
        actor_name=record.actor,
        at=record.at,
        prev_hash=record.prev_hash,
        hash=record.hash,
    )


def record_append_many(
    entries: Sequence[tuple[str, str, Mapping[str, Any]]], *, by: User | None
) -> list[ChainRecord]:
    """``record_append`` for many chains at once (``(chain, kind, payload)``, one per chain):
    one query for the chains' heads, one multi-row insert, and one write of the anchor log
    after the commit, whatever the number of records. A bulk import starts thousands of
    chains in one transaction; appending them one by one costs a query and an fsync each."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_append_many must run inside transaction.atomic()")
    names = [name for name, _, _ in entries]
    if len(set(names)) != len(names):
        raise ValueError("record_append_many appends one record per chain")
    last: dict[str, ChainRecord] = {}
    for row in ChainRecord.objects.filter(chain__in=names).order_by("chain", "seq"):
        last[row.chain] = row
    at = clock.now().isoformat()
    actor = actor_label(by)
    rows: list[ChainRecord] = []
    for name, kind, payload in entries:
        before = last.get(name)
        record = chain.append(
            [as_record(before)] if before else [],
            kind=kind,
            payload=payload,
            actor=actor,
            at=at,
            chain_id=name,
        )
        rows.append(_row(name, record, by))
    try:
        with transaction.atomic():
            ChainRecord.objects.bulk_create(rows)
    except IntegrityError as error:
        raise InvalidInput({"record": STALE}) from error
    heads = [(row.chain, row.seq, row.hash) for row in rows]
    transaction.on_commit(
        lambda: _log_write(
            {"type": "head", "chain": name, "length": seq, "hash": head, "at": at}
            for name, seq, head in heads
        ),
        robust=True,
    )
    return rows


def chain_records(name: str) -> list[chain.Record]:
    return [as_record(r) for r in ChainRecord.objects.filter(chain=name).order_by("seq")]


def _generic_check(only: str | None) -> Checked:
    rows = ChainRecord.objects.order_by("chain", "seq").values_list(
        "chain", "seq", "kind", "payload", "actor_id", "actor_name", "at", "prev_hash", "hash"
    )
    if only is not None:
        rows = rows.filter(chain=only)
    grouped: dict[str, list[chain.Record]] = {}
    actors: dict[str, list[tuple[int, int | None]]] = {}
    for name, seq, kind, payload, actor_id, actor, at, prev, head in rows.iterator(2000):
        grouped.setdefault(name, []).append(chain.Record(seq, kind, payload, actor, at, prev, head))
        actors.setdefault(name, []).append((seq, actor_id))
    problems: list[Problem] = []
    by_prefix: dict[str, dict[str, list[chain.Record]]] = {}
    for name, records in grouped.items():
        verification = chain.verify(records, name, stored=True)
        if not verification.ok:
            problems.append(Problem(name, broken_line(verification)))
            continue
        for seq, column_actor in actors[name]:
            if actor_id_of(records[seq - 1].actor) != column_actor:
                problems.append(
                    Problem(name, f"record {seq}: its actor column is not the hashed actor")
                )
        by_prefix.setdefault(prefix_of(name), {})[name] = records
    for prefix, reconcile in RECONCILERS.items():
        if only is not None and prefix_of(only) != prefix:
            continue
        problems.extend(reconcile(by_prefix.get(prefix, {}), only))
    return Checked(len(grouped), sum(len(r) for r in grouped.values()), problems)


def broken_line(v: chain.Verification) -> str:
    """One line for a broken chain: where, why, and how much before it still checks out."""
    reason = v.reason or "broken"
    where = reason if reason.startswith("record ") else f"record {v.first_broken}: {reason}"
    return f"{where} ({v.checked} records before it check out)"


def _generic_heads() -> Heads:
    heads: Heads = {}
    for name, seq, head in (
        ChainRecord.objects.order_by("chain", "seq")
        .values_list("chain", "seq", "hash")
        .iterator(chunk_size=5000)
    ):
        heads[name] = (seq, head)
    return heads


def _generic_hash_at(wanted: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    names = {name for name, _ in wanted}
    want = set(wanted)
    for name, seq, head in ChainRecord.objects.filter(chain__in=names).values_list(
        "chain", "seq", "hash"
    ):
        if (name, seq) in want:
            found[(name, seq)] = head
    return found


def _generic_lengths(names: Sequence[str]) -> dict[str, int]:
    rows = (
        ChainRecord.objects.filter(chain__in=list(names))
        .values("chain")
        .annotate(n=Max("seq"))
        .values_list("chain", "n")
    )
    return dict(rows)


GENERIC = Source(
    name="chained records",
    prefixes=(),
    check=_generic_check,
    heads=_generic_heads,
    hash_at=_generic_hash_at,
    lengths_of=_generic_lengths,
)
source_register(GENERIC)


# --- checkpoints -----------------------------------------------------------------------------


def heads_all() -> Heads:
    heads: Heads = {}
    for source in SOURCES.values():
        heads.update(source.heads())
    return heads


def _as_checkpoint(row: Checkpoint) -> anchor.Checkpoint:
    return anchor.Checkpoint(
        row.seq,
        row.at,
        row.root,
        tuple(anchor.Head(c, int(n), h) for c, n, h in row.heads),
        row.prev_hash,
        row.hash,
    )


def _checkpoint_line(entry: anchor.Checkpoint) -> dict[str, Any]:
    return {
        "type": "checkpoint",
        "seq": entry.seq,
        "at": entry.at,
        "root": entry.root,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "heads": [[h.chain, h.length, h.hash] for h in entry.heads],
    }


def checkpoint_write() -> anchor.Checkpoint:
    """Fold every chain's head into the next checkpoint; store it and append it to the log."""
    with transaction.atomic():
        last = Checkpoint.objects.select_for_update().order_by("-seq").first()
        heads = [anchor.Head(name, n, h) for name, (n, h) in heads_all().items()]
        entry = anchor.checkpoint_next(
            _as_checkpoint(last) if last else None, heads, clock.now().isoformat()
        )
        Checkpoint.objects.create(
            seq=entry.seq,
            at=entry.at,
            root=entry.root,
            heads=[[h.chain, h.length, h.hash] for h in entry.heads],
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
        line = _checkpoint_line(entry)
        transaction.on_commit(lambda: _log_write([line]), robust=True)
    return entry


def heads_of(names: Sequence[str]) -> list[anchor.Head]:
    """The current head of each named chain that exists (a handful of queries per source)."""
    lengths: dict[str, int] = {}
    for source in SOURCES.values():
        if source.lengths_of is not None:
            lengths.update(source.lengths_of(names))
    wanted = list(lengths.items())
    hashes: dict[tuple[str, int], str] = {}
    for source in SOURCES.values():
        hashes.update(source.hash_at(wanted))
    return [
        anchor.Head(name, n, hashes[(name, n)])
        for name, n in sorted(lengths.items())
        if (name, n) in hashes
    ]


def anchor_lines(names: Sequence[str]) -> Iterator[str]:
    """Head lines (the anchor log's format) of the named chains as they are now: a copy for
    someone to keep and hand back to ``assay records verify --anchors``."""
    at = clock.now().isoformat()
    for head in heads_of(names):
        line = {"type": "head", "chain": head.chain, "length": head.length, "hash": head.hash}
        yield json.dumps({**line, "at": at}, sort_keys=True, separators=(",", ":")) + "\n"


def checkpoint_export_lines() -> Iterator[str]:
    """The checkpoint log as JSON lines, for a centre or an EV to keep a copy."""
    for row in Checkpoint.objects.order_by("seq").iterator(chunk_size=50):
        yield json.dumps(_checkpoint_line(_as_checkpoint(row)), sort_keys=True) + "\n"


# --- verification ----------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of ``records_verify``: counts, and every problem with the chain it names."""

    chains: int = 0
    records: int = 0
    anchored_chains: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def records_verify(
    only: str | None = None, anchor_files: Sequence[Path] = (), *, files: bool = False
) -> Report:
    """Recompute every chain, reconcile the rows the app reads with them, and check them
    against every anchor: the checkpoint table, the anchor log and any exported copies.
    ``files`` also re-hashes every stored evidence file (reads them all: slow on big stores)."""
    report = Report()
    for source in SOURCES.values():
        if only is not None and source.prefixes and prefix_of(only) not in source.prefixes:
            continue
        checked = source.check(only)
        report.chains += checked.chains
        report.records += checked.records
        report.problems.extend(checked.problems)
        if files and source.files is not None:
            report.problems.extend(source.files())
    log = [_as_checkpoint(r) for r in Checkpoint.objects.order_by("seq")]
    report.checkpoints = len(log)
    report.problems.extend(Problem("checkpoints", p) for p in anchor.checkpoints_verify(log))
    anchors: list[anchor.Head] = [h for entry in log for h in entry.heads]
    for path in [*anchor_log_files(), *anchor_files]:
        heads, unreadable = anchor_log_read(path, only)
        anchors.extend(heads)
        report.problems.extend(Problem(str(path.name), p) for p in unreadable)
    if only is not None:
        anchors = [h for h in anchors if h.chain == only]
    best, forks = anchor.strongest(anchors)
    report.anchored_chains = len(best)
    report.problems.extend(Problem(f.chain, f.message) for f in forks)
    current = heads_all()
    lengths = {name: n for name, (n, _) in current.items()}
    wanted = [(name, h.length) for name, h in best.items() if lengths.get(name, 0) >= h.length]
    hashes: dict[tuple[str, int], str] = {}
    for source in SOURCES.values():
        hashes.update(source.hash_at(wanted))
    findings = anchor.compare(best, lengths, lambda name, n: hashes.get((name, n)))
    report.problems.extend(Problem(f.chain, f.message) for f in findings)
    return report
