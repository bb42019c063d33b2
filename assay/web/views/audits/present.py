"""What the audit pages show beside the reads: a standard laid out as a tree, a score as
shown with its band, a service's errors as one sentence."""

from __future__ import annotations

from dataclasses import dataclass

from assay.audits.results_table import Mark, mark
from assay.engines.audit.model import Attribute, Node, Standard
from assay.errors import InvalidInput


@dataclass(frozen=True)
class TreeRow:
    """One line of a standard laid out as a tree: a node or an attribute at its depth."""

    depth: int
    node: Node | None = None
    attribute: Attribute | None = None


def tree_rows(standard: Standard) -> list[TreeRow]:
    """Nodes depth first, each followed by its own attributes (the tree depth is data)."""
    rows: list[TreeRow] = []

    def walk(node: Node, depth: int) -> None:
        rows.append(TreeRow(depth, node=node))
        for child in standard.children_of(node.code):
            walk(child, depth + 1)
        for a in standard.attributes:
            if a.parent == node.code:
                rows.append(TreeRow(depth + 1, attribute=a))

    for top in standard.top_nodes():
        walk(top, 0)
    return rows


def cell(standard: Standard, value: float | None) -> Mark:
    """A score or mean as shown: rounded down (never a band it has not reached) with its band."""
    return mark(standard.scale, value)


def error_text(exc: InvalidInput) -> str:
    return " ".join(m[:1].upper() + m[1:] for m in exc.errors.values())
