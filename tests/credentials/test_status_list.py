"""W3C Bitstring Status List encoding: round trips, the 16 KB minimum, bit order."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.credentials import status_list
from assay.engines.credentials.multibase import (
    b58decode,
    b58encode,
    decode_base64url,
    encode_base64url,
)
from assay.engines.credentials.status_list import MIN_BITS, StatusListError

indexes = st.frozensets(st.integers(min_value=0, max_value=MIN_BITS - 1), max_size=50)


@given(indexes)
def test_roundtrip(revoked: frozenset[int]) -> None:
    encoded = status_list.encode(revoked)
    assert encoded.startswith("u")
    bits = status_list.decode(encoded)
    assert len(bits) * 8 == MIN_BITS
    assert status_list.revoked_indexes(bits) == revoked
    for index in list(revoked)[:5]:
        assert status_list.is_set(bits, index)


@given(indexes, st.integers(min_value=0, max_value=MIN_BITS - 1))
def test_only_the_set_bits_are_set(revoked: frozenset[int], probe: int) -> None:
    bits = status_list.decode(status_list.encode(revoked))
    assert status_list.is_set(bits, probe) == (probe in revoked)


@given(indexes)
def test_encoding_is_deterministic(revoked: frozenset[int]) -> None:
    assert status_list.encode(revoked) == status_list.encode(set(revoked))


@given(st.binary(max_size=64))
def test_base58_and_base64url_roundtrip(data: bytes) -> None:
    assert b58decode(b58encode(data)) == data
    assert decode_base64url(encode_base64url(data)) == data


def test_index_zero_is_the_leftmost_bit() -> None:
    bits = status_list.decode(status_list.encode({0, 9}))
    assert bits[0] == 0x80 and bits[1] == 0x40


def test_the_minimum_size_and_bad_input_are_refused() -> None:
    with pytest.raises(StatusListError, match="at least"):
        status_list.encode(set(), length=8)
    with pytest.raises(StatusListError, match="outside"):
        status_list.encode({MIN_BITS})
    short = encode_base64url(gzip.compress(b"\0" * 100))
    with pytest.raises(StatusListError, match="shorter"):
        status_list.decode(short)
    with pytest.raises(StatusListError, match="gzip"):
        status_list.decode(encode_base64url(b"not gzip"))
    with pytest.raises(StatusListError):
        status_list.decode("zabc")
    bomb = encode_base64url(gzip.compress(b"\0" * (status_list.MAX_BYTES + 10)))
    with pytest.raises(StatusListError, match="larger"):
        status_list.decode(bomb)
