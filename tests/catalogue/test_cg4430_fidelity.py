"""Fidelity of the City & Guilds 4430-04 catalogue file to its seed handbook.

The expected values below were typed by hand from the seed (section 1.1 structure table
and the unit pages), independently of scripts/extract_cg4430.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
CATALOGUE_FILE = REPO / "assay" / "catalogue" / "library" / "cg-4430-04.yaml"
SCHEMA_FILE = REPO / "assay" / "catalogue" / "schema" / "spec-v1.schema.json"
SCRIPT_FILE = REPO / "scripts" / "extract_cg4430.py"
SEED_NAME = "001_e717978a9050c68c.txt"

M, IMP, DEL, HP, DI = (
    "customer-service-foundations",
    "impression-and-image",
    "delivery",
    "handling-problems",
    "development-and-improvement",
)

# number, level, credit, GLH, group, NOS code -- section 1.1, in table order
STRUCTURE_TABLE = [
    ("401", 4, 10, 65, M, "F5"),
    ("402", 4, 10, 65, M, "F6"),
    ("303", 3, 6, 40, IMP, "A13"),
    ("304", 3, 8, 53, IMP, "A14"),
    ("305", 3, 7, 47, IMP, "A15"),
    ("306", 3, 7, 47, IMP, "A16"),
    ("403", 4, 10, 67, IMP, "A17"),
    ("404", 4, 11, 73, IMP, "A18"),
    ("307", 3, 6, 40, DEL, "B9"),
    ("308", 3, 6, 40, DEL, "B10"),
    ("309", 3, 7, 47, DEL, "B11"),
    ("405", 4, 8, 53, DEL, "B12"),
    ("406", 4, 10, 67, DEL, "B13"),
    ("407", 4, 8, 53, DEL, "B14"),
    ("408", 4, 8, 53, DEL, "B15"),
    ("409", 4, 8, 53, DEL, "B16"),
    ("310", 3, 6, 40, HP, "C5"),
    ("311", 3, 10, 67, HP, "C6"),
    ("312", 3, 6, 40, HP, "C7"),
    ("410", 4, 10, 67, HP, "C8"),
    ("313", 3, 8, 53, DI, "D8"),
    ("314", 3, 7, 47, DI, "D9"),
    ("315", 3, 8, 53, DI, "D10"),
    ("316", 3, 7, 47, DI, "D11"),
    ("317", 3, 10, 67, DI, "D12"),
    ("318", 3, 7, 47, DI, "D13"),
    ("411", 4, 10, 67, DI, "D14"),
    ("412", 4, 9, 60, DI, "D15"),
    ("413", 4, 11, 73, DI, "D16"),
    ("414", 4, 7, 47, DI, "D17"),
    ("415", 4, 11, 73, DI, "D18"),
    ("416", 4, 11, 73, DI, "D19"),
    ("417", 4, 7, 47, DI, "D20"),
]

# assessment criteria per unit, counted on the unit pages
CRITERIA_PER_UNIT = {
    "401": 29,
    "402": 21,
    "403": 21,
    "404": 22,
    "405": 21,
    "406": 27,
    "407": 17,
    "408": 18,
    "409": 17,
    "410": 25,
    "411": 22,
    "412": 19,
    "413": 24,
    "414": 14,
    "415": 24,
    "416": 22,
    "417": 21,
}

NDAQ = {
    "401": "J/601/1630",
    "402": "D/601/1634",
    "403": "T/601/1235",
    "404": "F/601/1237",
    "405": "M/601/1234",
    "406": "A/601/1236",
    "407": "J/601/1238",
    "408": "L/601/1239",
    "409": "F/601/1240",
    "410": "K/601/1524",
    "411": "L/601/1578",
    "412": "L/601/1581",
    "413": "M/601/1587",
    "414": "A/601/1592",
    "415": "Y/601/1597",
    "416": "R/601/1601",
    "417": "K/601/1605",
}

EVIDENCE_LEAD = re.compile(r"^(- \d+ |\d+\. )")

SIMULATION_NEVER = {"401", "402", "404", "415", "416", "417"}
SIMULATION_EXCEPTION = {"405"}

DETAILED = list(CRITERIA_PER_UNIT)


def seeds_dir() -> Path:
    configured = os.environ.get("ASSAY_SEEDS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "seeds"


def normalise(text: str) -> str:
    return " ".join(text.replace("**", "").split())


@pytest.fixture(scope="module")
def seed_path() -> Path:
    path = seeds_dir() / SEED_NAME
    if not path.is_file():
        pytest.fail(
            f"seed {SEED_NAME} not found at {path}; set ASSAY_SEEDS_DIR to the directory "
            "holding the seed documents"
        )
    return path


@pytest.fixture(scope="module")
def seed_lines(seed_path: Path) -> set[str]:
    """Every line of the seed, whitespace- and markdown-normalised."""
    return {normalise(line) for line in seed_path.read_text(encoding="utf-8").splitlines()}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def units(catalogue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["number"]: u for u in catalogue["units"]}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_cg4430", SCRIPT_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def test_validates_against_schema(catalogue: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(catalogue), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_script_reproduces_the_file(seed_path: Path) -> None:
    script = load_script()
    rendered = script.render(script.build(seed_path), seed_path.name)
    assert rendered == CATALOGUE_FILE.read_text(encoding="utf-8"), (
        "cg-4430-04.yaml differs from what scripts/extract_cg4430.py generates from the seed"
    )


def test_qualification_facts(catalogue: dict[str, Any]) -> None:
    assert catalogue["format"] == "assay-catalogue/1"
    assert catalogue["kind"] == "qualification"
    assert catalogue["id"] == "cg-4430-04"
    assert catalogue["version"] == "2.0.1"  # issue 2.0, 2nd transcription
    assert catalogue["title"] == "Level 4 NVQ Diploma in Customer Service"
    assert catalogue["code"] == "4430-04"
    assert catalogue["awarding_body"] == "City & Guilds"
    assert catalogue["level"] == 4
    assert catalogue["accreditation_number"] == "500/8817/8"
    assert catalogue["last_registration"] == "2014-07-31"
    assert catalogue["last_certification"] == "2017-07-31"
    assert catalogue["minimum_age"] == 18
    assert catalogue["nos_framework"] == "nos-customer-service"
    assert catalogue["equivalent_qualifications"] == []
    assert catalogue["source"]["seed"] == SEED_NAME
    assert catalogue["source"]["published"] == "2011-08"
    assert catalogue["structure_text"][1:] == [
        "Minimum Credit Value: 67",
        "A minimum of 35 credits must be at level 4",
        "The learner must achieve 20 credits from the Mandatory Units.",
        "A further 47 credits must be achieved by completing a minimum of one unit from each "
        "Optional Group.",
    ]
    assert any("same type, content and level" in r for r in catalogue["entry_rules"])
    assert any("under the age of 18" in r for r in catalogue["entry_rules"])
    assert "real job (either paid or voluntary)" in catalogue["real_job_rule"]
    assert catalogue["simulation_rule"].startswith("Simulation and Realistic Working Environment")


def test_front_matter_texts_are_verbatim(catalogue: dict[str, Any], seed_lines: set[str]) -> None:
    assert catalogue["description"] in seed_lines
    assert catalogue["real_job_rule"] in seed_lines
    assert any(catalogue["simulation_rule"] in line for line in seed_lines)
    for rule in catalogue["entry_rules"]:
        assert rule in seed_lines, rule
    for line in catalogue["structure_text"]:
        assert line in seed_lines, line


def test_groups(catalogue: dict[str, Any]) -> None:
    assert [(g["id"], g["mandatory"]) for g in catalogue["groups"]] == [
        (M, True),
        (IMP, False),
        (DEL, False),
        (HP, False),
        (DI, False),
    ]
    assert catalogue["groups"][0]["name"] == "Customer Service Foundations"
    assert catalogue["groups"][0]["heading"] == "Mandatory Units - Customer Service Foundations"
    assert catalogue["groups"][1]["heading"] == "Optional Units - Impression and Image"


def test_exactly_33_units_matching_the_structure_table(catalogue: dict[str, Any]) -> None:
    actual = [
        (u["number"], u["level"], u["credit"], u["glh"], u["group"], u["nos"])
        for u in catalogue["units"]
    ]
    assert len(actual) == 33
    assert actual == STRUCTURE_TABLE
    assert all(u["code"] == f"4430-{u['number']}" for u in catalogue["units"])


def test_unit_titles_are_the_table_titles(catalogue: dict[str, Any], seed_lines: set[str]) -> None:
    for unit in catalogue["units"]:
        row = f"4430-{unit['number']} {unit['title']} ({unit['nos']})"
        assert any(line.startswith(row + " ") for line in seed_lines), row


def test_rules(catalogue: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in catalogue["rules"]}
    assert list(rules) == [
        "mandatory-units",
        "minimum-credit",
        "level-4-credit",
        "one-per-optional-group",
    ]
    assert rules["mandatory-units"]["type"] == "mandatory"
    assert rules["mandatory-units"]["units"] == ["401", "402"]
    assert (rules["minimum-credit"]["measure"], rules["minimum-credit"]["value"]) == ("credit", 67)
    assert rules["level-4-credit"]["value"] == 35
    assert rules["level-4-credit"]["where"] == {"min_level": 4}
    optional = rules["one-per-optional-group"]
    assert (optional["type"], optional["measure"], optional["value"]) == ("each_group", "units", 1)
    assert optional["groups"] == [IMP, DEL, HP, DI]
    assert any("47" in note and "67" in note for note in catalogue["notes"])


def test_only_units_401_to_417_carry_unit_pages(units: dict[str, dict[str, Any]]) -> None:
    for number, unit in units.items():
        if number in CRITERIA_PER_UNIT:
            assert unit["ndaq"] == NDAQ[number]
            assert unit["real_job_required"] is True
            assert unit["nos_relationship"].startswith("This unit directly relates to Unit ")
            assert unit["endorsement"] == (
                "This unit has been developed by the Institute of Customer Service."
            )
            assert unit["assessment"].startswith("This unit will be assessed by portfolio")
            assert unit["aim"]
        else:
            assert "outcomes" not in unit
            assert "ndaq" not in unit


def test_364_assessment_criteria(units: dict[str, dict[str, Any]]) -> None:
    counts = {
        number: sum(len(o["criteria"]) for o in unit["outcomes"])
        for number, unit in units.items()
        if "outcomes" in unit
    }
    assert counts == CRITERIA_PER_UNIT
    assert sum(counts.values()) == 364


def test_numbering_runs_without_gaps(units: dict[str, dict[str, Any]]) -> None:
    for number in DETAILED:
        outcomes = units[number]["outcomes"]
        assert [o["number"] for o in outcomes] == [str(k) for k in range(1, len(outcomes) + 1)]
        for outcome in outcomes:
            expected = [f"{outcome['number']}.{k}" for k in range(1, len(outcome["criteria"]) + 1)]
            assert [c["number"] for c in outcome["criteria"]] == expected, (number, outcome)
        requirements = units[number]["evidence_requirements"]
        assert [r["number"] for r in requirements] == [
            str(k) for k in range(1, len(requirements) + 1)
        ]


def test_outcomes_and_criteria_are_verbatim(
    units: dict[str, dict[str, Any]], seed_lines: set[str]
) -> None:
    for number in DETAILED:
        for outcome in units[number]["outcomes"]:
            heading = f"Outcome {outcome['number']}: {outcome['title']}"
            assert heading in seed_lines or heading + "Assessment Criteria" in seed_lines, (
                number,
                heading,
            )
            for criterion in outcome["criteria"]:
                line = f"- {criterion['number']} {criterion['text']}"
                assert line in seed_lines, (number, line)


def test_unit_page_texts_are_verbatim(
    units: dict[str, dict[str, Any]], seed_lines: set[str]
) -> None:
    # evidence lead texts are printed "- 4 text", or "4. text" where the extraction damaged a list
    leads = {EVIDENCE_LEAD.sub("", line) for line in seed_lines if EVIDENCE_LEAD.match(line)}
    for number in DETAILED:
        unit = units[number]
        for field in ("nos_relationship", "endorsement", "assessment"):
            assert unit[field] in seed_lines, (number, field)
        for paragraph in unit["aim"].split("\n\n"):
            assert paragraph in seed_lines, (number, "aim")
        for requirement in unit["evidence_requirements"]:
            text = requirement["text"]
            assert text in leads, (number, text)
            for item in requirement.get("range", {}).get("items", []):
                printed = {f"- {item['key']} {item['text']}{end}" for end in ("", ".", ";")}
                assert printed & seed_lines, (number, item)
                assert not item["text"].endswith((".", ";"))


def test_simulation(units: dict[str, dict[str, Any]]) -> None:
    for number in DETAILED:
        simulation = units[number]["simulation"]
        if number in SIMULATION_NEVER:
            expected = "never"
        elif number in SIMULATION_EXCEPTION:
            expected = "exception"
        else:
            expected = "knowledge-only"
        assert simulation["allowed"] == expected, number
        assert simulation["text"].startswith("Simulation is not allowed")
        assert simulation["text"] in units[number]["evidence_requirements"][0]["text"]
    unit_405 = units["405"]["simulation"]
    assert unit_405["exception"] == (
        "except when realistic practices are staged to test emergency procedures"
    )
    assert unit_405["text"] == (
        "Simulation is not allowed for performance evidence within this Unit except when "
        "realistic practices are staged to test emergency procedures."
    )


def requirement(units: dict[str, dict[str, Any]], unit: str, number: str) -> dict[str, Any]:
    found = [r for r in units[unit]["evidence_requirements"] if r["number"] == number]
    assert len(found) == 1
    return found[0]


def test_evidence_ranges_spot_checks(units: dict[str, dict[str, Any]]) -> None:
    groups_403 = requirement(units, "403", "6")
    assert groups_403["text"] == (
        "You must provide evidence that you have responded to requests for information and "
        "advice from two of these groups:"
    )
    assert groups_403["range"] == {
        "select": 2,
        "items": [
            {"key": "a", "text": "front line staff"},
            {"key": "b", "text": "supervisors or team leaders"},
            {"key": "c", "text": "senior managers"},
            {"key": "d", "text": "colleagues in other departments"},
            {"key": "e", "text": "service partners"},
        ],
    }
    assert "range" not in requirement(units, "403", "8")
    assert requirement(units, "407", "6")["range"]["select"] == 3
    assert requirement(units, "412", "4")["range"]["select"] == 2
    assert requirement(units, "416", "4")["range"]["select"] == 1

    waste = requirement(units, "404", "5")
    assert waste["text"] == "The waste management policy used in your evidence must cover:"
    assert waste["range"]["select"] == "all"
    assert [i["text"] for i in waste["range"]["items"]] == [
        "reduction",
        "re-use",
        "re-cycling",
        "disposal",
    ]
    risks = requirement(units, "405", "4")["range"]
    assert risks["select"] == "all"
    assert [i["key"] for i in risks["items"]] == list("abcdef")


def test_seed_inconsistencies_are_recorded(
    units: dict[str, dict[str, Any]], catalogue: dict[str, Any]
) -> None:
    notes = " ".join(catalogue["notes"])
    # 414: the unit page says 70 guided learning hours, the structure table 47.
    assert units["414"]["glh"] == 47
    assert "Unit 414" in notes and "70" in notes
    # 408: the last two evidence requirements are printed "4." and "5." after item 4.
    assert [r["number"] for r in units["408"]["evidence_requirements"]] == list("123456")
    assert requirement(units, "408", "5")["text"].startswith("Your communication with customers")
    assert requirement(units, "408", "6")["range"]["select"] == "all"
    assert "Unit 408" in notes
    # 417: the NOS sentence prints "D 20".
    assert units["417"]["nos"] == "D20"
    assert "D 20" in units["417"]["nos_relationship"]


def test_verbatim_check_is_exact_per_line(seed_lines: set[str]) -> None:
    """A truncated criterion must not pass; only whitespace and ** are normalised."""
    assert "- 1.1 exercise customer service management responsibility" not in seed_lines
    assert normalise("- 2.1  display **leadership**\tin a customer service role") in seed_lines
