"""Typed data of an organisational certification standard (ICSS, seed 002): its scoring scale,
its tree of perspectives and elements, and its service attributes.

Plain Python on purpose, like the other engines: the audit pages, the API, the CLI, the bench
and the tests all score, sample and decide from the same values without Django.

The seed fixes a shape ("4 key customer perspectives … Within each customer perspective there
are 3 elements and each element has a number of service attributes … divided into 2
categories: mandatory and desirable") but later editions flatten it, so the depth of the tree
is data (``Node.parent``), not code. The scale is data too: the seed's "3 I" approach is
``THREE_I`` below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import pairwise

__all__ = [
    "THREE_I",
    "Attribute",
    "Band",
    "Node",
    "Scale",
    "Standard",
    "scale_problems",
    "validate_standard",
]


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a scoring scale: the whole scores ``low``..``high`` (both included)."""

    key: str
    label: str
    low: int
    high: int
    description: str = ""

    def contains(self, value: float | Fraction) -> bool:
        """True when ``value`` (a score or a mean) lies in this band.

        A mean is in a band from its ``low`` up to, but not including, the next band's first
        score (``high + 1``): a mean of 2.9 has not reached Implementation (3), see
        ``Scale.band_of_mean``.
        """
        return self.low <= value < self.high + 1


@dataclass(frozen=True, slots=True)
class Scale:
    """A scoring scale as data; its bands must tile ``low``..``high`` without gaps or overlaps
    (checked by ``scale_problems``/``validate_standard``, so an importer can list every problem
    at once instead of failing on the first)."""

    bands: tuple[Band, ...]

    @property
    def low(self) -> int:
        """The lowest score on the scale."""
        return min(b.low for b in self.bands)

    @property
    def high(self) -> int:
        """The highest score on the scale."""
        return max(b.high for b in self.bands)

    def band_of(self, score: int) -> Band:
        """The band of a whole score; ValueError for a score off the scale (or not whole)."""
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError(f"a score must be a whole number, not {score!r}")
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        raise ValueError(f"score {score} is off the scale {self.low}–{self.high}")

    def band_of_mean(self, mean: float | Fraction) -> Band:
        """The band a mean has *reached*: the band of its whole part (rounded down).

        A band is earned, not rounded into: a site averaging 2.9 is still at Intention.
        """
        return self.band_of(math.floor(mean))

    def rank(self, band_key: str) -> int:
        """Position of a band from the bottom of the scale (0 = lowest)."""
        ordered = sorted(self.bands, key=lambda b: b.low)
        for i, band in enumerate(ordered):
            if band.key == band_key:
                return i
        raise ValueError(f"no band {band_key!r} on the scale")


THREE_I = Scale(
    bands=(
        Band(
            "intention",
            "Intention",
            0,
            2,
            "evidence exists to show that the service attribute is to be addressed in the "
            "current or next business planning phase",
        ),
        Band(
            "implementation",
            "Implementation",
            3,
            5,
            "evidence exists to show that the service attribute has been addressed within the "
            "organization and success measures identified",
        ),
        Band(
            "integration",
            "Integration",
            6,
            10,
            "evidence exists to show that the service attribute is part of the culture of the "
            "organization and measurement data is being used to enhance service delivery",
        ),
    )
)
"""The seed's "3 'I' approach": Intention 0–2, Implementation 3–5, Integration 6–10."""


@dataclass(frozen=True, slots=True)
class Node:
    """A grouping of attributes: a perspective, an element, or any level the standard uses.
    ``parent`` None marks a top node (a perspective in the seed's shape)."""

    code: str
    title: str
    parent: str | None
    level: str


@dataclass(frozen=True, slots=True)
class Attribute:
    """A service attribute. "Conformance to all mandatory attributes is required in order to
    achieve certification"; desirable ones "will see organizations approach best practice"."""

    code: str
    title: str
    parent: str
    mandatory: bool
    guidance: str = ""


@dataclass(frozen=True)
class _Index:
    """Lookups built once per standard so results and decisions stay linear in its size."""

    nodes: dict[str, Node]
    attributes: dict[str, Attribute]
    children: dict[str | None, tuple[Node, ...]]
    under: dict[str, tuple[Attribute, ...]]  # node code -> every attribute beneath it


@dataclass(frozen=True)
class Standard:
    """A versioned certification standard: scale, tree and attributes, all data.

    ``failing_bands``: a mandatory attribute whose decision band is one of these refuses
    certification ("certification to ICSS will not be granted to organizations where mandatory
    service attributes fall only under the 'Intention' category").
    """

    code: str
    version: int
    title: str
    scale: Scale
    nodes: tuple[Node, ...]
    attributes: tuple[Attribute, ...]
    failing_bands: frozenset[str] = field(default_factory=lambda: frozenset({"intention"}))

    @cached_property
    def _index(self) -> _Index:
        nodes = {n.code: n for n in self.nodes}
        children: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            children.setdefault(node.parent, []).append(node)
        under: dict[str, list[Attribute]] = {code: [] for code in nodes}
        for attribute in self.attributes:
            for node in self._walk_up(attribute.parent, nodes):
                under[node.code].append(attribute)
        return _Index(
            nodes=nodes,
            attributes={a.code: a for a in self.attributes},
            children={k: tuple(v) for k, v in children.items()},
            under={k: tuple(v) for k, v in under.items()},
        )

    @staticmethod
    def _walk_up(code: str | None, nodes: dict[str, Node]) -> Iterator[Node]:
        seen: set[str] = set()
        while code is not None and code in nodes and code not in seen:
            seen.add(code)
            node = nodes[code]
            yield node
            code = node.parent

    def node(self, code: str) -> Node:
        """The node with ``code``; KeyError if the standard has none."""
        return self._index.nodes[code]

    def attribute(self, code: str) -> Attribute:
        """The attribute with ``code``; KeyError if the standard has none."""
        return self._index.attributes[code]

    def has_attribute(self, code: str) -> bool:
        """True when ``code`` is one of this standard's attributes."""
        return code in self._index.attributes

    def path_of(self, attribute_code: str) -> tuple[Node, ...]:
        """The nodes above an attribute, root (perspective) first."""
        attribute = self.attribute(attribute_code)
        return tuple(reversed(list(self._walk_up(attribute.parent, self._index.nodes))))

    def top_nodes(self) -> tuple[Node, ...]:
        """The nodes without a parent: the perspectives in the seed's shape."""
        return self._index.children.get(None, ())

    def children_of(self, code: str) -> tuple[Node, ...]:
        """The nodes directly below ``code``."""
        return self._index.children.get(code, ())

    def attributes_under(self, code: str) -> tuple[Attribute, ...]:
        """Every attribute beneath a node, at any depth, in the standard's order."""
        return self._index.under[code]

    @property
    def mandatory(self) -> tuple[Attribute, ...]:
        """The mandatory attributes, in the standard's order."""
        return tuple(a for a in self.attributes if a.mandatory)


def scale_problems(scale: Scale) -> list[str]:
    """What is wrong with a scale: no bands, a band upside down, duplicate keys, gaps or
    overlaps between bands."""
    if not scale.bands:
        return ["the scale has no bands"]
    problems: list[str] = []
    keys = [b.key for b in scale.bands]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"the scale repeats band key {key!r}")
    for band in scale.bands:
        if band.low > band.high:
            problems.append(f"band {band.key!r} runs from {band.low} down to {band.high}")
    ordered = sorted(scale.bands, key=lambda b: (b.low, b.high))
    for below, above in pairwise(ordered):
        if above.low <= below.high:
            problems.append(f"bands {below.key!r} and {above.key!r} overlap")
        elif above.low > below.high + 1:
            problems.append(
                f"no band covers {below.high + 1}–{above.low - 1} "
                f"(between {below.key!r} and {above.key!r})"
            )
    return problems


def validate_standard(standard: Standard) -> list[str]:
    """Human-readable problems with a standard (empty when it can be used): a bad scale,
    failing bands that are not the lowest bands, duplicate codes, dangling parents, cycles,
    nodes without attributes, no mandatory attribute."""
    problems = [f"scale: {p}" for p in scale_problems(standard.scale)]
    keys = [b.key for b in standard.scale.bands]
    for key in sorted(standard.failing_bands - set(keys)):
        problems.append(f"failing band {key!r} is not a band of the scale")
    if not problems:
        # Raising a score must never turn a certifiable result into a refusal, so the failing
        # bands must be the bottom of the scale.
        ranks = sorted(standard.scale.rank(k) for k in standard.failing_bands)
        if ranks != list(range(len(ranks))):
            problems.append("failing bands must be the lowest bands of the scale")
        if len(ranks) == len(keys):
            problems.append("every band fails: no score could ever be certified")

    codes = [n.code for n in standard.nodes] + [a.code for a in standard.attributes]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"code {code!r} is used more than once")
    for code in codes:
        if not code.strip():
            problems.append("a node or attribute has an empty code")
            break

    nodes = {n.code: n for n in standard.nodes}
    for node in standard.nodes:
        if node.parent is not None and node.parent not in nodes:
            problems.append(f"node {node.code!r}: parent {node.parent!r} does not exist")
    for node in standard.nodes:
        seen: set[str] = set()
        up: str | None = node.code
        while up is not None and up in nodes:
            if up in seen:
                problems.append(f"node {node.code!r} is its own ancestor")
                break
            seen.add(up)
            up = nodes[up].parent
    if standard.nodes and not any(n.parent is None for n in standard.nodes):
        problems.append("no top node (perspective): every node has a parent")

    holding: set[str] = set()
    for attribute in standard.attributes:
        if attribute.parent not in nodes:
            problems.append(
                f"attribute {attribute.code!r}: parent {attribute.parent!r} is not a node"
            )
            continue
        holding.update(n.code for n in Standard._walk_up(attribute.parent, nodes))
    for node in standard.nodes:
        if node.code not in holding:
            problems.append(f"node {node.code!r} holds no attribute")
    if not standard.attributes:
        problems.append("the standard has no attributes")
    elif not any(a.mandatory for a in standard.attributes):
        problems.append("the standard has no mandatory attribute: nothing to certify against")
    return problems
