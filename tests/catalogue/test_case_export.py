"""CASE 1.1 export (assay.catalogue.case): schema validity, tree shape, groupings, crosswalks,
deterministic identifiers. Offline: the CFPackage schema is a saved copy in tests/data."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from assay.catalogue.case import CASE_NAMESPACE, export_case, export_case_framework

ROOT = Path(__file__).resolve().parents[2]
CASE_SCHEMA_PATH = ROOT / "tests" / "data" / "case-v1p1-cfpackage-schema.json"
SPEC_SCHEMA_PATH = ROOT / "assay" / "catalogue" / "schema" / "spec-v1.schema.json"
LIBRARY = ROOT / "assay" / "catalogue" / "library"

URN = re.compile(
    r"urn:assay:case:([0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"
)
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})",
)
PARENT_TYPE = {
    "Unit": "Qualification",
    "Learning Outcome": "Unit",
    "Element": "Unit",
    "Assessment Criterion": "Learning Outcome",
}

# The installed jsonschema has no rfc3987/rfc3339 extras, so "uri" and "date-time" would go
# unchecked; check them here with the standard library instead.
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.fullmatch(value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


# --------------------------------------------------------------------------- fixture

QUALIFICATION: dict[str, Any] = {
    "format": "assay-catalogue/1",
    "kind": "qualification",
    "id": "fx-qual",
    "version": "1.0",
    "title": "Fixture Certificate in Customer Service",
    "code": "9999-01",
    "awarding_body": "Fixture Awards",
    "level": 2,
    "last_certification": "2015-07-31",
    "source": {
        "document": "Fixture Certificate in Customer Service handbook",
        "publisher": "Fixture Awards",
        "issue": "Issue 1",
        "published": "2011-08",
    },
    "groups": [
        {"id": "core", "name": "Core", "heading": "Mandatory units", "mandatory": True},
        {"id": "options", "name": "Options", "mandatory": False, "description": "Take one."},
        {"id": "empty", "name": "Empty theme", "mandatory": False},
    ],
    "units": [
        {
            "number": "201",
            "code": "9999-201",
            "title": "Deliver customer service",
            "level": 2,
            "credit": 5,
            "glh": 30,
            "group": "core",
            "outcomes": [
                {
                    "number": "1",
                    "title": "Know the customer’s needs",
                    "criteria": [
                        {"number": "1.1", "text": "identify the customer’s needs;"},
                        {"number": "1.2", "text": "check that the needs are met."},
                    ],
                },
                {
                    "number": "2",
                    "title": "Be able to keep records",
                    "criteria": [{"number": "2.1", "text": "check that the needs are met."}],
                },
            ],
        },
        {
            "number": "202",
            "title": "Handle customer problems",
            "level": 3,
            "credit": None,
            "glh": None,
            "group": "options",
            "outcomes": [
                {
                    "number": "1",
                    "title": "Resolve problems",
                    "criteria": [{"number": "1.1", "text": "resolve problems within limits"}],
                }
            ],
        },
        {
            "number": "13",
            "title": "Make customer service personal",
            "level": 2,
            "credit": None,
            "glh": None,
            "group": "options",
            "elements": [
                {"number": "13.1", "title": "Identify opportunities"},
                {"number": "13.2", "title": "Treat your customer as an individual"},
            ],
        },
    ],
    "rules": [],
}

FRAMEWORK: dict[str, Any] = {
    "format": "assay-catalogue/1",
    "kind": "framework",
    "id": "fx-nos",
    "version": "1",
    "title": "Fixture functional map",
    "source": {"document": "Fixture functional map extract"},
    "areas": [
        {
            "code": "A",
            "title": "Foundations",
            "functions": [
                {"code": "FX001", "title": "Deal with customers"},
                {"code": "FX002", "title": "Handle problems"},
            ],
        }
    ],
}

CROSSWALK: dict[str, Any] = {
    "format": "assay-catalogue/1",
    "kind": "crosswalk",
    "id": "fx-crosswalk",
    "version": "1",
    "title": "Fixture crosswalk",
    "source": {"document": "Assay's reading"},
    "from": "fx-qual",
    "to": "fx-nos",
    "entries": [
        {"unit": "201", "nos_2010": "A1", "relation": "exactMatchOf", "function": "FX001"},
        {"unit": "202", "nos_2010": "C1", "relation": "isRelatedTo", "function": "FX002"},
        {"unit": "13", "nos_2010": "A2", "relation": "none", "note": "No key function."},
    ],
}


# --------------------------------------------------------------------------- helpers


@cache
def case_schema() -> dict[str, Any]:
    return json.loads(CASE_SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(case_schema(), format_checker=FORMATS)


def errors(package: Mapping[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]


@cache
def library() -> dict[str, dict[str, Any]]:
    specs = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if isinstance(spec, dict) and "kind" in spec and "id" in spec:
            specs[path.name] = spec
    return specs


def library_qualifications() -> list[str]:
    if not LIBRARY.is_dir():
        return []
    return [name for name, spec in library().items() if spec["kind"] == "qualification"]


def crosswalk_for(qualification: Mapping[str, Any]) -> tuple[dict | None, dict | None]:
    """The library's crosswalk from this qualification and the framework it maps to."""
    by_id = {spec["id"]: spec for spec in library().values()}
    for spec in library().values():
        if spec["kind"] == "crosswalk" and spec["from"] == qualification["id"]:
            return by_id[spec["to"]], spec
    return None, None


@cache
def _library_export(name: str) -> str:
    qualification = library()[name]
    framework, crosswalk = crosswalk_for(qualification)
    return json.dumps(export_case(qualification, framework=framework, crosswalk=crosswalk))


def cases() -> list[Any]:
    """(qualification, framework, crosswalk, package) for the fixture and each library file."""
    fixture = pytest.param(
        QUALIFICATION,
        FRAMEWORK,
        CROSSWALK,
        export_case(QUALIFICATION, framework=FRAMEWORK, crosswalk=CROSSWALK),
        id="fixture",
    )
    params = [fixture]
    for name in library_qualifications():
        qualification = library()[name]
        framework, crosswalk = crosswalk_for(qualification)
        package = json.loads(_library_export(name))
        params.append(pytest.param(qualification, framework, crosswalk, package, id=name))
    return params


def walk(value: object, key: str | None = None) -> Iterator[tuple[str | None, object]]:
    yield key, value
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


def child_of(package: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]


def children(package: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    items = {item["identifier"]: item for item in package["CFItems"]}
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in sorted(child_of(package), key=lambda a: a["sequenceNumber"]):
        result[a["destinationNodeURI"]["identifier"]].append(
            items[a["originNodeURI"]["identifier"]]
        )
    return result


def one(items: list[dict[str, Any]], **match: str) -> dict[str, Any]:
    found = [item for item in items if all(item.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def qualification_item(package: Mapping[str, Any]) -> dict[str, Any]:
    return one(package["CFItems"], CFItemType="Qualification")


ALL = cases()


# --------------------------------------------------------------------------- the schema


def test_saved_schema_is_the_case_1_1_cfpackage_schema_draft_2020_12() -> None:
    schema = case_schema()
    assert "(CASE) Service Version 1.1" in schema["title"]
    assert schema["$schema"].rstrip("#").endswith("json-schema.org/draft/2020-12/schema")
    Draft202012Validator.check_schema(schema)
    refs = [v for k, v in walk(schema) if k == "$ref"]
    assert refs and all(isinstance(r, str) and r.startswith("#/$defs/") for r in refs)
    assert set(schema["required"]) == {"CFDocument"}


def test_fixture_is_a_valid_spec() -> None:
    spec_schema = json.loads(SPEC_SCHEMA_PATH.read_text(encoding="utf-8"))
    for spec in (QUALIFICATION, FRAMEWORK, CROSSWALK):
        assert list(Draft202012Validator(spec_schema).iter_errors(spec)) == []


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_package_validates_against_case_schema(qualification, framework, crosswalk, package):
    assert errors(package) == []


def test_framework_package_validates() -> None:
    assert errors(export_case_framework(FRAMEWORK)) == []
    for spec in library().values() if LIBRARY.is_dir() else ():
        if spec["kind"] == "framework":
            assert errors(export_case_framework(spec)) == [], spec["id"]


def test_validation_catches_broken_packages() -> None:
    good = export_case(QUALIFICATION)
    broken = copy.deepcopy(good)
    del broken["CFDocument"]["creator"]
    broken["CFItems"][0]["identifier"] = "not-a-uuid"
    broken["CFItems"][1]["uri"] = "no scheme"
    broken["CFAssociations"][0]["associationType"] = "isParentOf"
    broken["CFAssociations"][1]["lastChangeDateTime"] = "2011-08-01"
    messages = "\n".join(errors(broken))
    assert "'creator' is a required property" in messages
    assert "'not-a-uuid' does not match" in messages
    assert "'no scheme' is not a 'uri'" in messages
    assert "['CFAssociations', 0, 'associationType']" in messages
    assert "'2011-08-01' is not a 'date-time'" in messages


# --------------------------------------------------------------------------- document


def test_document_fields_come_from_the_spec() -> None:
    document = export_case(QUALIFICATION)["CFDocument"]
    assert document["title"] == QUALIFICATION["title"]
    assert document["creator"] == "Fixture Awards"
    assert document["version"] == "1.0"
    assert document["language"] == "en"
    assert document["caseVersion"] == "1.1"
    assert document["adoptionStatus"] == "Adopted"
    assert document["statusEndDate"] == "2015-07-31"
    assert "officialSourceURL" not in document
    assert document["notes"] == (
        "Source: Fixture Certificate in Customer Service handbook (Issue 1, 2011-08)."
    )
    assert document["lastChangeDateTime"] == "2011-08-01T00:00:00+00:00"


def test_exported_at_overrides_every_timestamp_and_dates_status() -> None:
    package = export_case(QUALIFICATION, exported_at="2024-05-06T07:08:09Z")
    stamps = {v for k, v in walk(package) if k == "lastChangeDateTime"}
    assert stamps == {"2024-05-06T07:08:09+00:00"}
    assert package["CFDocument"]["adoptionStatus"] == "Deprecated"
    early = export_case(QUALIFICATION, exported_at="2012-01-01T00:00:00+00:00")
    assert early["CFDocument"]["adoptionStatus"] == "Adopted"
    with pytest.raises(ValueError, match="UTC offset"):
        export_case(QUALIFICATION, exported_at="2024-05-06T07:08:09")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2006-09", "2006-09-01T00:00:00+00:00"),
        ("2011-08-23", "2011-08-23T00:00:00+00:00"),
        (dt.date(2011, 8, 23), "2011-08-23T00:00:00+00:00"),
        ("August 2011", "2011-08-01T00:00:00+00:00"),
        (None, "1970-01-01T00:00:00+00:00"),
    ],
)
def test_last_change_date_time_derives_from_publication(published, expected) -> None:
    spec = copy.deepcopy(QUALIFICATION)
    spec["source"]["published"] = published
    stamps = {v for k, v in walk(export_case(spec)) if k == "lastChangeDateTime"}
    assert stamps == {expected}


# --------------------------------------------------------------------------- items and tree


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_every_criterion_and_element_appears_once_verbatim_under_its_parents(
    qualification, framework, crosswalk, package
):
    kids = children(package)
    qual = qualification_item(package)
    assert qual["fullStatement"] == qualification["title"]
    assert qual["humanCodingScheme"] == str(qualification["code"])
    assert [k["listEnumeration"] for k in kids[qual["identifier"]]] == [
        u["number"] for u in qualification["units"]
    ]
    expected = Counter()
    for unit in qualification["units"]:
        unit_item = one(kids[qual["identifier"]], CFItemType="Unit", listEnumeration=unit["number"])
        assert unit_item["fullStatement"] == unit["title"]
        assert unit_item["humanCodingScheme"] == unit.get("code", unit["number"])
        assert f"Level {unit['level']}." in unit_item["notes"]
        assert unit_item["extensions"]["assay"]["credit"] == unit["credit"]
        assert unit_item["extensions"]["assay"]["glh"] == unit["glh"]
        under_unit = kids[unit_item["identifier"]]
        assert len(under_unit) == len(unit.get("outcomes", ())) + len(unit.get("elements", ()))
        for outcome in unit.get("outcomes", ()):
            expected["Learning Outcome"] += 1
            outcome_item = one(
                under_unit, CFItemType="Learning Outcome", listEnumeration=outcome["number"]
            )
            assert outcome_item["fullStatement"] == outcome["title"]
            assert outcome_item["humanCodingScheme"] == f"{unit['number']} {outcome['number']}"
            assert len(kids[outcome_item["identifier"]]) == len(outcome["criteria"])
            for criterion in outcome["criteria"]:
                expected["Assessment Criterion"] += 1
                item = one(
                    kids[outcome_item["identifier"]],
                    CFItemType="Assessment Criterion",
                    listEnumeration=criterion["number"],
                )
                assert item["fullStatement"] == criterion["text"]
                assert item["humanCodingScheme"] == f"{unit['number']} {criterion['number']}"
        for element in unit.get("elements", ()):
            expected["Element"] += 1
            item = one(under_unit, CFItemType="Element", listEnumeration=element["number"])
            assert item["fullStatement"] == element["title"]
            assert item["humanCodingScheme"] == element["number"]
    counts = Counter(item["CFItemType"] for item in package["CFItems"])
    expected.update({"Qualification": 1, "Unit": len(qualification["units"])})
    assert counts == expected


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_every_item_has_exactly_one_is_child_of_from_child_to_parent(
    qualification, framework, crosswalk, package
):
    items = {item["identifier"]: item for item in package["CFItems"]}
    document = package["CFDocument"]
    parents: dict[str, list[str]] = defaultdict(list)
    for a in child_of(package):
        origin, destination = a["originNodeURI"], a["destinationNodeURI"]
        assert origin["identifier"] in items
        assert origin["uri"] == items[origin["identifier"]]["uri"]
        parents[origin["identifier"]].append(destination["identifier"])
    assert set(parents) == set(items)
    for identifier, item in items.items():
        assert len(parents[identifier]) == 1, item
        (parent,) = parents[identifier]
        if item["CFItemType"] == "Qualification":
            assert parent == document["identifier"]
        else:
            assert items[parent]["CFItemType"] == PARENT_TYPE[item["CFItemType"]]


def test_human_coding_schemes_as_printed() -> None:
    schemes = {
        (i["CFItemType"], i["humanCodingScheme"]) for i in export_case(QUALIFICATION)["CFItems"]
    }
    assert schemes == {
        ("Qualification", "9999-01"),
        ("Unit", "9999-201"),
        ("Learning Outcome", "201 1"),
        ("Assessment Criterion", "201 1.1"),
        ("Assessment Criterion", "201 1.2"),
        ("Learning Outcome", "201 2"),
        ("Assessment Criterion", "201 2.1"),
        ("Unit", "202"),
        ("Learning Outcome", "202 1"),
        ("Assessment Criterion", "202 1.1"),
        ("Unit", "13"),
        ("Element", "13.1"),
        ("Element", "13.2"),
    }


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_human_coding_schemes_are_unique(qualification, framework, crosswalk, package):
    counts = Counter(item["humanCodingScheme"] for item in package["CFItems"])
    assert [code for code, n in counts.items() if n > 1] == []


# --------------------------------------------------------------------------- groupings


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_one_grouping_per_unit_group_used_by_unit_links(
    qualification, framework, crosswalk, package
):
    groupings = package["CFDefinitions"]["CFAssociationGroupings"]
    assert [g["title"] for g in groupings] == [g["name"] for g in qualification["groups"]]
    by_name = {g["title"]: g for g in groupings}
    group_of = {u["number"]: u["group"] for u in qualification["units"]}
    group_name = {g["id"]: g["name"] for g in qualification["groups"]}
    items = {item["identifier"]: item for item in package["CFItems"]}
    seen = 0
    for a in child_of(package):
        child = items[a["originNodeURI"]["identifier"]]
        if child["CFItemType"] != "Unit":
            assert "CFAssociationGroupingURI" not in a
            continue
        seen += 1
        expected = by_name[group_name[group_of[child["listEnumeration"]]]]
        link = a["CFAssociationGroupingURI"]
        assert (link["identifier"], link["uri"]) == (expected["identifier"], expected["uri"])
    assert seen == len(qualification["units"])


def test_grouping_descriptions_say_mandatory_or_optional() -> None:
    groupings = export_case(QUALIFICATION)["CFDefinitions"]["CFAssociationGroupings"]
    assert [g["description"] for g in groupings] == [
        "Mandatory group. Mandatory units",
        "Optional group. Take one.",
        "Optional group.",
    ]


# --------------------------------------------------------------------------- crosswalk


WITH_CROSSWALK = [p for p in ALL if (p.values if hasattr(p, "values") else p)[2] is not None]


def test_the_library_has_a_crosswalk_to_check() -> None:
    assert len(WITH_CROSSWALK) >= 2  # the inline fixture and 4430-04


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), WITH_CROSSWALK)
def test_crosswalk_associations_have_the_entry_types(qualification, framework, crosswalk, package):
    items = {item["identifier"]: item for item in package["CFItems"]}
    functions = {
        item["humanCodingScheme"]: item["identifier"]
        for item in export_case_framework(framework)["CFItems"]
        if item["CFItemType"] == "Key Function"
    }
    got = Counter()
    for a in package["CFAssociations"]:
        if a["associationType"] == "isChildOf":
            continue
        origin = items[a["originNodeURI"]["identifier"]]
        assert origin["CFItemType"] == "Unit"
        destination = a["destinationNodeURI"]
        assert destination["identifier"] not in items  # an external node, not a CFItem here
        assert destination["targetType"] == "CASE"
        code = destination["title"].split(" ", 1)[0]
        assert destination["identifier"] == functions[code]
        got[(origin["listEnumeration"], a["associationType"], code)] += 1
    expected = Counter(
        (e["unit"], e["relation"], e["function"])
        for e in crosswalk["entries"]
        if e["relation"] != "none"
    )
    assert got == expected
    assert {t for _, t, _ in got} <= {"exactMatchOf", "isRelatedTo"}


def test_crosswalk_errors_are_reported() -> None:
    with pytest.raises(ValueError, match="needs its framework"):
        export_case(QUALIFICATION, crosswalk=CROSSWALK)
    bad = copy.deepcopy(CROSSWALK)
    bad["entries"][0]["unit"] = "999"
    with pytest.raises(ValueError, match="unknown unit '999'"):
        export_case(QUALIFICATION, framework=FRAMEWORK, crosswalk=bad)
    bad = copy.deepcopy(CROSSWALK)
    bad["entries"][0]["function"] = "FX999"
    with pytest.raises(ValueError, match="unknown function 'FX999'"):
        export_case(QUALIFICATION, framework=FRAMEWORK, crosswalk=bad)
    bad = copy.deepcopy(CROSSWALK)
    bad["from"] = "other-qual"
    with pytest.raises(ValueError, match="from 'other-qual'"):
        export_case(QUALIFICATION, framework=FRAMEWORK, crosswalk=bad)


def test_duplicate_units_are_rejected() -> None:
    spec = copy.deepcopy(QUALIFICATION)
    spec["units"].append(copy.deepcopy(spec["units"][0]))
    with pytest.raises(ValueError, match="duplicate node"):
        export_case(spec)


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_export_is_deterministic(qualification, framework, crosswalk, package):
    again = export_case(
        copy.deepcopy(qualification),
        framework=copy.deepcopy(framework),
        crosswalk=copy.deepcopy(crosswalk),
    )
    assert json.dumps(again, sort_keys=True) == json.dumps(package, sort_keys=True)


@pytest.mark.parametrize(("qualification", "framework", "crosswalk", "package"), ALL)
def test_identifiers_are_uuid5_and_uris_are_urns(qualification, framework, crosswalk, package):
    identifiers = [v for k, v in walk(package) if k == "identifier"]
    uris = [v for k, v in walk(package) if k == "uri"]
    assert identifiers and len(identifiers) == len(uris)
    for identifier in identifiers:
        parsed = uuid.UUID(identifier)
        assert parsed.version == 5 and str(parsed) == identifier
    for uri in uris:
        match = URN.fullmatch(uri)
        assert match, uri
    for value in [*identifiers, *uris]:
        assert "http" not in value and "//" not in value
    records = [package["CFDocument"], *package["CFItems"], *package["CFAssociations"]]
    for key in ("CFItemTypes", "CFAssociationGroupings"):
        records += package["CFDefinitions"].get(key, [])
    own = [r["identifier"] for r in records]
    assert len(own) == len(set(own))
    for record in records:
        assert record["uri"] == f"urn:assay:case:{record['identifier']}"


def test_identifiers_are_stable_across_releases() -> None:
    # A change here re-identifies every exported node: it must be deliberate.
    assert uuid.UUID("221d03f6-1e35-409a-8df7-470ae46b5fcd") == CASE_NAMESPACE
    package = export_case(QUALIFICATION)
    assert package["CFDocument"]["identifier"] == str(
        uuid.uuid5(CASE_NAMESPACE, "assay:fx-qual:1.0:document")
    )
    unit = one(package["CFItems"], CFItemType="Unit", listEnumeration="201")
    assert unit["identifier"] == str(uuid.uuid5(CASE_NAMESPACE, "assay:fx-qual:1.0:unit:201"))


def test_no_network_host_anywhere_in_fixture_package() -> None:
    text = json.dumps(export_case(QUALIFICATION, framework=FRAMEWORK, crosswalk=CROSSWALK))
    assert "http" not in text
    assert "://" not in text
