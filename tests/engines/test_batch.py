"""Batch decisions agree with the evaluator, row for row."""

from __future__ import annotations

import numpy as np
import pytest

from assay.engines.combination import batch
from assay.engines.combination.batch import (
    bench,
    compile_spec,
    credit_floor,
    decide_many,
    random_plans,
)
from assay.engines.combination.evaluate import evaluate
from assay.engines.combination.model import AtLeast, AtMost, EachGroup, Measure, Spec, Unit

from .specs import city_and_guilds_4430_04, edexcel_level_3


def by_evaluate(spec: Spec, plans: np.ndarray) -> np.ndarray:
    numbers = [u.number for u in spec.units]
    return np.array(
        [evaluate(spec, [numbers[i] for i in np.flatnonzero(row)]).met for row in plans]
    )


@pytest.mark.parametrize("spec", [city_and_guilds_4430_04(), edexcel_level_3()], ids=str)
def test_random_plans_match_evaluate(spec: Spec) -> None:
    plans = random_plans(spec, 2500, seed=7)
    got = decide_many(compile_spec(spec), plans)
    assert got.dtype == bool and got.shape == (2500,)
    assert 0 < got.sum() < len(got)
    np.testing.assert_array_equal(got, by_evaluate(spec, plans))


def test_edexcel_contested_rows_match_through_every_path(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = edexcel_level_3()
    plans = random_plans(spec, 1500, seed=3)
    plans[:, :2] = True  # both mandatory units: more rows reach the exact step
    want = by_evaluate(spec, plans)
    compiled = compile_spec(spec)
    assert compiled.lookup is not None  # 32 x 7 x 2 x 2 signatures, all decided up front
    np.testing.assert_array_equal(decide_many(compiled, plans), want)
    grouped = compile_spec(spec, lookup=False)  # group the signatures as they come
    assert grouped.lookup is None
    np.testing.assert_array_equal(decide_many(grouped, plans), want)
    monkeypatch.setattr(batch, "TABLE_UP_TO", 0)  # per-signature evaluator instead of a table
    np.testing.assert_array_equal(decide_many(compile_spec(spec), plans), want)


def test_grouping_dense_and_sorted_agree() -> None:
    key = np.random.default_rng(0).integers(0, 50, size=400)
    dense_first, dense_group = batch._group(key, 50)
    sort_first, sort_group = batch._group(key, 1 << 40)
    np.testing.assert_array_equal(key[dense_first][dense_group], key)
    np.testing.assert_array_equal(key[sort_first][sort_group], key)
    assert sorted(key[dense_first]) == sorted(key[sort_first]) == sorted(set(key.tolist()))


def test_credit_floor_and_bench() -> None:
    spec = city_and_guilds_4430_04()
    compiled = compile_spec(spec)
    plans = random_plans(spec, 1000, seed=1)
    credits = np.array([u.credit for u in spec.units])
    np.testing.assert_array_equal(credit_floor(compiled, plans), plans @ credits)
    result = bench(spec, 2000, seed=1)
    assert result.n == 2000 and result.decide_seconds > 0 and result.floor_seconds > 0
    assert result.rounds == 7 and result.ratio > 0
    assert bench(spec, 2000, seed=1, rounds=2).rounds == 2
    assert result.achieved == int(decide_many(compiled, random_plans(spec, 2000, 1)).sum())
    with pytest.raises(ValueError, match="shape"):
        decide_many(compiled, plans[:, :5])


def test_many_capped_units_use_the_evaluator_per_signature() -> None:
    """26 units under one cap: too many for a table or one float32 column of bits."""
    units = tuple(Unit(str(i), 3, "ab"[i % 2], credit=1 + i % 5) for i in range(26))
    spec = Spec(
        "wide",
        units,
        (
            AtLeast("c", "", Measure.CREDIT, 40),
            AtMost("cap", "", Measure.CREDIT, 44),
            EachGroup("g", "", Measure.UNITS, 6, ("a", "b")),
        ),
    )
    compiled = compile_spec(spec)
    assert compiled.table is None and len(compiled.capped) == 26
    plans = random_plans(spec, 40, seed=5)
    got = decide_many(compiled, plans)
    assert 0 < got.sum() < len(got)
    np.testing.assert_array_equal(got, by_evaluate(spec, plans))
