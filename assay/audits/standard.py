"""A standard's stored content → the audit engine's ``Standard`` (pure, no Django)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from assay.engines.audit.model import Attribute, Band, Node, Scale, Standard


def standard_from_content(data: Mapping[str, Any]) -> Standard:
    """Build the engine's view of a validated standard file (nodes and attributes in file order)."""
    scale = Scale(
        bands=tuple(
            Band(b["key"], b["label"], b["low"], b["high"], b["description"])
            for b in data["scale"]["bands"]
        )
    )
    nodes: list[Node] = []
    attributes: list[Attribute] = []
    for node, parent in _walk(data["nodes"], None):
        nodes.append(Node(node["code"], node["title"], parent, node["level"]))
        attributes.extend(
            Attribute(
                code=a["code"],
                title=a["title"],
                parent=node["code"],
                mandatory=a["category"] == "mandatory",
                guidance=a.get("guidance", ""),
            )
            for a in node.get("attributes", [])
        )
    return Standard(
        code=data["code"],
        version=int(data["version"]),
        title=data["title"],
        scale=scale,
        nodes=tuple(nodes),
        attributes=tuple(attributes),
        failing_bands=frozenset(data["scale"].get("failing_bands", ["intention"])),
    )


def _walk(
    nodes: list[Mapping[str, Any]], parent: str | None
) -> Iterator[tuple[Mapping[str, Any], str | None]]:
    for node in nodes:
        yield node, parent
        yield from _walk(node.get("nodes", []), node["code"])
