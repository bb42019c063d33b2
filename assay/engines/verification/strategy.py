"""A centre's sampling strategy for one qualification, as data, and the risk rules it applies.

The handbook lists "Internal verification and quality assurance" among what a centre must run
(Appendix 1, *Ensuring quality*) but gives no rates, so Assay ships the defaults of common
CAMERA-style IQA practice and lets each centre change them (docs/iqa.md):

* summative (after sign-off): 10% of an experienced assessor's sign-offs, at least one;
* a trainee assessor — no A unit yet ("within 18 months of working with the Standards",
  section 2.1), or past that deadline without it — 100% of sign-offs;
* a new assessor (under 6 months at the centre): 50%;
* an assessor new to this qualification: 50%;
* an assessor with open action points from earlier verification: 50%;
* several risks: the highest rate applies, every risk is named;
* interim (work in progress): at least 1 unit per assessor per quarter, 2 for an assessor at
  risk;
* top-ups: a method, unit or site not sampled in the last 12 months gets one pick (candidates
  too when the centre adds the dimension: at 2,000 candidates it would sample every one).

Rates are exact ``Fraction`` s so ⌈10% × 30⌉ is 3, never 4 by a floating-point error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from ..competence.deadlines import StaffRole, av_deadline
from ..dates import add_months, ddmmyyyy
from .model import AssessorProfile, Dimension

__all__ = [
    "DEFAULT_RULES",
    "Risk",
    "RiskAssessment",
    "RiskRule",
    "Strategy",
    "assess",
    "parse_strategy",
    "percent",
    "validate_strategy",
]


class Risk(StrEnum):
    """What raises the rate for an assessor's sign-offs."""

    TRAINEE = "trainee"
    NEW = "new"
    NEW_TO_QUALIFICATION = "new_to_qualification"
    ACTION_POINTS = "action_points"


RISK_LABEL: dict[Risk, str] = {
    Risk.TRAINEE: "trainee assessor",
    Risk.NEW: "new assessor",
    Risk.NEW_TO_QUALIFICATION: "assessor new to the qualification",
    Risk.ACTION_POINTS: "assessor with open action points",
}


@dataclass(frozen=True, slots=True)
class RiskRule:
    """``rate`` of the sign-offs of an assessor with ``risk``."""

    risk: Risk
    rate: Fraction


DEFAULT_RULES: tuple[RiskRule, ...] = (
    RiskRule(Risk.TRAINEE, Fraction(1)),
    RiskRule(Risk.NEW, Fraction(1, 2)),
    RiskRule(Risk.NEW_TO_QUALIFICATION, Fraction(1, 2)),
    RiskRule(Risk.ACTION_POINTS, Fraction(1, 2)),
)
DEFAULT_TOP_UP = frozenset({Dimension.METHOD, Dimension.UNIT, Dimension.SITE})


@dataclass(frozen=True, slots=True)
class Strategy:
    """The plan's rules for one centre and qualification.

    ``base_rate``: summative share of an experienced assessor's sign-offs. ``rules``: the risk
    rules that raise it. ``new_assessor_months``: under this long at the centre an assessor is
    new. ``interim_per_quarter`` (``_at_risk``): work-in-progress units per assessor per
    quarter. ``top_up``: dimensions that get a pick when nothing of a value was sampled within
    ``year_months``. ``methods``/``units``/``sites``: what must be covered (empty: whatever the
    period's records use). ``quiet_months``: an assessor with nothing sampled this long is a
    gap. ``standardisation_months``: staff not standardised this long are flagged.
    """

    centre: str
    qualification: str
    base_rate: Fraction = Fraction(1, 10)
    rules: tuple[RiskRule, ...] = DEFAULT_RULES
    new_assessor_months: int = 6
    interim_per_quarter: int = 1
    interim_per_quarter_at_risk: int = 2
    top_up: frozenset[Dimension] = DEFAULT_TOP_UP
    methods: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    year_months: int = 12
    quiet_months: int = 6
    standardisation_months: int = 12

    def rate_of(self, risk: Risk) -> Fraction | None:
        """The rule's rate for ``risk`` (None: the strategy has no rule for it)."""
        return next((r.rate for r in self.rules if r.risk == risk), None)


def percent(rate: Fraction) -> str:
    """10% / 100% / 33.3%: whole percentages print whole."""
    p = rate * 100
    return f"{p.numerator}%" if p.denominator == 1 else f"{float(p):.1f}%"


def _rate_problem(name: str, rate: object) -> str | None:
    if isinstance(rate, bool) or not isinstance(rate, Fraction | int):
        return f"{name} must be an exact fraction (e.g. 1/10 or 10%), not {rate!r}"
    if not 0 <= rate <= 1:
        return f"{name} must lie between 0% and 100%, not {percent(Fraction(rate))}"
    return None


def validate_strategy(strategy: Strategy) -> list[str]:
    """Every problem with the strategy, as sentences; an empty list means it can be used."""
    problems: list[str] = []
    if not str(strategy.centre).strip():
        problems.append("the strategy names no centre")
    if not str(strategy.qualification).strip():
        problems.append("the strategy names no qualification")
    if (p := _rate_problem("the base rate", strategy.base_rate)) is not None:
        problems.append(p)
    seen: set[Risk] = set()
    for rule in strategy.rules:
        if not isinstance(rule.risk, Risk):
            problems.append(f"unknown risk {rule.risk!r}")
            continue
        if rule.risk in seen:
            problems.append(f"the {rule.risk.value} rule is given twice")
        seen.add(rule.risk)
        if (p := _rate_problem(f"the {rule.risk.value} rate", rule.rate)) is not None:
            problems.append(p)
        elif isinstance(strategy.base_rate, Fraction | int) and rule.rate < strategy.base_rate:
            problems.append(
                f"the {rule.risk.value} rate ({percent(Fraction(rule.rate))}) is below the base "
                f"rate ({percent(Fraction(strategy.base_rate))}): a risk rule only raises it"
            )
    whole = {
        "new_assessor_months": (strategy.new_assessor_months, 1),
        "interim_per_quarter": (strategy.interim_per_quarter, 0),
        "interim_per_quarter_at_risk": (strategy.interim_per_quarter_at_risk, 0),
        "year_months": (strategy.year_months, 1),
        "quiet_months": (strategy.quiet_months, 1),
        "standardisation_months": (strategy.standardisation_months, 1),
    }
    for name, (value, least) in whole.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            problems.append(f"{name} must be a whole number ≥ {least}, not {value!r}")
    ok_counts = all(
        isinstance(v, int) and not isinstance(v, bool)
        for v in (strategy.interim_per_quarter, strategy.interim_per_quarter_at_risk)
    )
    if ok_counts and strategy.interim_per_quarter_at_risk < strategy.interim_per_quarter:
        problems.append(
            "interim_per_quarter_at_risk must not be below interim_per_quarter: "
            "risk only raises the rate"
        )
    for dimension in strategy.top_up:
        if not isinstance(dimension, Dimension):
            problems.append(f"unknown dimension {dimension!r} in top_up")
        elif dimension in (Dimension.ASSESSOR, Dimension.RECORDS):
            problems.append(
                f"{dimension.value} is not a top-up dimension: every assessor is sampled by "
                "rate and every pick reviews the records"
            )
    for name, values in (("methods", strategy.methods), ("units", strategy.units)):
        if any(not str(v).strip() for v in values):
            problems.append(f"{name} holds an empty name")
    if any(not str(v).strip() for v in strategy.sites):
        problems.append("sites holds an empty name")
    return problems


def _parse_rate(name: str, value: object, problems: list[str]) -> Fraction:
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            return Fraction(value.strip()[:-1]) / 100
        if isinstance(value, bool) or not isinstance(value, str | int | float | Fraction):
            raise ValueError
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        problems.append(f"{name}: {value!r} is not a rate (write 0.1, 1/10 or 10%)")
        return Fraction(0)


def parse_strategy(data: Mapping[str, Any]) -> Strategy:
    """A strategy from plain data (a form, YAML or JSON): rates as 0.1, "1/10" or "10%",
    ``rules`` as {risk: rate} (risks left out keep their default; ``null`` drops the rule),
    dimensions and names as lists. ValueError naming every problem; nothing half-parsed."""
    problems: list[str] = []
    known = set(Strategy.__dataclass_fields__)
    for key in sorted(set(data) - known):
        problems.append(f"unknown setting {key!r}")
    values: dict[str, Any] = {k: data[k] for k in known & set(data)}
    for key in ("centre", "qualification"):
        if not isinstance(values.get(key), str):
            problems.append(f"the strategy needs a {key} (its code, as text)")
            values[key] = ""
    if "base_rate" in values:
        values["base_rate"] = _parse_rate("base_rate", values["base_rate"], problems)
    if "rules" in values:
        given = values["rules"]
        if not isinstance(given, Mapping):
            problems.append("rules must map each risk to its rate")
            values.pop("rules")
        else:
            rates = {r.risk: r.rate for r in DEFAULT_RULES}
            for name, rate in given.items():
                try:
                    risk = Risk(name)
                except ValueError:
                    problems.append(
                        f"unknown risk {name!r} (known: {', '.join(r.value for r in Risk)})"
                    )
                    continue
                if rate is None:
                    rates.pop(risk, None)
                else:
                    rates[risk] = _parse_rate(f"rules.{name}", rate, problems)
            values["rules"] = tuple(RiskRule(k, v) for k, v in rates.items())
    for key in ("top_up", "methods", "units", "sites"):
        if isinstance(values.get(key), str):
            values[key] = [values[key]]  # one name, not its letters
    if "top_up" in values:
        dims: set[Dimension] = set()
        for name in values["top_up"] or ():
            try:
                dims.add(Dimension(name))
            except ValueError:
                problems.append(f"unknown dimension {name!r} in top_up")
        values["top_up"] = frozenset(dims)
    for name in ("methods", "units", "sites"):
        if name in values:
            values[name] = frozenset(str(v) for v in values[name] or ())
    if problems:
        raise ValueError("; ".join(problems))
    strategy = Strategy(**values)
    if problems := validate_strategy(strategy):
        raise ValueError("; ".join(problems))
    return strategy


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """An assessor's risks on one day, the rate their sign-offs get and why."""

    assessor_id: str
    risks: tuple[Risk, ...]
    rate: Fraction
    details: tuple[str, ...] = field(default=())

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def label(self) -> str:
        """How a reason names the assessor's kind: "trainee assessor", "experienced
        assessor", or the risks joined."""
        if not self.risks:
            return "experienced assessor"
        return " and ".join(RISK_LABEL[r] for r in self.risks)


def assess(strategy: Strategy, assessor: AssessorProfile, on: date) -> RiskAssessment:
    """The assessor's risks on ``on`` (a sign-off is judged on the day it was made: a trainee's
    sign-off stays at 100% after they qualify). Risks without a rule in the strategy are left
    out; the rate is the highest applicable, else the base rate."""
    found: list[tuple[Risk, str]] = []
    if assessor.a_unit_on is None or assessor.a_unit_on > on:
        deadline = av_deadline(StaffRole.ASSESSOR, assessor.started_on)
        if on <= deadline:
            found.append((Risk.TRAINEE, f"no A unit yet, due by {ddmmyyyy(deadline)}"))
        else:
            found.append((Risk.TRAINEE, f"no A unit, overdue since {ddmmyyyy(deadline)}"))
    if on < add_months(assessor.started_on, strategy.new_assessor_months):
        found.append(
            (
                Risk.NEW,
                f"started at the centre {ddmmyyyy(assessor.started_on)}, under "
                f"{strategy.new_assessor_months} months",
            )
        )
    if strategy.qualification not in assessor.qualifications_before:
        found.append((Risk.NEW_TO_QUALIFICATION, f"new to {strategy.qualification}"))
    if assessor.open_action_points > 0:
        n = assessor.open_action_points
        found.append((Risk.ACTION_POINTS, f"{n} open action point{'s' * (n != 1)}"))
    risks: list[Risk] = []
    details: list[str] = []
    rate = strategy.base_rate
    for risk, detail in found:
        rule = strategy.rate_of(risk)
        if rule is None:
            continue
        risks.append(risk)
        details.append(detail)
        rate = max(rate, rule)
    return RiskAssessment(assessor.id, tuple(risks), Fraction(rate), tuple(details))
