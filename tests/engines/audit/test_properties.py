"""Properties of the audit engine, checked on random standards, scores and office lists."""

from __future__ import annotations

import math
import random
import xml.etree.ElementTree as ET
from collections import Counter
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.audit import (
    decide,
    draw_sample,
    gaps,
    radar_svg,
    results,
    sample_size,
    validate_standard,
)

from ..strategies import FAST
from .standards import TODAY, audits, office_lists, standards

Audit = tuple  # (Standard, sites, scores)


@FAST
@given(standards())
def test_generated_standards_are_valid(standard) -> None:  # type: ignore[no-untyped-def]
    assert validate_standard(standard) == []


@FAST
@given(audits(), st.data())
def test_raising_any_score_never_turns_certifiable_into_refused(
    audit: Audit, data: st.DataObject
) -> None:
    standard, sites, scores = audit
    before = decide(standard, scores, sites)
    cells = [(s, c) for s in sites for c in scores[s]]
    raised = {s: dict(row) for s, row in scores.items()}
    for site, code in data.draw(st.lists(st.sampled_from(cells), max_size=5)) if cells else []:
        raised[site][code] = data.draw(st.integers(raised[site][code], 10))
    after = decide(standard, raised, sites)
    if before.certifiable:
        assert after.certifiable, after.blocking
    # and lowering never turns a refusal into a certification
    if not after.certifiable:
        assert not before.certifiable


@FAST
@given(audits())
def test_certifiable_exactly_when_the_rule_holds(audit: Audit) -> None:
    """Brute force: every mandatory attribute scored ≥ 3 at every site, every node addressed."""
    standard, sites, scores = audit
    expected = all(
        scores[s].get(a.code) is not None and scores[s][a.code] >= 3
        for a in standard.mandatory
        for s in sites
    ) and all(
        any(a.code in scores[s] for a in standard.attributes_under(n.code))
        for n in standard.nodes
        for s in sites
    )
    decision = decide(standard, scores, sites)
    assert decision.certifiable == expected
    assert decision.certifiable == (not decision.blocking)
    blocking = [r for r in decision.reasons if r.blocking]
    assert decision.reasons[: len(blocking)] == tuple(blocking)  # blocking first


@FAST
@given(audits())
def test_every_band_contains_its_mean_and_weakest_is_below_every_site(audit: Audit) -> None:
    standard, sites, scores = audit
    res = results(standard, scores, sites)
    for row in res.nodes + res.overall:
        assert (row.mean is None) == (row.band is None) == (row.scored == 0)
        if row.mean is not None and row.band is not None:
            assert row.band.low <= row.mean < row.band.high + 1
            assert standard.scale.low <= row.mean <= standard.scale.high
    for attribute in res.attributes:
        present = [s for _, s in attribute.by_site if s is not None]
        assert all(attribute.weakest is not None and attribute.weakest <= s for s in present)
        if len(present) == len(sites):
            assert attribute.decision_band == standard.scale.band_of(min(present))
        else:
            assert attribute.decision_band is None


@FAST
@given(audits())
def test_across_sites_means_match_a_brute_force_flattening(audit: Audit) -> None:
    standard, sites, scores = audit
    res = results(standard, scores, sites)
    for node in standard.nodes:
        under = {a.code for a in standard.attributes_under(node.code)}
        cells = [v for s in sites for c, v in scores[s].items() if c in under]
        mean = res.node(node.code).mean
        assert mean == (float(Fraction(sum(cells), len(cells))) if cells else None)
        assert res.node(node.code).total == len(under) * len(sites)


@FAST
@given(audits(), st.data())
def test_gaps_are_sorted_largest_first_missing_last(audit: Audit, data: st.DataObject) -> None:
    standard, sites, scores = audit
    expected = {
        a.code: data.draw(st.integers(0, 10))
        for a in standard.attributes
        if data.draw(st.booleans())
    }
    rows = gaps(standard, expected, results(standard, scores, sites))
    assert sorted(g.attribute for g in rows) == sorted(a.code for a in standard.attributes)
    known = [g.gap for g in rows if g.gap is not None]
    assert known == sorted(known, reverse=True)
    assert all(g.gap is None for g in rows[len(known) :])


@FAST
@given(office_lists(), st.integers(0, 2**32), st.booleans())
def test_sample_has_every_main_office_once_and_no_office_twice(
    offices: list, seed: int, recert: bool
) -> None:
    sample = draw_sample(offices, seed=seed, recertification=recert, today=TODAY)
    ids = sample.office_ids
    assert len(ids) == len(set(ids))
    mains = sorted(o.id for o in offices if o.is_main)
    assert sorted(p.office_id for p in sample.picks if p.how == "main") == mains
    assert {o.id for o in offices} >= set(ids)
    state_of = {o.id: o.state for o in offices}
    assert all(state_of[p.office_id] == p.state for p in sample.picks)
    beyond = Counter(p.state for p in sample.picks if p.how != "main")
    randoms = Counter(p.state for p in sample.picks if p.how == "random")
    for state, x, n in sample.per_state:
        assert x == sum(1 for o in offices if o.state == state and not o.is_main)
        assert n == sample_size(x, recert) == beyond[state]
        assert 4 * randoms[state] >= n  # at least a quarter at random


@FAST
@given(office_lists(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_same_seed_same_sample_whatever_the_order(
    offices: list, seed: int, shuffler: random.Random
) -> None:
    shuffled = list(offices)
    shuffler.shuffle(shuffled)
    a = draw_sample(offices, seed=seed, recertification=False, today=TODAY)
    b = draw_sample(shuffled, seed=seed, recertification=False, today=TODAY)
    assert a == b


@FAST
@given(st.integers(0, 10_000), st.booleans())
def test_sample_size_is_monotone_bounded_and_exact(x: int, recert: bool) -> None:
    n = sample_size(x, recert)
    assert sample_size(x + 1, recert) >= n
    assert 0 <= n <= x
    assert sample_size(x, True) <= sample_size(x, False)
    factor = 0.8 if recert else 1.0
    assert n == min(x, math.ceil(factor * math.sqrt(x) - 1e-9))


@FAST
@given(
    st.lists(st.text(max_size=20), min_size=1, max_size=8),
    st.lists(st.text(max_size=10), max_size=3),
    st.data(),
)
def test_radar_is_well_formed_with_one_polygon_per_series(
    axes: list[str], names: list[str], data: st.DataObject
) -> None:
    value = st.one_of(st.none(), st.floats(-5, 15, allow_nan=False))
    series = [
        (name, data.draw(st.lists(value, min_size=len(axes), max_size=len(axes)))) for name in names
    ]
    root = ET.fromstring(radar_svg(axes, series))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polygon")) == len(series)
    labels = [t.text or "" for t in root.findall(f"{ns}text") if t.get("class") == "axis-label"]
    assert len(labels) == len(axes)
