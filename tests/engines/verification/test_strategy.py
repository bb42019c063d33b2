"""The sampling strategy as data: defaults, validation, parsing, and the risk rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from assay.engines.verification import (
    DEFAULT_RULES,
    Dimension,
    Risk,
    RiskRule,
    Strategy,
    assess,
    parse_strategy,
    validate_strategy,
)
from assay.engines.verification.strategy import percent

from .world import ALICE, NINA, QUAL, STRATEGY, TOM


def test_the_documented_defaults() -> None:
    assert STRATEGY.base_rate == Fraction(1, 10)
    assert {r.risk: r.rate for r in DEFAULT_RULES} == {
        Risk.TRAINEE: 1,
        Risk.NEW: Fraction(1, 2),
        Risk.NEW_TO_QUALIFICATION: Fraction(1, 2),
        Risk.ACTION_POINTS: Fraction(1, 2),
    }
    assert (STRATEGY.interim_per_quarter, STRATEGY.interim_per_quarter_at_risk) == (1, 2)
    assert STRATEGY.top_up == {Dimension.METHOD, Dimension.UNIT, Dimension.SITE}
    assert (STRATEGY.new_assessor_months, STRATEGY.quiet_months) == (6, 6)
    assert (STRATEGY.year_months, STRATEGY.standardisation_months) == (12, 12)
    assert validate_strategy(STRATEGY) == []


def test_validation_names_every_problem() -> None:
    bad = Strategy(
        centre=" ",
        qualification="",
        base_rate=Fraction(6, 10),
        rules=(
            RiskRule(Risk.TRAINEE, Fraction(2)),
            RiskRule(Risk.NEW, Fraction(1, 2)),
            RiskRule(Risk.NEW, Fraction(1, 2)),
        ),
        new_assessor_months=0,
        interim_per_quarter=3,
        interim_per_quarter_at_risk=2,
        top_up=frozenset({Dimension.ASSESSOR}),
        methods=frozenset({""}),
        quiet_months=True,
    )
    assert validate_strategy(bad) == [
        "the strategy names no centre",
        "the strategy names no qualification",
        "the trainee rate must lie between 0% and 100%, not 200%",
        "the new rate (50%) is below the base rate (60%): a risk rule only raises it",
        "the new rule is given twice",
        "the new rate (50%) is below the base rate (60%): a risk rule only raises it",
        "new_assessor_months must be a whole number ≥ 1, not 0",
        "quiet_months must be a whole number ≥ 1, not True",
        "interim_per_quarter_at_risk must not be below interim_per_quarter: "
        "risk only raises the rate",
        "assessor is not a top-up dimension: every assessor is sampled by rate and every pick "
        "reviews the records",
        "methods holds an empty name",
    ]


def test_a_float_rate_is_refused_as_inexact() -> None:
    problems = validate_strategy(replace(STRATEGY, base_rate=0.1))  # type: ignore[arg-type]
    assert problems == ["the base rate must be an exact fraction (e.g. 1/10 or 10%), not 0.1"]


def test_parse_strategy_from_plain_data() -> None:
    strategy = parse_strategy(
        {
            "centre": "C1",
            "qualification": QUAL,
            "base_rate": "15%",
            "rules": {"new": 0.75, "action_points": None},
            "top_up": ["method", "candidate"],
            "sites": ["Leeds", "York"],
        }
    )
    assert strategy.base_rate == Fraction(3, 20)
    assert {r.risk: r.rate for r in strategy.rules} == {
        Risk.TRAINEE: 1,
        Risk.NEW: Fraction(3, 4),
        Risk.NEW_TO_QUALIFICATION: Fraction(1, 2),
    }
    assert strategy.top_up == {Dimension.METHOD, Dimension.CANDIDATE}
    assert strategy.sites == {"Leeds", "York"}


def test_parse_strategy_refuses_with_every_problem() -> None:
    with pytest.raises(ValueError) as caught:
        parse_strategy(
            {
                "centre": "C1",
                "qualification": QUAL,
                "base_rate": "lots",
                "rules": {"sleepy": 1, "new": "1/0"},
                "top_up": ["moon"],
                "colour": "red",
            }
        )
    assert str(caught.value) == (
        "unknown setting 'colour'; base_rate: 'lots' is not a rate (write 0.1, 1/10 or 10%); "
        "unknown risk 'sleepy' (known: trainee, new, new_to_qualification, action_points); "
        "rules.new: '1/0' is not a rate (write 0.1, 1/10 or 10%); "
        "unknown dimension 'moon' in top_up"
    )
    with pytest.raises(ValueError, match="between 0% and 100%, not 120%"):
        parse_strategy({"centre": "C1", "qualification": QUAL, "base_rate": "120%"})


def test_percent_prints_whole_percentages_whole() -> None:
    assert [percent(Fraction(n, d)) for n, d in ((1, 10), (1, 1), (1, 3), (0, 1))] == [
        "10%",
        "100%",
        "33.3%",
        "0%",
    ]


def test_risks_on_the_day() -> None:
    assert assess(STRATEGY, ALICE, date(2026, 5, 1)).risks == ()
    assert assess(STRATEGY, ALICE, date(2026, 5, 1)).label == "experienced assessor"
    trainee = assess(STRATEGY, TOM, date(2025, 7, 1))
    assert trainee.risks == (Risk.TRAINEE, Risk.NEW)
    assert trainee.rate == 1
    assert trainee.details == (
        "no A unit yet, due by 01/12/2026",
        "started at the centre 01/06/2025, under 6 months",
    )
    # six months to the day: no longer new
    assert assess(STRATEGY, TOM, date(2025, 12, 1)).risks == (Risk.TRAINEE,)
    # the A unit counts from the day it was achieved
    qualified = replace(TOM, a_unit_on=date(2026, 3, 1))
    assert assess(STRATEGY, qualified, date(2026, 2, 28)).risks == (Risk.TRAINEE,)
    assert assess(STRATEGY, qualified, date(2026, 3, 1)).risks == ()
    assert assess(STRATEGY, NINA, date(2026, 3, 1)).risks == (Risk.NEW_TO_QUALIFICATION,)


def test_a_risk_without_a_rule_is_not_applied() -> None:
    lenient = replace(STRATEGY, rules=(RiskRule(Risk.TRAINEE, Fraction(1)),))
    verdict = assess(lenient, NINA, date(2026, 3, 1))
    assert (verdict.risks, verdict.rate) == ((), Fraction(1, 10))


def test_parse_strategy_needs_centre_and_qualification_and_reads_one_name_as_one() -> None:
    with pytest.raises(ValueError, match=r"needs a centre .*; the strategy needs a qualification"):
        parse_strategy({"qualification": 4430})
    one = parse_strategy(
        {"centre": "C1", "qualification": QUAL, "top_up": "site", "sites": "Leeds"}
    )
    assert (one.top_up, one.sites) == ({Dimension.SITE}, {"Leeds"})
