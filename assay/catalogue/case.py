"""Export catalogue specs as 1EdTech CASE 1.1 packages (CFPackage JSON).

Pure module: standard library and typing only, no Django. Input is a parsed spec file
(``yaml.safe_load`` of a file valid against ``schema/spec-v1.schema.json``); output is a
JSON-ready dict valid against the CASE 1.1 CFPackage JSON Schema (JSON Schema 2020-12).

Public functions:

* :func:`export_case` - one qualification, optionally with its crosswalk to a NOS
  functional map, as a CFPackage.
* :func:`export_case_framework` - a NOS functional map (``kind: framework``) as a CFPackage,
  so that the key functions referenced by a qualification's crosswalk associations resolve.

Modelling
---------

Tree (every CFItem has exactly one ``isChildOf``; origin = child, destination = parent)::

    CFDocument                                   the qualification as a framework document
      Qualification          "4430-04"           spec code
        Unit                 "4430-401"          unit code as printed, else the unit number
          Learning Outcome   "401 1"             "<unit number> <outcome number>"
            Assessment Criterion "401 1.1"       "<unit number> <criterion number>"
          Element            "7.1"               element number as printed (NVQ element
                                                 numbers already start with the unit number;
                                                 otherwise "<unit number> <element number>")

``humanCodingScheme`` is unique within a package; ``listEnumeration`` carries the number
exactly as printed ("401", "1", "1.1", "7.1"). ``fullStatement`` is the spec text verbatim
(unit, outcome and element titles; criterion texts).

Unit groups (mandatory/optional groups, Edexcel themes) become ``CFAssociationGroupings``
(in ``CFDefinitions``, the only place the package schema has for them), one per group, and
each unit's ``isChildOf`` the qualification names its group via ``CFAssociationGroupingURI``.

Crosswalk entries become one association each (``exactMatchOf`` or ``isRelatedTo``, entries
with ``none`` are skipped) from the unit to the NOS key function. The key functions belong to
another framework, so they are *not* CFItems of the qualification package (CFItems of a package
are the components of its CFDocument, and each must sit in its tree); they are referenced as
external CASE nodes (``LinkGenURI`` with ``targetType: "CASE"``) whose identifiers are the ones
:func:`export_case_framework` gives those key functions.

``educationLevel`` is omitted: CASE expects US grade-level codes there, which UK RQF/QCF levels
are not; a unit's level, credit and guided learning hours go into ``notes`` (and, structured,
into ``extensions.assay``). Rules of combination, evidence requirements and assessment texts
have no CASE equivalent and are not exported (the printed structure text goes into the
qualification item's notes).

Identifiers and stability
-------------------------

Every identifier is ``uuid5(CASE_NAMESPACE, name)`` with names like
``assay:cg-4430-04:2.0:unit:401`` (spec id, spec version, kind of node, printed numbers), and
every ``uri`` is ``urn:assay:case:<identifier>`` (no network host). ``lastChangeDateTime`` is
the first instant of the source's publication date ("2011-08" -> "2011-08-01T00:00:00+00:00"),
or :data:`UNDATED` when the spec gives none, unless ``exported_at`` is passed. The same input
therefore always gives the same package, byte for byte once serialised.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Mapping
from typing import Any

__all__ = [
    "CASE_NAMESPACE",
    "ITEM_TYPES",
    "UNDATED",
    "case_identifier",
    "case_uri",
    "export_case",
    "export_case_framework",
]

#: Fixed namespace for all uuid5 identifiers Assay puts in CASE packages. Never change it:
#: every exported identifier depends on it.
CASE_NAMESPACE = uuid.UUID("221d03f6-1e35-409a-8df7-470ae46b5fcd")

#: ``lastChangeDateTime`` used when a spec gives no parseable publication date.
UNDATED = "1970-01-01T00:00:00+00:00"

URI_PREFIX = "urn:assay:case:"

#: CFItemType title -> (hierarchyCode, typeCode, description).
ITEM_TYPES: dict[str, tuple[str, str, str]] = {
    "Qualification": (
        "1",
        "qualification",
        "A regulated qualification as published by its awarding body.",
    ),
    "Unit": ("2", "unit", "A unit of a qualification."),
    "Learning Outcome": (
        "3",
        "learning-outcome",
        "A learning outcome of a unit: what the learner will be able to do or know.",
    ),
    "Element": (
        "3",
        "element",
        "An element of competence of an NVQ unit (used where a unit has elements, not outcomes).",
    ),
    "Assessment Criterion": (
        "4",
        "assessment-criterion",
        "An assessment criterion of a learning outcome: what the learner must show.",
    ),
    "Key Area": (
        "1",
        "key-area",
        "A key competency area of a National Occupational Standards functional map.",
    ),
    "Key Function": (
        "2",
        "key-function",
        "A key function of a National Occupational Standards functional map.",
    ),
}

_RELATIONS = ("exactMatchOf", "isRelatedTo")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


# --------------------------------------------------------------------------- identifiers


def case_identifier(name: str) -> str:
    """The CASE identifier (uuid5 in :data:`CASE_NAMESPACE`) for an Assay node name."""
    return str(uuid.uuid5(CASE_NAMESPACE, name))


def case_uri(identifier: str) -> str:
    """The ``uri`` for a CASE identifier: ``urn:assay:case:<identifier>``."""
    return URI_PREFIX + identifier


def _spec_prefix(spec: Mapping[str, Any]) -> str:
    return f"assay:{spec['id']}:{spec['version']}"


def _function_name(framework: Mapping[str, Any], code: str) -> str:
    return f"{_spec_prefix(framework)}:function:{code}"


def _item_type_name(title: str) -> str:
    return f"assay:case:item-type:{title}"


# --------------------------------------------------------------------------- dates


def _timestamp(spec: Mapping[str, Any], exported_at: str | None) -> str:
    if exported_at is not None:
        return _parse_exported_at(exported_at).isoformat()
    published = spec.get("source", {}).get("published")
    day = _parse_published(published)
    if day is None:
        return UNDATED
    return _dt.datetime.combine(day, _dt.time(), tzinfo=_dt.UTC).isoformat()


def _parse_exported_at(value: str) -> _dt.datetime:
    try:
        moment = _dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"exported_at is not an ISO 8601 date-time: {value!r}") from exc
    if moment.tzinfo is None:
        raise ValueError(f"exported_at needs a UTC offset: {value!r}")
    return moment


def _parse_published(value: object) -> _dt.date | None:
    """First day of the publication date: 2011-08-23, 2011-08, 2011, August 2011, 23 August 2011."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if match:
        year, month, day = match.groups()
        return _date(int(year), int(month or 1), int(day or 1))
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if match and match.group(2).lower() in _MONTHS:
        day, month, year = match.groups()
        return _date(int(year), _MONTHS[month.lower()], int(day or 1))
    return None


def _date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------- builder


class _Package:
    """Collects the records of one CFPackage and checks identifiers are unique."""

    def __init__(self, timestamp: str) -> None:
        self.timestamp = timestamp
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.groupings: list[dict[str, Any]] = []
        self.item_types: dict[str, dict[str, Any]] = {}
        self._seen: set[str] = set()

    def new_identifier(self, name: str) -> str:
        identifier = case_identifier(name)
        if identifier in self._seen:
            raise ValueError(f"duplicate node in spec: {name!r}")
        self._seen.add(identifier)
        return identifier

    def item_type(self, title: str) -> dict[str, str]:
        if title not in self.item_types:
            hierarchy_code, type_code, description = ITEM_TYPES[title]
            identifier = case_identifier(_item_type_name(title))
            self.item_types[title] = {
                "identifier": identifier,
                "uri": case_uri(identifier),
                "title": title,
                "description": description,
                "hierarchyCode": hierarchy_code,
                "typeCode": type_code,
                "lastChangeDateTime": self.timestamp,
            }
        record = self.item_types[title]
        return {"title": title, "identifier": record["identifier"], "uri": record["uri"]}

    def add_item(
        self,
        name: str,
        item_type: str,
        full_statement: str,
        human_coding_scheme: str,
        *,
        list_enumeration: str | None = None,
        notes: str | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> dict[str, str]:
        """Add a CFItem; returns its LinkGenURI (for associations)."""
        identifier = self.new_identifier(name)
        item: dict[str, Any] = {
            "identifier": identifier,
            "uri": case_uri(identifier),
            "fullStatement": full_statement,
            "humanCodingScheme": human_coding_scheme,
        }
        if list_enumeration is not None:
            item["listEnumeration"] = list_enumeration
        item["CFItemType"] = item_type
        item["CFItemTypeURI"] = self.item_type(item_type)
        item["language"] = "en"
        if notes:
            item["notes"] = notes
        item["lastChangeDateTime"] = self.timestamp
        if extensions:
            item["extensions"] = {"assay": dict(extensions)}
        self.items.append(item)
        return _link(f"{human_coding_scheme} {full_statement}", identifier)

    def add_grouping(self, name: str, title: str, description: str) -> dict[str, str]:
        identifier = self.new_identifier(name)
        grouping = {
            "identifier": identifier,
            "uri": case_uri(identifier),
            "title": title,
            "description": description,
            "lastChangeDateTime": self.timestamp,
        }
        self.groupings.append(grouping)
        return {"title": title, "identifier": identifier, "uri": grouping["uri"]}

    def associate(
        self,
        name: str,
        association_type: str,
        origin: Mapping[str, str],
        destination: Mapping[str, str],
        *,
        sequence: int | None = None,
        grouping: Mapping[str, str] | None = None,
        notes: str | None = None,
    ) -> None:
        identifier = self.new_identifier(name)
        association: dict[str, Any] = {
            "identifier": identifier,
            "associationType": association_type,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        association["uri"] = case_uri(identifier)
        association["originNodeURI"] = dict(origin)
        association["destinationNodeURI"] = dict(destination)
        if grouping is not None:
            association["CFAssociationGroupingURI"] = dict(grouping)
        association["lastChangeDateTime"] = self.timestamp
        if notes:
            association["notes"] = notes
        self.associations.append(association)

    def child_of(
        self,
        parent_name: str,
        child_name: str,
        child: Mapping[str, str],
        parent: Mapping[str, str],
        sequence: int,
        grouping: Mapping[str, str] | None = None,
    ) -> None:
        self.associate(
            f"{child_name}:isChildOf:{parent_name}",
            "isChildOf",
            child,
            parent,
            sequence=sequence,
            grouping=grouping,
        )

    def package(self, document: dict[str, Any]) -> dict[str, Any]:
        definitions: dict[str, Any] = {
            "CFItemTypes": [
                self.item_types[title] for title in ITEM_TYPES if title in self.item_types
            ]
        }
        if self.groupings:
            definitions["CFAssociationGroupings"] = self.groupings
        return {
            "CFDocument": document,
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": definitions,
        }


def _link(title: str, identifier: str) -> dict[str, str]:
    return {
        "title": title,
        "identifier": identifier,
        "uri": case_uri(identifier),
        "targetType": "CASE",
    }


def _document(
    spec: Mapping[str, Any],
    identifier: str,
    creator: str,
    timestamp: str,
    *,
    adoption_status: str = "Adopted",
    status_end: str | None = None,
) -> dict[str, Any]:
    source = spec["source"]
    document: dict[str, Any] = {
        "identifier": identifier,
        "uri": case_uri(identifier),
        "caseVersion": "1.1",
        "creator": creator,
        "title": spec["title"],
        "lastChangeDateTime": timestamp,
    }
    if source.get("publisher"):
        document["publisher"] = source["publisher"]
    if spec.get("description"):
        document["description"] = spec["description"]
    document["language"] = "en"
    document["version"] = str(spec["version"])
    document["adoptionStatus"] = adoption_status
    if status_end is not None:
        document["statusEndDate"] = status_end
    document["notes"] = _source_note(source)
    return document


def _source_note(source: Mapping[str, Any]) -> str:
    details = [str(source[key]) for key in ("issue", "published") if source.get(key)]
    suffix = f" ({', '.join(details)})" if details else ""
    return f"Source: {source['document']}{suffix}."


def _join(*parts: str | None, sep: str = "\n") -> str:
    return sep.join(part for part in parts if part)


def _number(value: object) -> str:
    return str(value)


# --------------------------------------------------------------------------- qualification


def export_case(
    qualification: Mapping[str, Any],
    *,
    framework: Mapping[str, Any] | None = None,
    crosswalk: Mapping[str, Any] | None = None,
    exported_at: str | None = None,
) -> dict[str, Any]:
    """Return the CASE 1.1 CFPackage (a JSON-ready dict) for one qualification spec.

    ``framework`` (a ``kind: framework`` spec) and ``crosswalk`` (a ``kind: crosswalk`` spec
    from this qualification to that framework) add one ``exactMatchOf``/``isRelatedTo``
    association per crosswalk entry whose relation is not ``none``. ``exported_at`` (ISO 8601
    with offset) overrides the spec-derived ``lastChangeDateTime`` of every record and is the
    reference date for ``adoptionStatus``. Raises ``ValueError`` on inconsistent input.
    """
    if qualification.get("kind") != "qualification":
        raise ValueError(f"not a qualification spec: kind={qualification.get('kind')!r}")
    if crosswalk is not None and framework is None:
        raise ValueError("a crosswalk needs its framework (the key functions' titles)")

    timestamp = _timestamp(qualification, exported_at)
    pkg = _Package(timestamp)
    prefix = _spec_prefix(qualification)

    # Document ---------------------------------------------------------------------------
    last_cert = qualification.get("last_certification")
    status = "Adopted"
    if (
        last_cert is not None
        and exported_at is not None
        and _parse_exported_at(exported_at).date() > _dt.date.fromisoformat(str(last_cert))
    ):
        status = "Deprecated"
    doc_id = pkg.new_identifier(f"{prefix}:document")
    document = _document(
        qualification,
        doc_id,
        qualification["awarding_body"],
        timestamp,
        adoption_status=status,
        status_end=None if last_cert is None else str(last_cert),
    )
    doc_link = _link(qualification["title"], doc_id)

    # Qualification item -------------------------------------------------------------------
    qual_name = f"{prefix}:qualification"
    qual_notes = _join(
        f"Level {qualification['level']}.",
        _labelled("Accreditation number", qualification.get("accreditation_number")),
        _labelled("Last registration", qualification.get("last_registration")),
        _labelled("Last certification", qualification.get("last_certification")),
        qualification.get("code_note"),
        *qualification.get("structure_text", ()),
    )
    qual_link = pkg.add_item(
        qual_name,
        "Qualification",
        qualification["title"],
        _number(qualification["code"]),
        notes=qual_notes,
        extensions=_compact(
            level=qualification["level"],
            accreditation_number=qualification.get("accreditation_number"),
            last_registration=_str_or_none(qualification.get("last_registration")),
            last_certification=_str_or_none(qualification.get("last_certification")),
        ),
    )
    pkg.child_of(f"{prefix}:document", qual_name, qual_link, doc_link, 1)

    # Groups -----------------------------------------------------------------------------
    groups: dict[str, Mapping[str, Any]] = {}
    group_links: dict[str, dict[str, str]] = {}
    for group in qualification["groups"]:
        gid = group["id"]
        groups[gid] = group
        kind = "Mandatory group" if group["mandatory"] else "Optional group"
        group_links[gid] = pkg.add_grouping(
            f"{prefix}:group:{gid}",
            group["name"],
            _join(f"{kind}.", group.get("heading"), group.get("description"), sep=" "),
        )

    # Units and their children -------------------------------------------------------------
    unit_links: dict[str, dict[str, str]] = {}
    for u_seq, unit in enumerate(qualification["units"], start=1):
        u_no = _number(unit["number"])
        group = groups.get(unit["group"])
        if group is None:
            raise ValueError(f"unit {u_no} names unknown group {unit['group']!r}")
        unit_name = f"{prefix}:unit:{u_no}"
        unit_link = pkg.add_item(
            unit_name,
            "Unit",
            unit["title"],
            _number(unit.get("code") or u_no),
            list_enumeration=u_no,
            notes=_unit_notes(unit, group),
            extensions={
                "level": unit["level"],
                "credit": unit["credit"],  # None (JSON null) = not stated in the source
                "glh": unit["glh"],
                "group": unit["group"],
                "mandatory": group["mandatory"],
                **_compact(ndaq=unit.get("ndaq"), nos=unit.get("nos")),
            },
        )
        unit_links[u_no] = unit_link
        pkg.child_of(qual_name, unit_name, unit_link, qual_link, u_seq, group_links[unit["group"]])

        for o_seq, outcome in enumerate(unit.get("outcomes", ()), start=1):
            o_no = _number(outcome["number"])
            outcome_name = f"{unit_name}:outcome:{o_no}"
            outcome_link = pkg.add_item(
                outcome_name,
                "Learning Outcome",
                outcome["title"],
                f"{u_no} {o_no}",
                list_enumeration=o_no,
            )
            pkg.child_of(unit_name, outcome_name, outcome_link, unit_link, o_seq)
            for c_seq, criterion in enumerate(outcome["criteria"], start=1):
                c_no = _number(criterion["number"])
                criterion_name = f"{outcome_name}:criterion:{c_no}"
                criterion_link = pkg.add_item(
                    criterion_name,
                    "Assessment Criterion",
                    criterion["text"],
                    f"{u_no} {c_no}",
                    list_enumeration=c_no,
                )
                pkg.child_of(outcome_name, criterion_name, criterion_link, outcome_link, c_seq)

        for e_seq, element in enumerate(unit.get("elements", ()), start=1):
            e_no = _number(element["number"])
            element_name = f"{unit_name}:element:{e_no}"
            code = e_no if e_no.startswith(f"{u_no}.") else f"{u_no} {e_no}"
            element_link = pkg.add_item(
                element_name, "Element", element["title"], code, list_enumeration=e_no
            )
            pkg.child_of(unit_name, element_name, element_link, unit_link, e_seq)

    # Crosswalk ----------------------------------------------------------------------------
    if crosswalk is not None and framework is not None:
        _add_crosswalk(pkg, qualification, framework, crosswalk, unit_links)

    return pkg.package(document)


def _add_crosswalk(
    pkg: _Package,
    qualification: Mapping[str, Any],
    framework: Mapping[str, Any],
    crosswalk: Mapping[str, Any],
    unit_links: Mapping[str, dict[str, str]],
) -> None:
    if crosswalk.get("kind") != "crosswalk":
        raise ValueError(f"not a crosswalk spec: kind={crosswalk.get('kind')!r}")
    if framework.get("kind") != "framework":
        raise ValueError(f"not a framework spec: kind={framework.get('kind')!r}")
    if crosswalk["from"] != qualification["id"]:
        raise ValueError(
            f"crosswalk {crosswalk['id']} is from {crosswalk['from']!r}, not from "
            f"{qualification['id']!r}"
        )
    if crosswalk["to"] != framework["id"]:
        raise ValueError(
            f"crosswalk {crosswalk['id']} is to {crosswalk['to']!r}, not to {framework['id']!r}"
        )
    functions = {f["code"]: f for area in framework["areas"] for f in area["functions"]}
    prefix = _spec_prefix(crosswalk)
    for entry in crosswalk["entries"]:
        relation = entry["relation"]
        if relation == "none":
            continue
        if relation not in _RELATIONS:
            raise ValueError(f"unknown crosswalk relation {relation!r}")
        u_no = _number(entry["unit"])
        if u_no not in unit_links:
            raise ValueError(f"crosswalk {crosswalk['id']} names unknown unit {u_no!r}")
        code = entry.get("function")
        if code is None:
            raise ValueError(f"crosswalk entry for unit {u_no} is {relation} but names no function")
        if code not in functions:
            raise ValueError(f"crosswalk entry for unit {u_no} names unknown function {code!r}")
        destination = _link(
            f"{code} {functions[code]['title']}",
            case_identifier(_function_name(framework, code)),
        )
        pkg.associate(
            f"{prefix}:{u_no}:{relation}:{code}",
            relation,
            unit_links[u_no],
            destination,
            notes=_join(_labelled("NOS 2010", entry.get("nos_2010")), entry.get("note"), sep=" "),
        )


def _unit_notes(unit: Mapping[str, Any], group: Mapping[str, Any]) -> str:
    credit = unit["credit"]
    glh = unit["glh"]
    kind = "Mandatory" if group["mandatory"] else "Optional"
    return _join(
        f"Level {unit['level']}.",
        "Credit value not stated." if credit is None else f"Credit value {credit}.",
        "Guided learning hours not stated." if glh is None else f"Guided learning hours {glh}.",
        f"{kind} group: {group['name']}.",
        _labelled("Unit accreditation number", unit.get("ndaq")),
        _labelled("NOS", unit.get("nos")),
        sep=" ",
    )


def _labelled(label: str, value: object) -> str | None:
    return None if value is None or value == "" else f"{label}: {value}."


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _compact(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


# --------------------------------------------------------------------------- framework


def export_case_framework(
    framework: Mapping[str, Any], *, exported_at: str | None = None
) -> dict[str, Any]:
    """Return the CASE 1.1 CFPackage for a NOS functional map (``kind: framework``).

    Key areas ("A") and key functions ("INSCS001") become CFItems; their identifiers are the
    ones :func:`export_case` uses for crosswalk destinations.
    """
    if framework.get("kind") != "framework":
        raise ValueError(f"not a framework spec: kind={framework.get('kind')!r}")
    timestamp = _timestamp(framework, exported_at)
    pkg = _Package(timestamp)
    prefix = _spec_prefix(framework)
    doc_name = f"{prefix}:document"
    doc_id = pkg.new_identifier(doc_name)
    creator = framework["source"].get("publisher") or "Unknown (the source names no publisher)"
    document = _document(framework, doc_id, creator, timestamp)
    if framework.get("key_purpose"):
        document["description"] = _join(
            f"Key purpose: {framework['key_purpose']}", framework.get("description"), sep="\n\n"
        )
    doc_link = _link(framework["title"], doc_id)
    for a_seq, area in enumerate(framework["areas"], start=1):
        area_name = f"{prefix}:area:{area['code']}"
        area_link = pkg.add_item(area_name, "Key Area", area["title"], area["code"])
        pkg.child_of(doc_name, area_name, area_link, doc_link, a_seq)
        for f_seq, function in enumerate(area["functions"], start=1):
            function_name = _function_name(framework, function["code"])
            function_link = pkg.add_item(
                function_name, "Key Function", function["title"], function["code"]
            )
            pkg.child_of(area_name, function_name, function_link, area_link, f_seq)
    return pkg.package(document)
