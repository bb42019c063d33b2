"""Decisions for many plans at once (an awarding body re-checks every registration nightly).

One product of the plans with a per-unit feature matrix (a few bit-packed float32 columns, a
matrix-vector product each) gives every floor and cap test at once. A plan that misses a floor
with everything counted fails (floors only gain from more units); one that meets the floors
and overruns no cap is achieved. The rest, where a cap binds, depend only on which capped
units are held and on the (clipped) floor totals of the other units, so each distinct such
signature is decided once, exactly (every possible one up front when there are few, making it
a table lookup), and the answer scattered back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .linear import Bools, Ints, Linear, linearise
from .model import Mandatory, Spec
from .select import met, subsets

Floats = npt.NDArray[np.float32]
CHUNK = 4_096
"""Rows per block: the float32 copy of a block (4,096 x units x 4 bytes, about 0.5 MB for 33
units) stays in a core's L2 cache between its conversion and its product; 32,768-row blocks
overflowed it and made even the credit-sum floor 2-2.4x slower."""
TABLE_UP_TO = 16
"""Capped units beyond this are decided per signature by the evaluator instead of a table."""
LOOKUP_UP_TO = 1 << 16
"""Signature spaces up to this size are decided in full when compiling (a lookup table)."""
_EXACT_BITS = 24
"""float32 holds integers exactly below 2**24: the bits every packed column may use."""


@dataclass(frozen=True, slots=True)
class Column:
    """One float32 column of the product, holding floor tests or cap tests. A column with one
    test compares with ``threshold`` directly; others add ``bias`` and read the ``guard`` bits."""

    cap: bool
    threshold: float | None
    bias: float
    guard: int


@dataclass(frozen=True, eq=False)
class Lookup:
    """One float32 column for specs whose signatures are few: low bits hold the signature as a
    mixed-radix number (capped bits, then each contested floor's total over the other units),
    bit fields above it the cap tests. Every signature is decided when compiling."""

    weights: Floats
    bias: float
    guard: int  # cap guard bits: any set means a cap binds
    mask: int  # the signature bits
    decided: Bools  # per signature


@dataclass(frozen=True, eq=False)
class CompiledSpec:
    """Everything ``decide_many`` needs, built once per spec.

    Every floor and cap test is a bit field in a float32 column: a field holds a total ``v``
    and a guard bit; adding ``2**w - threshold`` sets the guard exactly when ``v >= threshold``.
    So a couple of columns carry every test, and the one product stays close to the single
    column of the credit-sum floor.
    """

    lin: Linear
    weights: tuple[Floats, ...]  # per column: each unit's field weights
    columns: tuple[Column, ...]
    never: bool  # some floor cannot be met even with every unit held
    capped: npt.NDArray[np.intp]  # units under any cap, spec order
    contested: npt.NDArray[np.intp]  # floors that count any capped unit
    signature: Floats  # (units, 1 + contested): capped bit weights, then uncapped coefficients
    table: tuple[Ints, Ints] | None  # cap-respecting subsets of the capped units: codes, sums
    lookup: Lookup | None  # when set, it tests the caps and keys the signatures (no cap columns)


def compile_spec(spec: Spec, *, lookup: bool = True) -> CompiledSpec:
    """Prepare ``spec`` for batch decisions; ``lookup=False`` forces the general path
    (signatures grouped as they come), for tests."""
    lin = linearise(spec)
    # Mandatory units without equivalents fold into one test ("all k of these"); floors
    # needing nothing are dropped; a cap binds when its total reaches ``limit + 1``.
    single = [
        i
        for i, f in enumerate(lin.floors)
        if isinstance(lin.spec.rules[f.rule], Mandatory) and sum(f.coef) == 1
    ]
    floors: list[tuple[Ints, int]] = []
    if single:
        floors.append((lin.floor_matrix[single].sum(axis=0), len(single)))
    floors += [(lin.floor_matrix[i], f.need) for i, f in enumerate(lin.floors) if i not in single]
    never = any(t > coef.sum() for coef, t in floors)
    capped = np.flatnonzero((lin.cap_matrix > 0).any(axis=0))
    contested = np.flatnonzero((lin.floor_matrix[:, capped] > 0).any(axis=1))
    other = lin.floor_matrix[contested].T.astype(np.float32)
    other[capped] = 0.0
    bits = np.zeros((lin.size, 1), dtype=np.float32)
    if len(capped) <= _EXACT_BITS:
        bits[capped, 0] = 2.0 ** np.arange(len(capped) - 1, -1, -1)
    signature = np.ascontiguousarray(np.hstack([bits, other]))
    table = _table(lin, capped, contested) if len(capped) <= TABLE_UP_TO else None
    caps = [
        (lin.cap_matrix[j], c.limit + 1) for j, c in enumerate(lin.caps) if c.limit < sum(c.coef)
    ]
    need = np.maximum(lin.need[contested], 0)
    found = _lookup(table, signature, need, caps) if lookup and table is not None and caps else None
    rows: list[Floats] = []
    tests: list[Column] = []
    for group, cap in ((floors, False), ([] if found else caps, True)):
        for weights, test in _pack([(c, t) for c, t in group if 0 < t <= c.sum()], cap):
            rows.append(weights)
            tests.append(test)
    return CompiledSpec(
        lin=lin,
        weights=tuple(np.ascontiguousarray(r) for r in rows),
        columns=tuple(tests),
        never=never,
        capped=capped,
        contested=contested,
        signature=signature,
        table=table,
        lookup=found,
    )


def _lookup(
    table: tuple[Ints, Ints], signature: Floats, need: Ints, caps: list[tuple[Ints, int]]
) -> Lookup | None:
    """The lookup column, or None when the signatures or the cap fields do not fit."""
    sizes = [int(v) + 1 for v in signature.sum(axis=0)]  # most each signature digit can be
    space = int(np.prod(np.asarray(sizes, dtype=np.float64)))
    if space > LOOKUP_UP_TO:
        return None
    try:
        packed = _pack(caps, True, start=(space - 1).bit_length())
    except _TooWide:
        return None
    if len(packed) != 1:
        return None  # the caps need more than the bits left above the signature
    [(cap_weights, cap_test)] = packed
    radix = np.cumprod([1, *sizes[:0:-1]])[::-1].astype(np.int64)  # last digit varies fastest
    digits = (np.arange(space, dtype=np.int64)[:, None] // radix) % np.asarray(sizes)
    return Lookup(
        weights=np.ascontiguousarray(cap_weights + signature @ radix.astype(np.float32)),
        bias=cap_test.bias,
        guard=cap_test.guard,
        mask=(1 << (space - 1).bit_length()) - 1,
        decided=_by_table(table, digits[:, 0], digits[:, 1:], need),
    )


def _pack(fields: list[tuple[Ints, int]], cap: bool, start: int = 0) -> list[tuple[Floats, Column]]:
    """Lay tests ``total >= t`` out as bit fields from bit ``start``, widest first, within the
    24 bits of a float32 column. A field of width ``w`` needs ``2**w >= t`` (the bias is not
    negative) and ``2**w > max - t`` (the biased total stays below ``2**(w + 1)``)."""
    sized = []
    for coef, t in fields:
        width = max((t - 1).bit_length(), (int(coef.sum()) - t).bit_length())
        if start + width + 1 > _EXACT_BITS:
            raise _TooWide("totals too large to test exactly in float32")
        sized.append((width, coef, t))
    columns: list[list[tuple[int, Ints, int]]] = []
    used: list[int] = []
    for width, coef, t in sorted(sized, key=lambda f: -f[0]):
        slot = next((j for j, u in enumerate(used) if u + width + 1 <= _EXACT_BITS), len(used))
        if slot == len(used):
            columns.append([])
            used.append(start)
        columns[slot].append((width, coef, t))
        used[slot] += width + 1
    out = []
    for column in columns:
        weights = np.zeros(len(column[0][1]), dtype=np.float64)
        bias, guard, offset = 0, 0, start
        for width, coef, t in column:
            weights += coef * float(1 << offset)
            bias += ((1 << width) - t) << offset
            guard |= 1 << (offset + width)
            offset += width + 1
        threshold = float(column[0][2]) if len(column) == 1 and start == 0 else None
        out.append((weights.astype(np.float32), Column(cap, threshold, float(bias), guard)))
    return out


class _TooWide(ValueError):
    """A total too large to test exactly in float32 (tens of millions of credits)."""


def _table(
    lin: Linear, capped: npt.NDArray[np.intp], contested: npt.NDArray[np.intp]
) -> tuple[Ints, Ints]:
    """Every subset of the capped units that respects every cap, with its contested floor sums."""
    rows = subsets(len(capped))
    allowed = np.flatnonzero((rows @ lin.cap_matrix[:, capped].T <= lin.limit).all(axis=1))
    sums = rows[allowed] @ lin.floor_matrix[np.ix_(contested, capped)].T
    return allowed.astype(np.int64), sums


def _blocks(plans: Bools) -> Iterator[tuple[int, Floats]]:
    """``(start, rows as float32)`` block by block, converted into one reused buffer (so the
    buffer stays in cache; each block is only valid until the next one)."""
    buffer = np.empty((min(CHUNK, len(plans)), plans.shape[1]), dtype=np.float32)
    for start in range(0, len(plans), CHUNK):
        source = plans[start : start + CHUNK]
        block = buffer[: len(source)]
        np.copyto(block, source)
        yield start, block


def _check(compiled: CompiledSpec, plans: npt.ArrayLike) -> Bools:
    array = np.asarray(plans, dtype=bool)
    if array.ndim != 2 or array.shape[1] != compiled.lin.size:
        raise ValueError(f"plans must have shape (n, {compiled.lin.size}), got {array.shape}")
    return array


def credit_floor(compiled: CompiledSpec, plans: npt.ArrayLike) -> Floats:
    """Each plan's total credit: the least any batch pass must do (the benchmark's floor):
    the same blocks as ``decide_many``, one product each."""
    array = _check(compiled, plans)
    credit = compiled.lin.credit.astype(np.float32)
    out = np.empty(len(array), dtype=np.float32)
    for start, block in _blocks(array):
        np.matmul(block, credit, out=out[start : start + len(block)])
    return out


def decide_many(compiled: CompiledSpec, plans: npt.ArrayLike) -> Bools:
    """``evaluate(spec, plan).met`` for every row of a (plans, units) boolean matrix.

    Per block, one matrix-vector product per column (like the floor's; one matrix product of
    all columns at once is slower for so few columns), then the column's test in place in
    reused buffers: a plan meets the floors when every floor column passes, and a cap binds
    when any cap column has a guard bit set.
    """
    array = _check(compiled, plans)
    out = np.zeros(len(array), dtype=bool)
    if compiled.never:
        return out
    where: list[npt.NDArray[np.intp]] = []
    signatures: list[Floats] = []
    columns = tuple(zip(compiled.weights, compiled.columns, strict=True))
    capped = any(t.cap for t in compiled.columns)
    lookup = compiled.lookup
    width = min(CHUNK, len(array))
    total = np.empty(width, dtype=np.float32)
    bits = np.empty(width, dtype=np.int32)
    spare = np.empty(width, dtype=np.int32)
    hit = np.empty(width, dtype=bool)
    binds = np.empty(width, dtype=bool)
    for start, block in _blocks(array):
        n = len(block)
        ok = out[start : start + n]
        binding = binds[:n]
        if capped or lookup is not None:
            binding[:] = False
        row, word, test_hit = total[:n], bits[:n], hit[:n]
        first = True
        for weights, test in columns:
            np.matmul(block, weights, out=row)
            # The first floor's answer goes straight into ``ok``; the others are and-ed in.
            target = ok if first and not test.cap else test_hit
            if test.threshold is not None:
                np.greater_equal(row, test.threshold, out=target)
            else:
                # Biased and cast in one pass (exact: totals stay below 2**24).
                np.add(row, test.bias, out=word, casting="unsafe")
                word &= test.guard
                if test.cap:
                    np.not_equal(word, 0, out=target)
                else:
                    np.equal(word, test.guard, out=target)
            if test.cap:
                binding |= test_hit
            elif first:
                first = False
            else:
                ok &= test_hit
        if first:  # no floor column: every floor already holds
            ok[:] = True
        if lookup is not None:
            np.matmul(block, lookup.weights, out=row)
            np.add(row, lookup.bias, out=word, casting="unsafe")  # the key: signature, caps
            cap_bits = spare[:n]
            np.bitwise_and(word, lookup.guard, out=cap_bits)
            np.not_equal(cap_bits, 0, out=binding)
            hard = np.flatnonzero(ok & binding)
            ok &= ~binding
            ok[hard] = lookup.decided[word[hard] & lookup.mask]
        elif capped:
            hard = np.flatnonzero(ok & binding)
            ok &= ~binding
            if hard.size:
                where.append(start + hard)
                signatures.append(block[hard] @ compiled.signature)
    if where:
        rows = np.concatenate(where)
        out[rows] = _resolve(compiled, array, rows, np.concatenate(signatures))
    return out


def _resolve(
    compiled: CompiledSpec, array: Bools, rows: npt.NDArray[np.intp], sig: Floats
) -> Bools:
    """Exact decisions for plans where a cap binds, once per distinct signature: which capped
    units are held, and the other units' total for each floor that counts capped units (clipped
    at its need; the remaining floors already hold on every selection, as they hold on all)."""
    lin, k = compiled.lin, len(compiled.capped)
    need = np.maximum(lin.need[compiled.contested], 0)
    others = np.minimum(sig[:, 1:], need).astype(np.int64)
    radix = [int(v) + 1 for v in need]
    if k <= _EXACT_BITS:
        codes = sig[:, 0].astype(np.int64)
        columns, radix = [codes, *others.T], [1 << k, *radix]
    else:
        packed = np.packbits(array[rows][:, compiled.capped], axis=1).astype(np.int64)
        codes = np.zeros(len(rows), dtype=np.int64)
        columns, radix = [*packed.T, *others.T], [256] * packed.shape[1] + radix
    if float(np.prod(np.asarray(radix, dtype=np.float64))) < 2.0**62:
        key = columns[0].copy()
        for column, base in zip(columns[1:], radix[1:], strict=True):
            key *= base
            key += column
        first, inverse = _group(key, int(np.prod(radix)))
    else:
        stacked = np.column_stack(columns)
        _, first, inverse = np.unique(stacked, axis=0, return_index=True, return_inverse=True)
    if compiled.table is None:
        decided = np.array([met(lin, array[rows[i]]) for i in first], dtype=bool)
    else:
        decided = _by_table(compiled.table, codes[first], others[first], need)
    return decided[inverse.ravel()]


def _group(key: Ints, space: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """First row of each distinct key and each row's group: a dense lookup when the key space
    is small (no sort), else ``np.unique``."""
    if space > max(1 << 20, 8 * len(key)):
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first, inverse.ravel()
    slot = np.full(space, -1, dtype=np.intp)
    slot[key[::-1]] = np.arange(len(key) - 1, -1, -1)  # the first occurrence wins
    first = slot[np.unique(key) if len(key) < 64 else np.flatnonzero(slot >= 0)]
    group = np.full(space, -1, dtype=np.intp)
    group[key[first]] = np.arange(len(first))
    return first, group[key]


def _by_table(table: tuple[Ints, Ints], codes: Ints, others: Ints, need: Ints) -> Bools:
    """Some cap-respecting subset of each signature's held capped units meets every floor."""
    subset_codes, sums = table
    out = np.empty(len(codes), dtype=bool)
    step = max(1, 4_000_000 // max(1, sums.size))
    for s in range(0, len(codes), step):
        inside = (subset_codes[None, :] & ~codes[s : s + step, None]) == 0
        enough = ((others[s : s + step, None, :] + sums[None, :, :]) >= need).all(axis=2)
        out[s : s + step] = (inside & enough).any(axis=1)
    return out


def random_plans(spec: Spec, n: int, seed: int) -> Bools:
    """``n`` random plans; each plan holds each unit with its own probability in [0.2, 0.8]."""
    rng = np.random.default_rng(seed)
    density = rng.uniform(0.2, 0.8, size=(n, 1)).astype(np.float32)
    return rng.random((n, len(spec.units)), dtype=np.float32) < density


@dataclass(frozen=True, slots=True)
class BenchResult:
    """``decide_many`` against ``credit_floor`` on the same plans, run in turn ``rounds``
    times: median times, and the median of each round's ratio (both see the same load)."""

    n: int
    decide_seconds: float
    floor_seconds: float
    ratio: float
    plans_per_second: float
    achieved: int
    rounds: int = 1


def bench(spec: Spec, n: int, seed: int, rounds: int = 7) -> BenchResult:
    """Time the full decision against the credit-sum floor (compilation not timed): one
    untimed pass of each, then ``rounds`` rounds of one decision and one floor, interleaved
    (which runs first alternates), so a change in load hits both alike."""
    compiled = compile_spec(spec)
    plans = random_plans(spec, n, seed)

    def timed(run: Callable[[], object]) -> float:
        t = time.perf_counter()
        run()
        return time.perf_counter() - t

    achieved = int(decide_many(compiled, plans).sum())
    credit_floor(compiled, plans)
    decide_times, floor_times, ratios = [], [], []
    for at in range(max(1, rounds)):
        if at % 2:
            floor = timed(lambda: credit_floor(compiled, plans))
            decide = timed(lambda: decide_many(compiled, plans))
        else:
            decide = timed(lambda: decide_many(compiled, plans))
            floor = timed(lambda: credit_floor(compiled, plans))
        decide_times.append(decide)
        floor_times.append(floor)
        ratios.append(decide / floor)
    decide = float(np.median(decide_times))
    return BenchResult(
        n,
        decide,
        float(np.median(floor_times)),
        float(np.median(ratios)),
        n / decide,
        achieved,
        len(ratios),
    )
