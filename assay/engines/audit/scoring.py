"""Results of an audit: per attribute, per node (element, perspective…) and overall, per site
and across sites, each with its band.

How results are combined is ADR 0009 (docs/adr/0009-audit-aggregation-across-sites.md):

* a node's mean at a site is the plain mean of the scores of every attribute beneath it that was
  scored there (each attribute weighs the same; the seed gives no weights);
* across sites it is the mean of every scored (attribute, site) score beneath it — with complete
  scores this equals both the mean of the site means and the mean of the attribute means;
* the band of a mean is the band it has *reached* (its whole part): 2.9 is still Intention;
* for the decision, a mandatory attribute's band is its **weakest site's** band, so a strong
  site never hides a weak one.

Means are computed exactly (fractions) and handed out as floats; ``display_mean`` shows them
rounded down to one decimal so the figure shown never sits in a higher band than the band shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from .model import Band, Standard

__all__ = [
    "AttributeResult",
    "NodeResult",
    "Results",
    "SiteScores",
    "check_scores",
    "display_mean",
    "results",
]

SiteScores = Mapping[str, Mapping[str, int]]
"""site (office id) -> attribute code -> score."""


@dataclass(frozen=True, slots=True)
class NodeResult:
    """A node's (or, with code "", the whole standard's) result at one site, or across sites
    when ``site`` is None. ``scored`` of ``total`` scores were present: attributes at a site,
    (attribute, site) pairs across sites."""

    code: str
    site: str | None
    mean: float | None
    band: Band | None
    scored: int
    total: int


@dataclass(frozen=True, slots=True)
class AttributeResult:
    """One attribute across the required sites. ``by_site`` keeps the sites' order (None =
    not scored there); ``weakest``/``weakest_site`` are the lowest score found and the first
    site holding it; ``decision_band`` is the weakest site's band, None while any required site
    has no score."""

    code: str
    mandatory: bool
    by_site: tuple[tuple[str, int | None], ...]
    weakest: int | None
    weakest_site: str | None
    mean: float | None
    decision_band: Band | None

    @property
    def missing_sites(self) -> tuple[str, ...]:
        """The required sites without a score for this attribute."""
        return tuple(site for site, score in self.by_site if score is None)


@dataclass(frozen=True)
class Results:
    """Everything ``results`` computed, in the standard's order. ``nodes`` holds, per node,
    one result per site then the across-sites one; ``overall`` likewise with code ""."""

    attributes: tuple[AttributeResult, ...]
    nodes: tuple[NodeResult, ...]
    overall: tuple[NodeResult, ...]

    @cached_property
    def _by_attribute(self) -> dict[str, AttributeResult]:
        return {a.code: a for a in self.attributes}

    @cached_property
    def _by_node(self) -> dict[tuple[str, str | None], NodeResult]:
        return {(n.code, n.site): n for n in self.nodes + self.overall}

    def attribute(self, code: str) -> AttributeResult:
        """The result of one attribute; KeyError if it is not in these results."""
        return self._by_attribute[code]

    def has_attribute(self, code: str) -> bool:
        """True when these results hold ``code`` (editions of a standard may differ)."""
        return code in self._by_attribute

    def node(self, code: str, site: str | None = None) -> NodeResult:
        """A node's result at ``site`` (None = across sites; code "" = the whole standard)."""
        return self._by_node[(code, site)]

    @property
    def sites(self) -> tuple[str, ...]:
        """The required sites, in the order results were computed for."""
        return tuple(n.site for n in self.overall if n.site is not None)


def check_scores(standard: Standard, scores: SiteScores) -> None:
    """ValueError naming the first score for an attribute the standard does not have, or a
    score off its scale. Scores at sites outside the sample are checked too: bad input is
    refused wherever it sits."""
    for site, by_attribute in scores.items():
        for code, score in by_attribute.items():
            if not standard.has_attribute(code):
                raise ValueError(
                    f"site {site}: {code!r} is not an attribute of {standard.code} "
                    f"v{standard.version}"
                )
            try:
                standard.scale.band_of(score)
            except ValueError as exc:
                raise ValueError(f"site {site}, attribute {code}: {exc}") from None


def _check_sites(sites: Sequence[str]) -> None:
    seen: set[str] = set()
    for site in sites:
        if site in seen:
            raise ValueError(f"site {site!r} is listed twice")
        seen.add(site)


def display_mean(mean: float | None, places: int = 1) -> str:
    """A mean for people: rounded *down* to ``places`` decimals (2.96 → "2.9", the band it has
    reached stays Intention), "—" when nothing was scored."""
    if mean is None:
        return "—"
    factor = 10**places
    return f"{math.floor(round(mean * factor, 9)) / factor:.{places}f}"


def _result(
    standard: Standard, code: str, site: str | None, total_: int, sum_: int, n: int
) -> NodeResult:
    if n == 0:
        return NodeResult(code, site, None, None, 0, total_)
    exact = Fraction(sum_, n)
    return NodeResult(code, site, float(exact), standard.scale.band_of_mean(exact), n, total_)


def results(standard: Standard, scores: SiteScores, sites: Sequence[str]) -> Results:
    """Compute every result for the required ``sites`` (in their order). Scores at other
    sites are ignored here (``decide`` reports them). ValueError for a site listed twice, an
    unknown attribute or a score off the scale. Linear in attributes × sites × tree depth."""
    _check_sites(sites)
    check_scores(standard, scores)
    empty: Mapping[str, int] = {}
    site_scores = [scores.get(site, empty) for site in sites]

    # node code ("" = whole standard) -> per-site [sum, count]
    sums: dict[str, list[list[int]]] = {
        code: [[0, 0] for _ in sites] for code in ["", *(n.code for n in standard.nodes)]
    }
    attributes: list[AttributeResult] = []
    for attribute in standard.attributes:
        codes = ["", *(n.code for n in standard.path_of(attribute.code))]
        by_site: list[tuple[str, int | None]] = []
        weakest: int | None = None
        weakest_site: str | None = None
        total = 0
        for i, site in enumerate(sites):
            score = site_scores[i].get(attribute.code)
            by_site.append((site, score))
            if score is None:
                continue
            total += score
            if weakest is None or score < weakest:
                weakest, weakest_site = score, site
            for code in codes:
                cell = sums[code][i]
                cell[0] += score
                cell[1] += 1
        n_scored = len(sites) - sum(1 for _, s in by_site if s is None)
        complete = bool(sites) and n_scored == len(sites)
        attributes.append(
            AttributeResult(
                code=attribute.code,
                mandatory=attribute.mandatory,
                by_site=tuple(by_site),
                weakest=weakest,
                weakest_site=weakest_site,
                mean=float(Fraction(total, n_scored)) if n_scored else None,
                decision_band=(
                    standard.scale.band_of(weakest) if complete and weakest is not None else None
                ),
            )
        )

    def rows(code: str, size: int) -> list[NodeResult]:
        out = [
            _result(standard, code, site, size, cell[0], cell[1])
            for site, cell in zip(sites, sums[code], strict=True)
        ]
        across_sum = sum(cell[0] for cell in sums[code])
        across_n = sum(cell[1] for cell in sums[code])
        out.append(_result(standard, code, None, size * len(sites), across_sum, across_n))
        return out

    nodes: list[NodeResult] = []
    for node in standard.nodes:
        nodes.extend(rows(node.code, len(standard.attributes_under(node.code))))
    return Results(
        attributes=tuple(attributes),
        nodes=tuple(nodes),
        overall=tuple(rows("", len(standard.attributes))),
    )
