"""Gap analysis, profiles and trends.

The seed names two benefits this module serves: "An ability to determine gaps between
managements' expectations of customer service levels and actual delivery levels" and
"Continuous improvement and benchmarking of the organization's customer service efforts through
the annual audits to ICSS".

Management's expectation is the self-assessment (one score per attribute); actual delivery is
the attribute's mean across the required sites (ADR 0009). A gap is expectation − delivery:
positive when management expects more than is delivered. Gaps are listed largest first (signed:
the biggest over-estimate leads, delivery beyond expectation comes last), gaps that cannot be
computed at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import Standard
from .scoring import Results

__all__ = ["Gap", "change", "check_self_assessment", "gaps", "perspective_profile", "trend"]


@dataclass(frozen=True, slots=True)
class Gap:
    """One attribute: management's expected score, the delivered mean, expected − actual
    (None when either is missing)."""

    attribute: str
    expected: int | None
    actual: float | None
    gap: float | None


def check_self_assessment(standard: Standard, self_assessment: Mapping[str, int]) -> None:
    """ValueError for a self-assessment score of an unknown attribute or off the scale."""
    for code, score in self_assessment.items():
        if not standard.has_attribute(code):
            raise ValueError(f"self-assessment: {code!r} is not an attribute of {standard.code}")
        try:
            standard.scale.band_of(score)
        except ValueError as exc:
            raise ValueError(f"self-assessment, attribute {code}: {exc}") from None


def gaps(standard: Standard, self_assessment: Mapping[str, int], res: Results) -> tuple[Gap, ...]:
    """Every attribute of the standard with its gap, largest first; ties and missing gaps keep
    the standard's order."""
    check_self_assessment(standard, self_assessment)
    rows: list[Gap] = []
    for attribute in standard.attributes:
        expected = self_assessment.get(attribute.code)
        actual = res.attribute(attribute.code).mean
        gap = None if expected is None or actual is None else expected - actual
        rows.append(Gap(attribute.code, expected, actual, gap))
    order = {a.code: i for i, a in enumerate(standard.attributes)}
    return tuple(
        sorted(
            rows,
            key=lambda g: (g.gap is None, -(g.gap or 0.0), order[g.attribute]),
        )
    )


def perspective_profile(
    standard: Standard, self_assessment: Mapping[str, int], res: Results
) -> tuple[tuple[str, float | None, float | None], ...]:
    """Per top node (perspective): (code, mean of management's expected scores beneath it,
    its delivered mean across sites) — the two series of the radar chart."""
    check_self_assessment(standard, self_assessment)
    out: list[tuple[str, float | None, float | None]] = []
    for node in standard.top_nodes():
        expected = [
            self_assessment[a.code]
            for a in standard.attributes_under(node.code)
            if a.code in self_assessment
        ]
        mean = float(Fraction(sum(expected), len(expected))) if expected else None
        out.append((node.code, mean, res.node(node.code).mean))
    return tuple(out)


def trend(
    standard: Standard, earlier: Sequence[tuple[str, Results]]
) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    """Per top node, then overall (code ""), its across-sites mean in each audit of
    ``earlier`` (label, results) in the order given — oldest first for a year-on-year trend.
    A node an audit did not have (another edition) is None there."""

    def mean(res: Results, code: str) -> float | None:
        try:
            return res.node(code).mean
        except KeyError:
            return None

    codes = [n.code for n in standard.top_nodes()] + [""]
    return tuple((code, tuple(mean(res, code) for _, res in earlier)) for code in codes)


def change(
    previous: Results, current: Results
) -> tuple[tuple[str, float | None, float | None], ...]:
    """Per attribute: (code, mean before, mean after) — the current audit's attributes in its
    order, then any the previous audit had and the current one dropped."""
    out = [
        (
            a.code,
            previous.attribute(a.code).mean if previous.has_attribute(a.code) else None,
            a.mean,
        )
        for a in current.attributes
    ]
    now = {a.code for a in current.attributes}
    out.extend((a.code, a.mean, None) for a in previous.attributes if a.code not in now)
    return tuple(out)
