"""Anchors: hand-worked Merkle roots, the comparison of rows with anchored heads, the
checkpoint log, and properties over any chain and any deletion."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.records import anchor, chain
from assay.engines.records.anchor import Head

A = Head("registration:1", 3, "a" * 64)
B = Head("audit:2", 1, "b" * 64)


def test_leaf_is_sha256_of_zero_byte_and_canonical_head() -> None:
    body = json.dumps({"chain": A.chain, "hash": A.hash, "length": 3}, separators=(",", ":"))
    assert anchor.leaf_hash(A) == hashlib.sha256(b"\x00" + body.encode()).hexdigest()


def test_root_of_nothing_one_and_two_heads() -> None:
    assert anchor.merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert anchor.merkle_root([A]) == anchor.leaf_hash(A)
    # sorted by chain name: "audit:2" before "registration:1", whatever the input order
    pair = hashlib.sha256(
        b"\x01" + bytes.fromhex(anchor.leaf_hash(B)) + bytes.fromhex(anchor.leaf_hash(A))
    ).hexdigest()
    assert anchor.merkle_root([A, B]) == anchor.merkle_root([B, A]) == pair


def test_odd_leaf_is_promoted_not_duplicated() -> None:
    c = Head("registration:9", 2, "c" * 64)
    two = anchor.merkle_root([A, B])
    expected = hashlib.sha256(
        b"\x01" + bytes.fromhex(two) + bytes.fromhex(anchor.leaf_hash(c))
    ).hexdigest()
    assert anchor.merkle_root([A, B, c]) == expected
    assert anchor.merkle_root([A, B, c, c]) != expected  # a repeated head is a different set


def _hashes(n: int, tag: str = "x") -> dict[int, str]:
    return {seq: hashlib.sha256(f"{tag}{seq}".encode()).hexdigest() for seq in range(1, n + 1)}


def test_compare_names_missing_chain_tail_and_rewrite() -> None:
    rows = {"registration:1": _hashes(5), "registration:2": _hashes(2)}
    anchored = {
        "registration:1": Head("registration:1", 5, rows["registration:1"][5]),
        "registration:2": Head("registration:2", 4, "f" * 64),
        "registration:3": Head("registration:3", 1, "e" * 64),
        "audit:7": Head("audit:7", 2, "d" * 64),
    }
    rows["audit:7"] = _hashes(3, "other")

    def at(name: str, n: int) -> str | None:
        return rows.get(name, {}).get(n)

    found = anchor.compare(anchored, {k: len(v) for k, v in rows.items()}, at)
    assert [(f.chain, f.kind, f.message) for f in found] == [
        ("audit:7", "rewritten", "record 2 differs from its anchored hash (history rewritten)"),
        (
            "registration:2",
            "missing-tail",
            "records 3–4 missing (anchored with 4, the database has 2)",
        ),
        ("registration:3", "missing-chain", "the whole chain is missing (anchored with 1 record)"),
    ]


def test_longer_chain_than_anchor_is_fine() -> None:
    rows = _hashes(9)
    anchored = {"c": Head("c", 4, rows[4])}
    assert anchor.compare(anchored, {"c": 9}, lambda _n, seq: rows.get(seq)) == []


def test_strongest_keeps_the_longest_and_reports_forks() -> None:
    best, forks = anchor.strongest(
        [Head("c", 2, "a" * 64), Head("c", 5, "b" * 64), Head("c", 2, "c" * 64)]
    )
    assert best == {"c": Head("c", 5, "b" * 64)}
    assert [f.message for f in forks] == ["record 2 was anchored with two different hashes"]


def test_checkpoint_log_verifies_and_names_edits() -> None:
    first = anchor.checkpoint_next(None, [A], "2013-03-01T09:00:00+00:00")
    second = anchor.checkpoint_next(first, [A, B], "2013-03-02T09:00:00+00:00")
    assert (first.seq, second.seq, second.prev_hash) == (1, 2, first.hash)
    assert anchor.checkpoints_verify([first, second]) == []
    assert anchor.checkpoints_verify([second]) == [
        "checkpoint 1 is missing (the log jumps to 2)",
        "checkpoint 2: does not follow checkpoint 0",
    ]
    forged = anchor.Checkpoint(1, first.at, first.root, (B,), first.prev_hash, first.hash)
    assert anchor.checkpoints_verify([forged, second]) == [
        "checkpoint 1: its heads do not give its root"
    ]


def _chain(name: str, n: int) -> list[chain.Record]:
    records: list[chain.Record] = []
    for i in range(n):
        records.append(
            chain.append(
                records,
                kind="criterion_judged",
                payload={"i": i},
                actor="alice (#2)",
                at="2013-03-01T09:00:00+00:00",
                chain_id=name,
            )
        )
    return records


@given(
    lengths=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=5),
    victim=st.integers(min_value=0, max_value=4),
    keep=st.integers(min_value=0, max_value=5),
)
def test_any_deleted_suffix_of_any_chain_is_found(
    lengths: list[int], victim: int, keep: int
) -> None:
    chains = {f"registration:{i}": _chain(f"registration:{i}", n) for i, n in enumerate(lengths)}
    anchored = {name: Head(name, len(rs), rs[-1].hash) for name, rs in chains.items()}
    name = f"registration:{victim % len(lengths)}"
    kept = min(keep, len(chains[name]) - 1)  # delete at least the newest record
    chains[name] = chains[name][:kept]
    rows = {k: {r.seq: r.hash for r in v} for k, v in chains.items()}
    found = anchor.compare(
        anchored, {k: len(v) for k, v in chains.items()}, lambda c, n: rows[c].get(n)
    )
    assert [f.chain for f in found] == [name]
    assert found[0].kind == ("missing-chain" if kept == 0 else "missing-tail")


@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=8, unique=True))
def test_changing_any_head_changes_the_root(lengths: list[int]) -> None:
    heads = [
        Head(f"c{i}", n, hashlib.sha256(str(n).encode()).hexdigest()) for i, n in enumerate(lengths)
    ]
    root = anchor.merkle_root(heads)
    for i, head in enumerate(heads):
        changed = [*heads[:i], Head(head.chain, head.length + 1, head.hash), *heads[i + 1 :]]
        assert anchor.merkle_root(changed) != root


def test_a_chain_is_bound_to_its_name() -> None:
    records = _chain("registration:1", 3)
    assert chain.verify(records, "registration:1").ok
    moved = chain.verify(records, "registration:2")
    assert (moved.ok, moved.first_broken) == (False, 1)
    assert moved.reason == "record 1: prev_hash is not the genesis hash of registration:2"
    assert chain.genesis("") == chain.GENESIS != chain.genesis("registration:1")


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), JSON, max_size=5))
def test_the_stored_shortcut_hashes_exactly_like_the_checked_path(payload: dict) -> None:
    """Verify skips the value walk for payloads read back from JSON: same bytes, same hash."""
    args = (3, "criterion_judged", payload, "alice (#2)", "2013-03-01T09:00:00+00:00", "0" * 64)
    stored = json.loads(chain.canonical(payload))
    assert chain.record_hash(*args) == chain.record_hash(
        3, "criterion_judged", stored, *args[3:], stored=True
    )
