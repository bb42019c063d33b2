"""Fidelity of the hand-written catalogue files to their source documents.

Covers the Edexcel Level 3 NVQ logbook, the Customer Service NOS functional map, the
City & Guilds 4430-04 to NOS crosswalk and the ICS membership grades. Expected values in the
tables below are typed by hand from the seeds; texts are checked verbatim against the seeds.

Seeds are found through ASSAY_SEEDS_DIR, or else ``<repo>/../shared/seeds``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from assay.catalogue.specfile import LIBRARY_DIR, SCHEMA_PATH, load_file

REPO = Path(__file__).resolve().parents[2]

SEED_EDEXCEL = "004_49e13950b0f06068.txt"
SEED_NOS = "003_85950f5cfdb1d3c5.txt"
SEED_CG4430 = "001_e717978a9050c68c.txt"
SEED_ICS = "000_eeccb77bffabf7d0.txt"

FILES = {
    "edexcel-l3-nvq-cs": SEED_EDEXCEL,
    "nos-customer-service": SEED_NOS,
    "crosswalk-cg4430-nos": SEED_CG4430,
    "ics-membership": SEED_ICS,
}


def seeds_dir() -> Path:
    configured = os.environ.get("ASSAY_SEEDS_DIR")
    path = Path(configured) if configured else REPO.parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.fail(
            f"seed directory {path} not found: set ASSAY_SEEDS_DIR to the folder holding "
            f"{SEED_EDEXCEL}, {SEED_NOS}, {SEED_CG4430} and {SEED_ICS}",
            pytrace=False,
        )
    return path


@cache
def seed(name: str) -> str:
    path = seeds_dir() / name
    if not path.is_file():
        pytest.fail(f"seed file {path} not found (ASSAY_SEEDS_DIR={seeds_dir()})", pytrace=False)
    return path.read_text(encoding="utf-8")


@cache
def flat_seed(name: str) -> str:
    """The seed with bold markup removed and every whitespace run (tabs, newlines) as one space."""
    return re.sub(r"\s+", " ", seed(name).replace("**", ""))


def assert_verbatim(text: str, seed_name: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    assert flat in flat_seed(seed_name), f"not verbatim in {seed_name}: {text!r}"


@cache
def spec(spec_id: str) -> dict[str, Any]:
    path = LIBRARY_DIR / f"{spec_id}.yaml"
    assert path.is_file(), f"{path} is missing"
    loaded = load_file(path)
    assert loaded.ok, "\n".join(map(str, loaded.errors))
    assert loaded.data is not None
    return loaded.data


def library_ids() -> set[str]:
    ids = set()
    for path in LIBRARY_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids.add(data["id"])
    return ids


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("spec_id", sorted(FILES))
def test_file_validates_against_schema(spec_id: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    path = LIBRARY_DIR / f"{spec_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(schema).iter_errors(data)
    ]
    assert not errors, "\n".join(errors)
    assert data["id"] == spec_id
    assert path.stem == spec_id
    # The project's own loader (schema + cross-references) must accept it too.
    loaded = load_file(path)
    assert loaded.ok, "\n".join(map(str, loaded.errors))


@pytest.mark.parametrize("spec_id", sorted(FILES))
def test_source_names_its_seed(spec_id: str) -> None:
    source = spec(spec_id)["source"]
    assert source["seed"] == FILES[spec_id]
    seed(source["seed"])  # the named seed exists


def test_references_resolve_to_library_files() -> None:
    ids = library_ids()
    assert spec("edexcel-l3-nvq-cs")["nos_framework"] in ids
    crosswalk = spec("crosswalk-cg4430-nos")
    assert crosswalk["from"] in ids
    assert crosswalk["to"] in ids
    for grade in spec("ics-membership")["grades"]:
        for qualification in grade["qualifications"]:
            for target in qualification.get("matches", []):
                assert target in ids, f"{qualification['title']} matches unknown {target}"


# --------------------------------------------------------------------------- Edexcel L3

# number, level, theme (group id), element count: typed from the logbook's tables.
EDEXCEL_UNITS = [
    ("7", 3, "foundations", 2),
    ("8", 3, "foundations", 2),
    ("13", 2, "impression-and-image", 2),
    ("14", 2, "impression-and-image", 3),
    ("15", 2, "impression-and-image", 3),
    ("18", 3, "impression-and-image", 2),
    ("19", 3, "impression-and-image", 3),
    ("22", 2, "delivery", 2),
    ("23", 2, "delivery", 2),
    ("24", 3, "delivery", 2),
    ("25", 3, "delivery", 3),
    ("26", 3, "delivery", 3),
    ("32", 3, "handling-problems", 3),
    ("33", 3, "handling-problems", 2),
    ("34", 3, "handling-problems", 2),
    ("39", 3, "development-and-improvement", 3),
    ("40", 3, "development-and-improvement", 3),
    ("41", 3, "development-and-improvement", 3),
    ("42", 3, "development-and-improvement", 3),
    ("43", 3, "development-and-improvement", 3),
]
EDEXCEL_GROUPS = [
    ("foundations", "Foundations", True),
    ("impression-and-image", "Impression and image", False),
    ("delivery", "Delivery", False),
    ("handling-problems", "Handling problems", False),
    ("development-and-improvement", "Development and improvement", False),
]
OPTION_THEMES = [g for g, _, mandatory in EDEXCEL_GROUPS if not mandatory]


def edexcel_table_rows() -> list[list[str]]:
    """Tab-separated rows of the logbook's unit tables."""
    return [line.split("\t") for line in seed(SEED_EDEXCEL).splitlines() if "\t" in line]


def test_edexcel_header() -> None:
    data = spec("edexcel-l3-nvq-cs")
    assert data["kind"] == "qualification"
    assert data["version"] == "2"
    assert data["code"] == "EDEXCEL-L3-NVQ-CS"
    assert "Assay" in data["code_note"]
    assert data["awarding_body"] == "Edexcel"
    assert data["level"] == 3
    assert data["source"]["issue"] == "Issue 2"
    assert data["source"]["published"] == "2006-09"
    assert_verbatim(data["title"], SEED_EDEXCEL)
    assert_verbatim(data["description"], SEED_EDEXCEL)
    assert data["description"].startswith("The Level 3 NVQ is designed for those who")
    assert_verbatim(data["simulation_rule"], SEED_EDEXCEL)
    assert "realistic working environment" in data["simulation_rule"]
    for text in data["structure_text"]:
        assert "**" not in text
        assert_verbatim(text, SEED_EDEXCEL)
    assert len(data["structure_text"]) == 3


def test_edexcel_groups_are_the_five_themes() -> None:
    groups = spec("edexcel-l3-nvq-cs")["groups"]
    assert [(g["id"], g["name"], g["mandatory"]) for g in groups] == EDEXCEL_GROUPS
    for group in groups:
        # "<Theme name>: <description>" is how the logbook prints each theme.
        assert_verbatim(f"{group['name']}: {group['description']}", SEED_EDEXCEL)


def test_edexcel_units_match_hand_typed_table() -> None:
    units = spec("edexcel-l3-nvq-cs")["units"]
    actual = [(u["number"], u["level"], u["group"], len(u["elements"])) for u in units]
    assert actual == EDEXCEL_UNITS
    mandatory = [u for u in units if u["group"] == "foundations"]
    options = [u for u in units if u["group"] != "foundations"]
    assert len(mandatory) == 2
    assert len(options) == 18
    for unit in units:
        assert unit["credit"] is None
        assert unit["glh"] is None


def test_edexcel_unit_and_element_titles_are_verbatim_table_cells() -> None:
    rows = edexcel_table_rows()
    unit_rows = {(r[1], r[2]): r[0] for r in rows if len(r) == 5 and r[1].isdigit()}
    element_cells = {(r[3], r[4]) for r in rows if len(r) == 5 and re.fullmatch(r"\d+\.\d+", r[3])}
    for unit in spec("edexcel-l3-nvq-cs")["units"]:
        key = (unit["number"], unit["title"])
        assert key in unit_rows, f"unit {key} is not a row of the logbook table"
        assert unit_rows[key] == str(unit["level"])
        assert_verbatim(unit["title"], SEED_EDEXCEL)
        for element in unit["elements"]:
            assert element["number"].split(".")[0] == unit["number"]
            assert (element["number"], element["title"]) in element_cells, element
            assert_verbatim(element["title"], SEED_EDEXCEL)
    total = sum(len(u["elements"]) for u in spec("edexcel-l3-nvq-cs")["units"])
    assert total == len(element_cells) == 51


def test_edexcel_rules() -> None:
    rules = {r["id"]: r for r in spec("edexcel-l3-nvq-cs")["rules"]}
    assert list(rules) == ["mandatory-units", "six-options", "one-per-theme", "level-2-cap"]
    assert rules["mandatory-units"]["type"] == "mandatory"
    assert rules["mandatory-units"]["units"] == ["7", "8"]
    six = rules["six-options"]
    assert (six["type"], six["measure"], six["value"]) == ("at_least", "units", 6)
    assert six["where"] == {"mandatory": False}
    theme = rules["one-per-theme"]
    assert (theme["type"], theme["measure"], theme["value"]) == ("each_group", "units", 1)
    assert theme["groups"] == OPTION_THEMES
    cap = rules["level-2-cap"]
    assert (cap["type"], cap["measure"], cap["value"]) == ("at_most", "units", 3)
    assert cap["where"] == {"level": 2}
    for rule in rules.values():
        assert_verbatim(rule["text"], SEED_EDEXCEL)


def test_edexcel_five_level_3_sentence_is_implied_in_total_only() -> None:
    """Check the arithmetic behind the note on 'at least five additional Level 3 units'."""
    units = spec("edexcel-l3-nvq-cs")["units"]
    options = [u for u in units if u["group"] != "foundations"]
    assert all(u["level"] == 3 for u in units if u["group"] == "foundations")
    level_3_option_counts = set()
    for combo in itertools.combinations(options, 6):
        if not all(any(u["group"] == g for u in combo) for g in OPTION_THEMES):
            continue
        if sum(u["level"] == 2 for u in combo) > 3:
            continue
        level_3_option_counts.add(sum(u["level"] == 3 for u in combo))
    # Valid combinations need only 3 Level 3 options: 5 Level 3 units counting the 2 mandatory.
    assert min(level_3_option_counts) == 3
    assert min(level_3_option_counts) + 2 == 5
    notes = " ".join(spec("edexcel-l3-nvq-cs")["notes"])
    assert "five additional Level 3 units" in notes
    assert "contradicts" in notes


# --------------------------------------------------------------------------- NOS map

NOS_AREAS = [
    ("A", "Customer Service Foundations", 1, 7),
    ("B", "Organisational Impression and Image", 8, 15),
    ("C", "Customer Service Delivery", 16, 24),
    ("D", "Handling Problems, Queries and Complaints", 25, 29),
    ("E", "Customer Service Management", 30, 44),
]
NOS_AREA_SIZES = {"A": 7, "B": 8, "C": 9, "D": 5, "E": 15}


def nos_seed_functions() -> dict[str, str]:
    """INSCS code -> title, split out of the run-together table cells of the seed."""
    found: dict[str, str] = {}
    for line in seed(SEED_NOS).splitlines():
        cell = line.split("\t")[-1]
        for match in re.finditer(r"(INSCS\d{3}) - (.+?)(?= INSCS\d{3} - |$)", cell):
            assert match.group(1) not in found, f"{match.group(1)} printed twice"
            found[match.group(1)] = match.group(2)
    return found


def test_nos_header() -> None:
    data = spec("nos-customer-service")
    assert data["kind"] == "framework"
    assert data["version"] == "1"
    assert data["title"] == "Customer Service National Occupational Standards functional map"
    assert_verbatim(data["key_purpose"], SEED_NOS)
    assert data["key_purpose"].startswith("The main purpose of the customer service")
    assert_verbatim(data["description"], SEED_NOS)
    assert data["description"].startswith("These standards cover")
    assert data["description"].endswith("as follows.")


def test_nos_areas_and_function_counts() -> None:
    areas = spec("nos-customer-service")["areas"]
    assert [a["code"] for a in areas] == ["A", "B", "C", "D", "E"]
    for area, (code, title, first, last) in zip(areas, NOS_AREAS, strict=True):
        assert area["title"] == title
        assert f"{code}. {title}" in seed(SEED_NOS).splitlines()
        codes = [f["code"] for f in area["functions"]]
        assert codes == [f"INSCS{n:03d}" for n in range(first, last + 1)]
        assert len(codes) == NOS_AREA_SIZES[code]
    # The page break: INSCS029 sits in a row with an empty area cell, yet belongs to D.
    area_of = {f["code"]: a["code"] for a in areas for f in a["functions"]}
    assert area_of["INSCS029"] == "D"


def test_nos_44_functions_each_once_and_verbatim() -> None:
    functions = [f for a in spec("nos-customer-service")["areas"] for f in a["functions"]]
    codes = [f["code"] for f in functions]
    assert codes == [f"INSCS{n:03d}" for n in range(1, 45)]
    assert len(set(codes)) == 44
    printed = nos_seed_functions()
    assert sorted(printed) == codes
    for function in functions:
        assert function["title"] == printed[function["code"]], function["code"]
        assert f"{function['code']} - {function['title']}" in seed(SEED_NOS)


# --------------------------------------------------------------------------- crosswalk

CG_UNIT_COUNT = 33
SAME_WORDING = {"304", "403", "406", "407", "409", "314", "317", "318", "414", "417"}


def cg_seed_units() -> list[tuple[str, str, str]]:
    """(unit, title, NOS 2010 code) from the section 1.1 structure table of the handbook."""
    rows = re.findall(
        r"^4430-(\d{3})\t(.+) \(([A-Z]\d+)\)\t\d\t\d+\t\d+$", seed(SEED_CG4430), re.MULTILINE
    )
    return [(unit, title, code) for unit, title, code in rows]


def test_crosswalk_covers_every_cg4430_unit_with_its_nos_code() -> None:
    data = spec("crosswalk-cg4430-nos")
    assert (data["from"], data["to"]) == ("cg-4430-04", "nos-customer-service")
    table = cg_seed_units()
    assert len(table) == CG_UNIT_COUNT
    entries = data["entries"]
    assert len(entries) == CG_UNIT_COUNT
    assert [(e["unit"], e["nos_2010"]) for e in entries] == [(u, c) for u, _, c in table]
    assert len({e["unit"] for e in entries}) == CG_UNIT_COUNT


def test_crosswalk_units_are_the_cg4430_spec_units() -> None:
    cg_units = {u["number"] for u in spec("cg-4430-04")["units"]}
    assert {e["unit"] for e in spec("crosswalk-cg4430-nos")["entries"]} == cg_units


def test_crosswalk_relations_are_consistent() -> None:
    titles = {
        f["code"]: f["title"] for a in spec("nos-customer-service")["areas"] for f in a["functions"]
    }
    cg_titles = {u: t for u, t, _ in cg_seed_units()}
    counts = {"exactMatchOf": 0, "isRelatedTo": 0, "none": 0}
    for entry in spec("crosswalk-cg4430-nos")["entries"]:
        counts[entry["relation"]] += 1
        assert entry.get("note"), f"unit {entry['unit']} has no note"
        if entry["relation"] == "none":
            assert "function" not in entry, entry["unit"]
            continue
        assert entry["function"] in titles, entry
        same = cg_titles[entry["unit"]] == titles[entry["function"]]
        assert same == (entry["unit"] in SAME_WORDING), entry["unit"]
        if same:
            assert entry["relation"] == "exactMatchOf"
    assert counts == {"exactMatchOf": 17, "isRelatedTo": 12, "none": 4}
    notes = " ".join(spec("crosswalk-cg4430-nos")["notes"])
    assert "Assay's reading" in notes


# --------------------------------------------------------------------------- ICS

ICS_GRADES = [("foundation", "Foundation", 1, 11), ("bronze", "Bronze", 2, 14)]
ICS_GRADES += [("management", "Management", 3, 8)]
ICS_SECTIONS = {
    "foundation": "ICS Foundation Membership",
    "bronze": "ICS Bronze membership",
    "management": "ICS Management Membership",
}
CONDITION = "provided that two or more units in customer service have been achieved"


def ics_section(heading: str) -> tuple[str, list[str]]:
    """The introductory sentence and the bullet items under one [edit] heading."""
    lines = seed(SEED_ICS).splitlines()
    start = lines.index(f"[edit] {heading}")
    body: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("[edit]"):
            break
        body.append(line)
    bullets = [line[2:] for line in body if line.startswith("- ")]
    intro = " ".join(line for line in body if not line.startswith("- "))
    return intro, bullets


def test_ics_grades_and_list_lengths() -> None:
    data = spec("ics-membership")
    assert data["body"] == "Institute of Customer Service"
    assert_verbatim(data["body"], SEED_ICS)
    grades = data["grades"]
    actual = [(g["id"], g["name"], g["rank"], len(g["qualifications"])) for g in grades]
    assert actual == ICS_GRADES


def test_ics_texts_are_verbatim() -> None:
    for grade in spec("ics-membership")["grades"]:
        intro, bullets = ics_section(ICS_SECTIONS[grade["id"]])
        printed = []
        for qualification in grade["qualifications"]:
            text = qualification["title"]
            if "note" in qualification:
                text += ". " + qualification["note"]
            printed.append(text)
        assert printed == bullets, grade["id"]
        if grade["id"] in {"foundation", "bronze"}:
            assert grade["condition"] == CONDITION
            assert CONDITION in intro
            assert grade["min_customer_service_units"] == 2
            level = 2 if grade["id"] == "foundation" else 3
            assert f"NVQ/SVQs at Level {level}" in intro
            for qualification in grade["qualifications"]:
                assert qualification["type"] == "NVQ/SVQ"
                assert qualification["level"] == level
                assert "matches" not in qualification
        else:
            assert "condition" not in grade
            assert "min_customer_service_units" not in grade


def test_ics_management_entries() -> None:
    management = {g["id"]: g for g in spec("ics-membership")["grades"]}["management"]
    by_title = {q["title"]: q for q in management["qualifications"]}
    warwick = by_title["Warwick Diploma in Service Leadership"]
    assert warwick["note"].startswith("This new qualification")
    level_4 = by_title["N/SVQ at Level 4 in Customer Service"]
    assert level_4["level"] == 4
    assert level_4["matches"] == ["cg-4430-04"]
    assert sum("matches" in q for q in management["qualifications"]) == 1
