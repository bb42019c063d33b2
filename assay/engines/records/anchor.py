"""Anchors: the heads of every chain, kept apart from the rows, so a deleted tail, a deleted
chain, a rewritten history or a restored old backup is found.

A hash chain alone proves only that its records agree with each other: whoever can write the
database can delete the newest records, or a whole chain, and what is left still verifies. An
anchor is a (chain, length, head hash) seen at some moment and kept somewhere the rows are not
(an append-only file, a checkpoint an external verifier downloaded). ``compare`` checks the rows
against the strongest anchor of each chain and names what is missing or was rewritten.

A checkpoint folds every head into one Merkle root (RFC 6962 style: leaves and nodes hashed with
different prefixes), so a centre or an EV can keep one line and later prove that a given chain
head was part of it. Checkpoints are themselves chained, so the checkpoint log is append-only in
the same sense as the records. Plain Python: no Django, no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assay.engines.records.chain import canonical

CHECKPOINT_DOMAIN = b"assay-checkpoint-v1\n"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True, slots=True, order=True)
class Head:
    """One chain's length and the hash of its last record (``length`` 0: an empty chain)."""

    chain: str
    length: int
    hash: str


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the rows no longer show that an anchor proves was there."""

    chain: str
    kind: str  # "missing-chain" | "missing-tail" | "rewritten" | "fork"
    message: str


def leaf_hash(head: Head) -> str:
    """The Merkle leaf of one head: 0x00 prefix, then the canonical JSON of the head."""
    body = canonical({"chain": head.chain, "hash": head.hash, "length": head.length})
    return hashlib.sha256(b"\x00" + body).hexdigest()


def _node(left: str, right: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def merkle_root(heads: Iterable[Head]) -> str:
    """The root over the heads sorted by chain name (SHA-256 of nothing for no heads).

    An odd node at the end of a level is promoted unchanged (as in RFC 6962's tree shape), so
    no two different sets of heads give the same root.
    """
    level = [leaf_hash(h) for h in sorted(heads, key=lambda h: h.chain)]
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One entry of the checkpoint log: every chain's head at ``at``, folded into ``root``."""

    seq: int
    at: str
    root: str
    heads: tuple[Head, ...]
    prev_hash: str
    hash: str


def checkpoint_hash(seq: int, at: str, root: str, prev_hash: str) -> str:
    body = canonical({"at": at, "prev_hash": prev_hash, "root": root, "seq": seq})
    return hashlib.sha256(CHECKPOINT_DOMAIN + body).hexdigest()


def checkpoint_next(previous: Checkpoint | None, heads: Iterable[Head], at: str) -> Checkpoint:
    """The checkpoint that follows ``previous`` (``None``: the first), over ``heads``."""
    ordered = tuple(sorted(heads, key=lambda h: h.chain))
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else "0" * 64
    root = merkle_root(ordered)
    return Checkpoint(seq, at, root, ordered, prev_hash, checkpoint_hash(seq, at, root, prev_hash))


def checkpoints_verify(log: Sequence[Checkpoint]) -> list[str]:
    """Problems with the checkpoint log itself: a gap, an edited entry, heads that do not
    fold into the recorded root."""
    problems: list[str] = []
    previous: Checkpoint | None = None
    for entry in log:
        expected = previous.seq + 1 if previous else 1
        if entry.seq != expected:
            problems.append(f"checkpoint {expected} is missing (the log jumps to {entry.seq})")
        if entry.prev_hash != (previous.hash if previous else "0" * 64):
            problems.append(f"checkpoint {entry.seq}: does not follow checkpoint {expected - 1}")
        if checkpoint_hash(entry.seq, entry.at, entry.root, entry.prev_hash) != entry.hash:
            problems.append(f"checkpoint {entry.seq}: its hash does not match its content")
        if merkle_root(entry.heads) != entry.root:
            problems.append(f"checkpoint {entry.seq}: its heads do not give its root")
        previous = entry
    return problems


def strongest(anchors: Iterable[Head]) -> tuple[dict[str, Head], list[Finding]]:
    """The longest anchored head of each chain, and a ``fork`` finding wherever two anchors
    name different hashes for the same record (two histories were both anchored)."""
    best: dict[str, Head] = {}
    seen: dict[tuple[str, int], str] = {}
    findings: list[Finding] = []
    for head in anchors:
        key = (head.chain, head.length)
        if key in seen and seen[key] != head.hash:
            findings.append(
                Finding(
                    head.chain,
                    "fork",
                    f"record {head.length} was anchored with two different hashes",
                )
            )
        seen.setdefault(key, head.hash)
        if head.chain not in best or head.length > best[head.chain].length:
            best[head.chain] = head
    return best, findings


def compare(
    anchored: Mapping[str, Head],
    lengths: Mapping[str, int],
    hash_at: Callable[[str, int], str | None],
) -> list[Finding]:
    """What the rows (``lengths`` per chain, ``hash_at(chain, seq)``) lack against the anchors.

    A chain longer than its anchor is fine (newer records); the anchored record must still be
    there with the anchored hash. Findings are sorted by chain for a stable report.
    """
    findings: list[Finding] = []
    for name in sorted(anchored):
        head = anchored[name]
        if head.length == 0:
            continue
        have = lengths.get(name, 0)
        if have == 0:
            findings.append(
                Finding(
                    name,
                    "missing-chain",
                    "the whole chain is missing "
                    f"(anchored with {head.length} record{'s' if head.length != 1 else ''})",
                )
            )
        elif have < head.length:
            gone = head.length - have
            span = f"record {have + 1}" if gone == 1 else f"records {have + 1}–{head.length}"
            findings.append(
                Finding(
                    name,
                    "missing-tail",
                    f"{span} missing (anchored with {head.length}, the database has {have})",
                )
            )
        elif hash_at(name, head.length) != head.hash:
            findings.append(
                Finding(
                    name,
                    "rewritten",
                    f"record {head.length} differs from its anchored hash (history rewritten)",
                )
            )
    return findings
