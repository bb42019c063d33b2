"""Read and validate catalogue specification files, reporting every error with its line.

Pure Python (no Django): the CLI's ``catalogue validate`` and the importer share it, so a file
that validates is exactly a file that imports.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from assay.files.digest import text_sha256

SCHEMA_PATH = Path(__file__).parent / "schema" / "spec-v1.schema.json"
LIBRARY_DIR = Path(__file__).parent / "library"

PathPart = str | int
SemanticCheck = Callable[[Mapping[str, Any]], Iterator[tuple[list[PathPart], str]]]


@dataclass(frozen=True, slots=True)
class SpecError:
    """One problem in one file, located by JSON path and (when known) line number."""

    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    file: str
    data: dict[str, Any] | None
    errors: tuple[SpecError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors and self.data is not None


MAX_BYTES = 5 * 1024 * 1024
"""Largest spec file read: the shipped ones are far smaller; a bigger one is a mistake or worse."""
MAX_DEPTH = 64
"""Deepest nesting composed: the formats need about 10 levels; the composer recurses per level."""


class SpecYAMLError(yaml.YAMLError):
    """A spec file refused while composing, located by JSON path and line."""

    def __init__(self, parts: list[PathPart], mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.path = json_path(parts)
        self.line = mark.line + 1 if mark is not None else None
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader for untrusted spec files.

    Dates stay strings (the schema, not YAML, decides what a date is). Anchors and aliases are
    refused outright: no format needs them, and they are how a 545-byte file expands to gigabytes
    ("billion laughs"). Nesting is bounded, so a deep file is an error and not a RecursionError,
    and a key given twice in one mapping is an error, not a silent overwrite.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._parts: list[PathPart] = []
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        part: PathPart | None = None
        if isinstance(parent, yaml.SequenceNode) and isinstance(index, int):
            part = index
        elif isinstance(parent, yaml.MappingNode) and isinstance(index, yaml.ScalarNode):
            part = index.value
        if part is not None:
            self._parts.append(part)
        self._depth += 1
        try:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise SpecYAMLError(
                    self._parts,
                    event.start_mark,
                    "YAML anchors and aliases (&name, *name) are not allowed in spec files; "
                    "write the content out in full",
                )
            if self._depth > MAX_DEPTH:
                raise SpecYAMLError(
                    self._parts,
                    event.start_mark,
                    f"nested more than {MAX_DEPTH} levels deep; spec files need far fewer",
                )
            node = super().compose_node(parent, index)
            assert node is not None
            return node
        finally:
            self._depth -= 1
            if part is not None:
                self._parts.pop()

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.MappingNode, None, start.implicit)
        node = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        seen: dict[tuple[str, str], int] = {}
        while not self.check_event(yaml.MappingEndEvent):
            key = self.compose_node(node, None)
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    first = seen[key.tag, key.value]
                    raise SpecYAMLError(
                        [*self._parts, key.value],
                        key.start_mark,
                        f"duplicate key {key.value!r} (first given on line {first})",
                    )
                seen[key.tag, key.value] = key.start_mark.line + 1
            value = self.compose_node(node, key)
            node.value.append((key, value))
        node.end_mark = self.get_event().end_mark
        return node


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Compose once (refusing aliases, depth and duplicate keys), then construct from the node."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def too_big(size: int, file: str) -> SpecError | None:
    """The size refusal, checked before a byte is parsed."""
    if size <= MAX_BYTES:
        return None
    return SpecError(
        file, "$", None, f"file is {size:,} bytes; spec files may be at most {MAX_BYTES:,} bytes"
    )


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the spec format (documented in docs/catalogue-format.md)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def canonical_sha256(data: Mapping[str, Any]) -> str:
    """Hash of the content, not the bytes: re-formatting a file is not a new version."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text_sha256(blob)


def json_path(parts: Iterator[PathPart] | list[PathPart] | tuple[PathPart, ...]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _line_of(node: yaml.Node | None, parts: list[PathPart]) -> int | None:
    """Walk the composed YAML tree along ``parts``; the deepest node found gives the line."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in parts:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def load_text(
    text: str,
    file: str,
    *,
    schema_doc: Mapping[str, Any] | None = None,
    semantic: SemanticCheck | None = None,
) -> LoadedSpec:
    """Parse and validate one spec given as text.

    ``schema_doc`` and ``semantic`` default to the catalogue's; other spec formats (the audit
    standards) pass theirs, so every format reports errors the same way (file:line, JSON path).
    """
    big = too_big(len(text.encode("utf-8")), file)
    if big is not None:
        return LoadedSpec(file, None, (big,))
    try:
        node, data = _parse(text)
    except SpecYAMLError as exc:
        return LoadedSpec(file, None, (SpecError(file, exc.path, exc.line, exc.message),))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return LoadedSpec(file, None, (SpecError(file, "$", line, f"not valid YAML: {problem}"),))
    if not isinstance(data, dict):
        return LoadedSpec(file, None, (SpecError(file, "$", 1, "the file must hold a mapping"),))

    errors: list[SpecError] = []
    # Loaded here, not at import: only importing a spec file needs it, and a web server that
    # never validates one is spared its memory.
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema() if schema_doc is None else schema_doc)
    check = semantic_errors if semantic is None else semantic
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        parts = list(err.absolute_path)
        errors.append(SpecError(file, json_path(parts), _line_of(node, parts), err.message))
    if not errors:
        for parts, message in check(data):
            errors.append(SpecError(file, json_path(parts), _line_of(node, parts), message))
    return LoadedSpec(file, None if errors else data, tuple(errors))


def load_file(path: str | Path) -> LoadedSpec:
    """Parse and validate one spec file (cached while the file is unchanged)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        return LoadedSpec(str(path), None, (SpecError(str(path), "$", None, str(exc)),))
    big = too_big(stat.st_size, str(path))
    if big is not None:
        return LoadedSpec(str(path), None, (big,))
    return _load_file(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load_file(path: str, mtime_ns: int, size: int) -> LoadedSpec:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSpec(path, None, (SpecError(path, "$", None, str(exc)),))
    return load_text(text, path)


def library_files() -> list[Path]:
    """The specification files shipped with Assay, frameworks before what refers to them."""
    order = {"framework": 0, "membership": 1, "qualification": 2, "crosswalk": 3}

    def kind_of(path: Path) -> int:
        head = path.read_text(encoding="utf-8")[:2000]
        for kind, rank in order.items():
            if f"kind: {kind}" in head:
                return rank
        return 9

    return sorted(LIBRARY_DIR.glob("*.yaml"), key=lambda p: (kind_of(p), p.name))


def semantic_errors(data: Mapping[str, Any]) -> Iterator[tuple[list[PathPart], str]]:
    """Cross-references the schema cannot express (unique numbers, known units and groups)."""
    if data.get("kind") == "framework":
        yield from _duplicates([a["code"] for a in data["areas"]], ["areas"], "area code")
        seen: set[str] = set()
        for i, area in enumerate(data["areas"]):
            for j, function in enumerate(area["functions"]):
                if function["code"] in seen:
                    yield (
                        ["areas", i, "functions", j],
                        f"duplicate function code {function['code']!r}",
                    )
                seen.add(function["code"])
    if data.get("kind") == "membership":
        yield from _duplicates([g["id"] for g in data["grades"]], ["grades"], "grade id")
    if data.get("kind") != "qualification":
        return
    groups = [g["id"] for g in data["groups"]]
    yield from _duplicates(groups, ["groups"], "group id")
    numbers = [u["number"] for u in data["units"]]
    yield from _duplicates(numbers, ["units"], "unit number")
    known_units, known_groups = set(numbers), set(groups)
    for i, unit in enumerate(data["units"]):
        if unit["group"] not in known_groups:
            yield ["units", i, "group"], f"unknown group {unit['group']!r}"
        yield from _unit_errors(unit, ["units", i])
    for i, rule in enumerate(data.get("rules", [])):
        for j, number in enumerate(rule.get("units", [])):
            if number not in known_units:
                yield ["rules", i, "units", j], f"unknown unit {number!r}"
        for j, group in enumerate(rule.get("groups", [])):
            if group not in known_groups:
                yield ["rules", i, "groups", j], f"unknown group {group!r}"
        where = rule.get("where", {})
        if "group" in where and where["group"] not in known_groups:
            yield ["rules", i, "where", "group"], f"unknown group {where['group']!r}"
        for j, number in enumerate(where.get("units", [])):
            if number not in known_units:
                yield ["rules", i, "where", "units", j], f"unknown unit {number!r}"
    yield from _duplicates([r["id"] for r in data.get("rules", [])], ["rules"], "rule id")


def _unit_errors(
    unit: Mapping[str, Any], at: list[PathPart]
) -> Iterator[tuple[list[PathPart], str]]:
    outcomes = unit.get("outcomes", [])
    yield from _duplicates([o["number"] for o in outcomes], [*at, "outcomes"], "outcome number")
    for i, outcome in enumerate(outcomes):
        numbers = [c["number"] for c in outcome["criteria"]]
        yield from _duplicates(numbers, [*at, "outcomes", i, "criteria"], "criterion number")
        for j, number in enumerate(numbers):
            if number.split(".")[0] != outcome["number"]:
                where = [*at, "outcomes", i, "criteria", j, "number"]
                yield where, f"criterion {number} does not belong to outcome {outcome['number']}"
    elements = [e["number"] for e in unit.get("elements", [])]
    yield from _duplicates(elements, [*at, "elements"], "element number")
    requirements = [r["number"] for r in unit.get("evidence_requirements", [])]
    yield from _duplicates(requirements, [*at, "evidence_requirements"], "evidence requirement")
    for i, req in enumerate(unit.get("evidence_requirements", [])):
        rng = req.get("range")
        if rng and isinstance(rng["select"], int) and rng["select"] > len(rng["items"]):
            where = [*at, "evidence_requirements", i, "range", "select"]
            yield where, f"asks for {rng['select']} of only {len(rng['items'])} items"
        if rng:
            keys = [item["key"] for item in rng["items"]]
            yield from _duplicates(keys, [*at, "evidence_requirements", i, "range"], "range key")


def _duplicates(
    values: list[str], at: list[PathPart], what: str
) -> Iterator[tuple[list[PathPart], str]]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield [*at, i], f"duplicate {what} {value!r}"
        seen.add(value)
