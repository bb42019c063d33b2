"""The audit results table, built once: per node and attribute, per site and across sites.

The web results page, the PDF and XLSX reports, the report's JSON and the API's results all
render from this one read model, so a figure and the band it has reached are worked out in one
place (how results combine is ADR 0009). It holds engine types (``Band``) and plain values,
never Django models, so the report renderers that use it stay testable without a database;
``selectors.audit_results`` builds it from stored rows and ``reports.report_data.assemble``
from raw inputs, both through ``results_table``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from assay.engines.audit.model import Band, Scale, Standard
from assay.engines.audit.scoring import NodeResult, Results, display_mean

WHOLE_STANDARD = "standard"
"""The level of the row of the whole standard (node code "")."""


@dataclass(frozen=True)
class Site:
    """A sampled office as the results name it (``id`` is the key of the scores)."""

    id: str
    name: str
    state: str
    is_main: bool = False


def shown(value: float | None) -> str:
    """A score as a whole number, a mean rounded down (never a band it has not reached),
    "—" when nothing was scored."""
    if value is None:
        return "—"
    return display_mean(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class Mark:
    """A score or mean with the band it has reached (``value`` None: nothing scored)."""

    value: float | None
    band: Band | None

    @property
    def text(self) -> str:
        return shown(self.value)


def mark(scale: Scale, value: float | None) -> Mark:
    """``value`` with the band it has reached on ``scale``."""
    return Mark(value, None if value is None else scale.band_of_mean(value))


@dataclass(frozen=True, slots=True)
class ScoreMark:
    """An attribute's latest score at one site (``value`` None: not scored there)."""

    site: str
    value: int | None
    band: Band | None

    @property
    def text(self) -> str:
        return shown(self.value)


@dataclass(frozen=True, slots=True)
class NodeMark:
    """A node's mean at one site, or across sites when ``site`` is None; ``scored`` of
    ``total`` scores were present."""

    site: str | None
    value: float | None
    band: Band | None
    scored: int
    total: int

    @property
    def text(self) -> str:
        return shown(self.value)


@dataclass(frozen=True)
class NodeRow:
    """A node (perspective, element…), or the whole standard (code "", level "standard")."""

    code: str
    title: str
    level: str
    parent: str | None
    depth: int
    by_site: tuple[NodeMark, ...]
    across: NodeMark

    is_node = True

    @property
    def cells(self) -> tuple[NodeMark, ...]:
        """Per site in the sites' order, then across sites (the engine's order)."""
        return (*self.by_site, self.across)


@dataclass(frozen=True)
class AttributeRow:
    """An attribute: its score per site, mean across sites, weakest site, the band the
    decision uses (the weakest site's, None while a site is unscored) and management's
    expectation."""

    code: str
    title: str
    parent: str
    perspective: str  # the top node above it
    depth: int
    mandatory: bool
    by_site: tuple[ScoreMark, ...]
    mean: Mark
    weakest: Mark
    weakest_site: str | None
    decision_band: Band | None
    expected: Mark

    is_node = False

    @property
    def band(self) -> Band | None:
        """The band that counts: the decision band of a mandatory attribute, the mean's band
        of a desirable one."""
        return self.decision_band if self.mandatory else self.mean.band


@dataclass(frozen=True)
class ResultsTable:
    """Every row of the results. ``nodes`` and ``attributes`` keep the standard's order;
    ``tree`` lists the same rows depth first (a node, its child nodes, then its attributes)."""

    sites: tuple[Site, ...]
    overall: NodeRow
    nodes: tuple[NodeRow, ...]
    attributes: tuple[AttributeRow, ...]
    tree: tuple[NodeRow | AttributeRow, ...]

    def site_name(self, site_id: str) -> str:
        return next((s.name for s in self.sites if s.id == site_id), site_id)

    def node(self, code: str) -> NodeRow:
        """The row of a node; code "" = the whole standard."""
        if not code:
            return self.overall
        return next(n for n in self.nodes if n.code == code)

    def attribute(self, code: str) -> AttributeRow:
        return next(a for a in self.attributes if a.code == code)


def _node_mark(row: NodeResult) -> NodeMark:
    return NodeMark(row.site, row.mean, row.band, row.scored, row.total)


def results_table(
    standard: Standard,
    res: Results,
    sites: Sequence[Site] = (),
    self_assessment: Mapping[str, int] | None = None,
) -> ResultsTable:
    """The table of the engine's ``res`` for ``standard``; ``sites`` name the result's sites
    (an unnamed one is named by its id), ``self_assessment`` is management's expectation."""
    scale = standard.scale
    expected = self_assessment or {}
    known = {s.id: s for s in sites}
    columns = tuple(known.get(site, Site(site, site, "")) for site in res.sites)
    depth: dict[str, int] = {}
    for node in standard.nodes:  # a parent may come after its child in the file
        depth[node.code] = len(list(_ancestors(standard, node.parent)))

    def node_row(code: str, title: str, level: str, parent: str | None) -> NodeRow:
        return NodeRow(
            code,
            title,
            level,
            parent,
            depth.get(code, 0),
            tuple(_node_mark(res.node(code, site)) for site in res.sites),
            _node_mark(res.node(code)),
        )

    nodes = tuple(node_row(n.code, n.title, n.level, n.parent) for n in standard.nodes)
    attributes = []
    for a in standard.attributes:
        r = res.attribute(a.code)
        path = standard.path_of(a.code)
        attributes.append(
            AttributeRow(
                code=a.code,
                title=a.title,
                parent=a.parent,
                perspective=path[0].code if path else "",
                depth=depth.get(a.parent, -1) + 1,
                mandatory=a.mandatory,
                by_site=tuple(
                    ScoreMark(site, score, None if score is None else scale.band_of(score))
                    for site, score in r.by_site
                ),
                mean=mark(scale, r.mean),
                weakest=mark(scale, r.weakest),
                weakest_site=r.weakest_site,
                decision_band=r.decision_band,
                expected=mark(scale, expected.get(a.code)),
            )
        )
    by_code = {n.code: n for n in nodes}
    return ResultsTable(
        sites=columns,
        overall=node_row("", standard.title, WHOLE_STANDARD, None),
        nodes=nodes,
        attributes=tuple(attributes),
        tree=tuple(_tree(standard, by_code, {a.code: a for a in attributes})),
    )


def _ancestors(standard: Standard, code: str | None) -> Iterator[str]:
    seen: set[str] = set()
    while code is not None and code not in seen:
        seen.add(code)
        yield code
        code = standard.node(code).parent


def _tree(
    standard: Standard, nodes: Mapping[str, NodeRow], attributes: Mapping[str, AttributeRow]
) -> Iterator[NodeRow | AttributeRow]:
    def walk(code: str) -> Iterator[NodeRow | AttributeRow]:
        yield nodes[code]
        for child in standard.children_of(code):
            yield from walk(child.code)
        for a in standard.attributes:
            if a.parent == code:
                yield attributes[a.code]

    for top in standard.top_nodes():
        yield from walk(top.code)
