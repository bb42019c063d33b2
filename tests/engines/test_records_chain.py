"""Decision records: a hash chain that names the first broken link."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.records import (
    GENESIS,
    InvalidRecord,
    Record,
    append,
    canonical,
    record_hash,
    verify,
)

from .strategies import FAST

AT = "2013-03-01T10:00:00+00:00"


def build(n: int) -> list[Record]:
    chain: list[Record] = []
    for i in range(n):
        chain.append(
            append(
                chain,
                kind="criterion.judged",
                payload={"unit": "401", "criterion": f"1.{i + 1}", "met": i % 2 == 0},
                actor=f"assessor-{i % 3}",
                at=f"2013-03-{i % 28 + 1:02d}T10:00:00+00:00",
            )
        )
    return chain


def test_first_record_points_at_genesis_and_numbering_starts_at_one() -> None:
    chain = build(3)
    assert [r.seq for r in chain] == [1, 2, 3]
    assert chain[0].prev_hash == GENESIS == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    assert verify(chain) == verify(iter(chain))
    result = verify(chain)
    assert (result.ok, result.checked, result.first_broken, result.reason) == (True, 3, None, None)


def test_empty_chain_verifies() -> None:
    assert verify([]).ok and verify([]).checked == 0


def test_canonical_is_key_order_independent_utf8_and_compact() -> None:
    assert (
        canonical({"b": 1, "a": "é"}) == canonical({"a": "é", "b": 1}) == '{"a":"é","b":1}'.encode()
    )
    with pytest.raises(InvalidRecord):
        canonical({"x": float("nan")})
    with pytest.raises(InvalidRecord):
        canonical({"x": [float("inf")]})
    with pytest.raises(InvalidRecord):
        canonical({1: "int keys would silently become text"})
    with pytest.raises(InvalidRecord):
        canonical({"x": {1, 2}})


def test_record_hash_is_domain_separated_sha256_of_every_field() -> None:
    fields: dict[str, Any] = {
        "actor": "a",
        "at": AT,
        "kind": "k",
        "payload": {"p": 1},
        "prev_hash": GENESIS,
        "seq": 1,
    }
    expected = hashlib.sha256(b"assay-record-v1\n" + canonical(fields)).hexdigest()
    assert record_hash(1, "k", {"p": 1}, "a", AT, GENESIS) == expected
    assert expected != hashlib.sha256(canonical(fields)).hexdigest()


def test_append_refuses_bad_input() -> None:
    with pytest.raises(InvalidRecord, match="offset"):
        append([], kind="k", payload={}, actor="a", at="2013-03-01T10:00:00")
    with pytest.raises(InvalidRecord, match="ISO 8601"):
        append([], kind="k", payload={}, actor="a", at="yesterday")
    with pytest.raises(InvalidRecord, match="kind"):
        append([], kind=" ", payload={}, actor="a", at=AT)
    with pytest.raises(InvalidRecord, match="actor"):
        append([], kind="k", payload={}, actor="", at=AT)
    with pytest.raises(InvalidRecord, match="finite"):
        append([], kind="k", payload={"score": float("nan")}, actor="a", at=AT)


def test_append_stores_what_was_hashed_not_the_callers_dict() -> None:
    payload: dict[str, Any] = {"items": ("a", "b")}
    record = append([], kind="k", payload=payload, actor="a", at=AT)
    payload["items"] = ("changed",)
    assert record.payload == {"items": ["a", "b"]}
    assert verify([record]).ok
    # a stored chain read back from JSON (database row, export) still verifies
    restored = [Record(**json.loads(json.dumps(dataclasses.asdict(r)))) for r in build(4)]
    assert verify(restored).ok


def edit(chain: list[Record], seq: int, **changes: Any) -> list[Record]:
    return [dataclasses.replace(r, **changes) if r.seq == seq else r for r in chain]


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"unit": "401", "criterion": "1.7", "met": True, "note": "added"}},
        {"actor": "someone-else"},
        {"at": "2013-03-08T10:00:01+00:00"},
        {"kind": "unit.signed_off"},
    ],
)
def test_hand_edited_field_is_named_at_that_record(change: dict[str, Any]) -> None:
    result = verify(edit(build(10), 7, **change))
    assert not result.ok
    assert result.first_broken == 7
    assert result.checked == 6
    assert result.reason == "record 7: its hash does not match its content"


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    chain = build(10)
    old = chain[6]
    payload = {**old.payload, "met": not old.payload["met"]}
    forged = dataclasses.replace(
        old,
        payload=payload,
        hash=record_hash(7, old.kind, payload, old.actor, old.at, old.prev_hash),
    )
    result = verify([*chain[:6], forged, *chain[7:]])
    assert result.first_broken == 8
    assert result.reason == "record 8: prev_hash does not match record 7"


def test_deleted_record_is_a_sequence_gap() -> None:
    chain = build(10)
    del chain[5]  # record 6
    result = verify(chain)
    assert (result.ok, result.first_broken, result.reason) == (False, 6, "sequence gap after 5")


def test_deleted_first_record() -> None:
    result = verify(build(4)[1:])
    assert result.first_broken == 1
    assert result.reason == "sequence gap: the chain starts at record 2, not at 1"


def test_deleted_record_with_renumbered_rest_breaks_the_link() -> None:
    chain = build(6)
    renumbered = chain[:2] + [dataclasses.replace(r, seq=r.seq - 1) for r in chain[3:]]
    result = verify(renumbered)
    assert result.first_broken == 3
    assert result.reason == "record 3: its hash does not match its content"


def test_reordered_records() -> None:
    chain = build(8)
    chain[3], chain[4] = chain[4], chain[3]
    result = verify(chain)
    assert (result.first_broken, result.reason) == (4, "sequence gap after 3")
    repeated = build(5)
    repeated.insert(3, repeated[1])
    result = verify(repeated)
    assert result.first_broken == 4
    assert result.reason == "sequence out of order after 3: record 2 follows"


def test_first_record_must_start_from_genesis() -> None:
    chain = build(3)
    first = chain[0]
    rooted = dataclasses.replace(
        first,
        prev_hash="1" * 64,
        hash=record_hash(1, first.kind, first.payload, first.actor, first.at, "1" * 64),
    )
    result = verify([rooted, *chain[1:]])
    assert (result.first_broken, result.reason) == (
        1,
        "record 1: prev_hash is not the genesis hash",
    )


def test_unreadable_content_is_reported_not_raised() -> None:
    chain = edit(build(3), 2, payload={"x": float("nan")})
    result = verify(chain)
    assert result.first_broken == 2
    assert result.reason is not None and result.reason.startswith("record 2: its content")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
entries = st.tuples(
    st.text(min_size=1).filter(str.strip),
    st.dictionaries(st.text(), json_values, max_size=4),
    st.text(min_size=1).filter(str.strip),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
)


def chain_of(items: list[tuple[str, dict[str, Any], str, str]]) -> list[Record]:
    chain: list[Record] = []
    for kind, payload, actor, at in items:
        chain.append(append(chain, kind=kind, payload=payload, actor=actor, at=at))
    return chain


@FAST
@given(st.lists(entries, max_size=25))
def test_untouched_chain_of_any_length_verifies(items: list[Any]) -> None:
    chain = chain_of(items)
    result = verify(chain)
    assert result.ok and result.checked == len(chain)


FIELDS = ("seq", "kind", "payload", "actor", "at", "prev_hash", "hash")


@FAST
@given(st.lists(entries, min_size=1, max_size=12), st.data())
def test_any_single_field_change_is_detected_at_that_record(items: list[Any], data: Any) -> None:
    chain = chain_of(items)
    target = data.draw(st.sampled_from(chain))
    field = data.draw(st.sampled_from(FIELDS))
    old = getattr(target, field)
    new: Any
    if field == "seq":
        new = data.draw(st.integers().filter(lambda n: n != old))
    elif field == "payload":
        new = data.draw(
            st.dictionaries(st.text(), json_values, max_size=4).filter(
                lambda p: canonical(p) != canonical(old)
            )
        )
    elif field in ("prev_hash", "hash"):
        new = data.draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
        if new == old:
            new = ("1" if old[0] != "1" else "2") + old[1:]
    else:
        new = data.draw(st.text().filter(lambda s: s != old))
    changed = (
        edit(chain, target.seq, **{field: new})
        if field != "seq"
        else [dataclasses.replace(r, seq=new) if r is target else r for r in chain]
    )
    result = verify(changed)
    assert not result.ok
    assert result.first_broken == target.seq
    assert result.checked == target.seq - 1
