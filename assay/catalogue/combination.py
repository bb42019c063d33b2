"""Turn a qualification spec (parsed file) into the engine's typed rules. No Django here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.engines.combination.model import (
    AtLeast,
    AtMost,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    Mandatory,
    Measure,
    Rule,
    Spec,
    Unit,
    Where,
)


def engine_spec(data: Mapping[str, Any]) -> Spec:
    """The engine's view of a qualification spec: units with level/credit/GLH/group, and rules."""
    # The engine names groups in its explanations, so it gets the printed names, not the ids.
    names = {g["id"]: g["name"] for g in data["groups"]}
    mandatory_groups = {g["id"] for g in data["groups"] if g["mandatory"]}
    units = tuple(
        Unit(
            number=u["number"],
            level=u["level"],
            group=names[u["group"]],
            credit=u["credit"],
            glh=u["glh"],
            mandatory=u["group"] in mandatory_groups,
            title=u["title"],
        )
        for u in data["units"]
    )
    rules = tuple(_rule(r, names) for r in data["rules"])
    return Spec(code=data["code"], units=units, rules=rules)


def _where(raw: Mapping[str, Any] | None, names: Mapping[str, str]) -> Where:
    raw = raw or {}
    units = raw.get("units")
    return Where(
        level=raw.get("level"),
        min_level=raw.get("min_level"),
        max_level=raw.get("max_level"),
        group=names[raw["group"]] if "group" in raw else None,
        mandatory=raw.get("mandatory"),
        units=frozenset(units) if units else None,
    )


def _rule(raw: Mapping[str, Any], names: Mapping[str, str]) -> Rule:
    kind, rid, text = raw["type"], raw["id"], raw["text"]
    if kind == "mandatory":
        return Mandatory(id=rid, text=text, units=tuple(raw["units"]))
    if kind == "barred":
        return Barred(id=rid, text=text, units=tuple(raw["units"]))
    if kind == "equivalent":
        return Equivalent(id=rid, text=text, units=tuple(raw["units"]))
    measure = Measure(raw["measure"])
    if kind == "each_group":
        groups = tuple(names[g] for g in raw["groups"])
        return EachGroup(id=rid, text=text, measure=measure, value=raw["value"], groups=groups)
    value, where = raw["value"], _where(raw.get("where"), names)
    if kind == "at_least":
        return AtLeast(id=rid, text=text, measure=measure, value=value, where=where)
    if kind == "at_most":
        return AtMost(id=rid, text=text, measure=measure, value=value, where=where)
    if kind == "exactly":
        return Exactly(id=rid, text=text, measure=measure, value=value, where=where)
    raise ValueError(f"unknown rule type {kind!r}")
