"""Read and validate standard specification files (``standard-v1.schema.json``).

Pure Python (no Django). It reuses the catalogue's loader, so errors read the same way:
``file:line: $.json.path: message``; a file that validates is exactly a file that imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from assay.catalogue.specfile import LoadedSpec, PathPart, SpecError, load_text, too_big

SCHEMA_PATH = Path(__file__).parent / "schema" / "standard-v1.schema.json"
LIBRARY_DIR = Path(__file__).parent / "library"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the standard format (documented in docs/audits.md)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def load_standard_text(text: str, file: str) -> LoadedSpec:
    """Parse and validate one standard given as text."""
    return load_text(text, file, schema_doc=schema(), semantic=semantic_errors)


def load_standard_file(path: str | Path) -> LoadedSpec:
    """Parse and validate one standard file."""
    path = Path(path)
    try:
        big = too_big(path.stat().st_size, str(path))
        if big is not None:
            return LoadedSpec(str(path), None, (big,))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSpec(str(path), None, (SpecError(str(path), "$", None, str(exc)),))
    return load_standard_text(text, str(path))


def library_files() -> list[Path]:
    """The standards shipped with Assay (illustrative texts only)."""
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def semantic_errors(data: Mapping[str, Any]) -> Iterator[tuple[list[PathPart], str]]:
    """What the schema cannot say: bands tile the scale, codes are unique across the tree."""
    bands = data["scale"]["bands"]
    keys: set[str] = set()
    previous_high: int | None = None
    for i, band in enumerate(bands):
        if band["key"] in keys:
            yield ["scale", "bands", i, "key"], f"duplicate band key {band['key']!r}"
        keys.add(band["key"])
        if band["low"] > band["high"]:
            yield ["scale", "bands", i, "high"], f"high {band['high']} is below low {band['low']}"
        if previous_high is not None and band["low"] != previous_high + 1:
            yield (
                ["scale", "bands", i, "low"],
                f"band {band['key']!r} starts at {band['low']}; the previous band ends at "
                f"{previous_high}, so it must start at {previous_high + 1} (no gaps, no overlaps)",
            )
        previous_high = band["high"]
    for i, key in enumerate(data["scale"].get("failing_bands", [])):
        if key not in keys:
            yield ["scale", "failing_bands", i], f"unknown band {key!r}"
    seen: set[str] = set()
    for parts, code in _codes(data["nodes"], ["nodes"]):
        if code in seen:
            yield [*parts, "code"], f"duplicate code {code!r}"
        seen.add(code)


def _codes(
    nodes: list[Mapping[str, Any]], at: list[PathPart]
) -> Iterator[tuple[list[PathPart], str]]:
    for i, node in enumerate(nodes):
        yield [*at, i], node["code"]
        for j, attribute in enumerate(node.get("attributes", [])):
            yield [*at, i, "attributes", j], attribute["code"]
        yield from _codes(node.get("nodes", []), [*at, i, "nodes"])
