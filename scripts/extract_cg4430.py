#!/usr/bin/env python3
"""Transcribe the City & Guilds 4430-04 handbook (seed text) into an Assay catalogue file.

Usage::

    python scripts/extract_cg4430.py SEED_TXT OUTPUT_YAML

The seed is text extracted from the PDF handbook, so the parser reads through its
damage instead of trusting headings:

* unit pages are found by their ``Level: N`` line (four units have lost their
  ``Unit NNN`` heading line) and matched, in order, to the contents list; the NOS
  code in each page's relationship sentence must agree with the structure table;
* ``Outcome N: ...**Assessment Criteria**`` glued headings and repeated unit
  headings before Outcome 1 are tolerated; blank lines inside lists are ignored.

Every disagreement between two places in the seed (structure table against unit
page, learning-outcome list against outcome heading, printed numbering) is written
into the output's ``notes`` and printed on stderr; nothing is silently corrected.
Any structural surprise raises ``SeedError`` so a bad parse cannot pass unnoticed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FILE_ID = "cg-4430-04"

HEADER_COMMENT = """\
# Level 4 NVQ Diploma in Customer Service (City & Guilds 4430-04), handbook v2.0, August 2011.
# Generated from the seed text by scripts/extract_cg4430.py (arguments: seed path, output path),
# then reviewed against the seed. Seed: ../shared/seeds/{seed}
# Texts are verbatim from the seed; only whitespace is normalised and the ** bold markdown removed.
# Punctuation: criterion, outcome, aim and evidence lead texts keep exactly the punctuation printed
# (so 406 2.8 and 410 1.4 end with "." and a lead text keeps its ":" or lack of one). Lettered range
# items drop the one trailing "." or ";" that punctuates the printed list and nothing else.
"""

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

TABLE_ROW = re.compile(r"^4430-(\d{3})\t(.+?) \(([A-Z]\d+)\)\t(\d+)\t(\d+)\t(\d+)$")
TABLE_HEADER = re.compile(r"^City & Guilds unit number\t(.+?)\tQCF Level\tQCF Credit\tGLH$")
CONTENTS_UNIT = re.compile(r"^Unit (\d{3})\t(.+)\t\d+$")
UNIT_HEADING = re.compile(r"^Unit (\d{3})$")
OUTCOME_HEADING = re.compile(r"^Outcome (\d+): (.+?)(?:\*\*Assessment Criteria\*\*)?$")
CRITERION = re.compile(r"^- (\d+)\.(\d+) (.+)$")
LO_ITEM = re.compile(r"^- (\d+) (.+)$")
EVIDENCE_ITEM = re.compile(r"^(?:- (\d+) |(\d+)\. )(.+)$")  # "- 4 ..." or the damaged "4. ..."
RANGE_ITEM = re.compile(r"^\s+- ([a-z]) (.+)$")
SIMULATION = re.compile(r"Simulation is not allowed [^.]*\.")


class SeedError(RuntimeError):
    """The seed does not look the way this transcription expects."""


def clean(text: str) -> str:
    """Remove bold markdown and normalise whitespace; nothing else."""
    return " ".join(text.replace("**", "").split())


@dataclass
class TableRow:
    number: str
    title: str
    nos: str
    level: int
    credit: int
    glh: int
    group: str


@dataclass
class Criterion:
    number: str
    text: str


@dataclass
class Outcome:
    number: str
    title: str
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class RangeItem:
    key: str
    text: str


@dataclass
class EvidenceItem:
    printed_number: str
    text: str
    items: list[RangeItem] = field(default_factory=list)


@dataclass
class UnitPage:
    headings: list[tuple[str, str]] = field(default_factory=list)  # (number, title) seen inside
    next_heading: tuple[str, str] | None = None  # heading printed after the evidence list
    level: int | None = None
    credit: int | None = None
    ndaq: str = ""
    aim_paragraphs: list[str] = field(default_factory=list)
    outcome_count_word: str = ""
    listed_outcomes: list[tuple[str, str]] = field(default_factory=list)
    glh: int | None = None
    glh_stray_lines: list[str] = field(default_factory=list)
    nos_relationship: str = ""
    endorsement: str = ""
    assessment: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def index_of(lines: list[str], wanted: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if lines[i].strip() == wanted:
            return i
    raise SeedError(f"line {wanted!r} not found after line {start + 1}")


def first_text_after(lines: list[str], i: int) -> str:
    """The first non-blank line after line index ``i``."""
    i += 1
    while not lines[i].strip():
        i += 1
    return clean(lines[i])


def search_int(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    if not found:
        raise SeedError(f"{pattern!r} not found in {text!r}")
    return int(found.group(1))


# --- front matter -------------------------------------------------------------------------


def parse_front_matter(lines: list[str]) -> dict[str, Any]:
    intro = index_of(lines, "1 Introduction to the qualification")
    facts: dict[str, str] = {}
    last_fact = intro
    for i in range(intro, intro + 12):
        if "\t" in lines[i]:
            key, _, value = lines[i].partition("\t")
            facts[key] = value.strip()
            last_fact = i

    def iso(date: str) -> str:
        day, month, year = date.split("/")
        return f"{year}-{month}-{day}"

    description = first_text_after(lines, last_fact)

    entry = index_of(lines, "2.2 Candidate entry requirements")
    entry_end = index_of(lines, "3 Course design and delivery", entry)
    paragraphs = [clean(x) for x in lines[entry + 1 : entry_end] if x.strip()]
    real_job = next(p for p in paragraphs if p.startswith("Assessment of the Level 4"))
    simulation = real_job[real_job.index("Simulation and Realistic Working Environment") :]
    entry_rules = [
        p
        for p in paragraphs
        if p.startswith(("Candidates should not", "There are no", "This qualification is not"))
    ]

    # Section 2's transition note names the qualification this one replaced.
    transition = next(
        x for x in lines if x.startswith("Centres approved to offer the qualification")
    )
    predecessors = re.findall(r"\((\d{4}-\d{2})\) will be given automatic approval", transition)

    return {
        "title": facts["Qualification title and level"],
        "code": facts["City & Guilds qualification number"],
        "accreditation_number": facts["Qualification accreditation number"],
        "last_registration": iso(facts["Last registration date"]),
        "last_certification": iso(facts["Last certification date"]),
        "minimum_age": search_int(r"under the age of (\d+)", " ".join(entry_rules)),
        "real_job_rule": real_job,
        "simulation_rule": simulation,
        "entry_rules": entry_rules,
        "predecessors": predecessors,
        "description": description,
    }


# --- section 1.1: rules text and structure table -------------------------------------------


def parse_structure(lines: list[str]) -> tuple[list[str], list[dict[str, Any]], list[TableRow]]:
    start = index_of(lines, "1.1 Qualification structure")
    end = index_of(lines, "1.2 Opportunities for progression", start)
    body = lines[start + 1 : end]

    structure_text: list[str] = []
    for line in body:
        if line.startswith("The diagram below"):
            break
        if line.strip():
            structure_text.append(clean(line))

    groups: list[dict[str, Any]] = []
    rows: list[TableRow] = []
    group_id = ""
    for line in body:
        header = TABLE_HEADER.match(line)
        if header:
            heading = header.group(1)
            kind, _, name = heading.partition(" - ")
            group_id = slugify(name)
            groups.append(
                {
                    "id": group_id,
                    "name": name,
                    "heading": heading,
                    "mandatory": kind == "Mandatory Units",
                }
            )
            continue
        row = TABLE_ROW.match(line)
        if row:
            number, title, nos, level, credit, glh = row.groups()
            rows.append(TableRow(number, title, nos, int(level), int(credit), int(glh), group_id))
        elif line.startswith("4430-"):
            raise SeedError(f"unparsed structure table row: {line!r}")
    return structure_text, groups, rows


# --- section 5: unit pages -----------------------------------------------------------------


def contents_units(lines: list[str]) -> list[tuple[str, str]]:
    start = index_of(lines, "Contents")
    end = index_of(lines, "1 Introduction to the qualification", start)
    return [
        (m.group(1), m.group(2)) for line in lines[start:end] if (m := CONTENTS_UNIT.match(line))
    ]


SECTION_HEADINGS = {
    "Unit aim": "aim",
    "Learning outcomes": "learning_outcomes",
    "Guided learning hours": "glh",
    "Details of the relationship between the unit and relevant national occupational standards": (
        "nos"
    ),
    "Support of the unit by a sector or other appropriate body": "endorsement",
    "Assessment": "assessment",
    "Evidence requirements": "evidence",
}
IGNORED_LINES = {"Assessment Criteria", "The learner can:", "The learner will:"}


def parse_unit_page(block: list[str]) -> UnitPage:
    page = UnitPage()
    state = "facts"
    i = 0
    while i < len(block):
        raw = block[i]
        line = raw.strip()
        i += 1
        if not line or line in IGNORED_LINES:
            continue
        heading = UNIT_HEADING.match(line)
        if heading:
            title_index = i
            while not block[title_index].strip():
                title_index += 1
            found = (heading.group(1), clean(block[title_index]))
            i = title_index + 1
            if state == "evidence":
                page.next_heading = found
                state = "after"
            else:
                page.headings.append(found)
            continue
        if line in SECTION_HEADINGS:
            state = SECTION_HEADINGS[line]
            continue
        outcome = OUTCOME_HEADING.match(line)
        if outcome:
            page.outcomes.append(Outcome(outcome.group(1), clean(outcome.group(2))))
            state = "criteria"
            continue

        if state == "facts":
            key, _, value = line.partition(":")
            value = value.strip()
            if key == "Level":
                page.level = int(value)
            elif key == "Credit value":
                page.credit = int(value)
            elif key == "NDAQ number":
                page.ndaq = value
            else:
                raise SeedError(f"unexpected unit fact line {line!r}")
        elif state == "aim":
            page.aim_paragraphs.append(clean(line))
        elif state == "learning_outcomes":
            count = re.match(r"There are \*\*(\w+)\*\* learning outcomes", line)
            item = LO_ITEM.match(line)
            if count:
                page.outcome_count_word = count.group(1)
            elif item:
                page.listed_outcomes.append((item.group(1), clean(item.group(2))))
            else:
                raise SeedError(f"unexpected learning outcomes line {line!r}")
        elif state == "glh":
            hours = re.match(r"It is recommended that (\d+) hours should be allocated", line)
            if hours:
                page.glh = int(hours.group(1))
            else:
                page.glh_stray_lines.append(line)
        elif state in ("nos", "endorsement", "assessment"):
            attribute = {"nos": "nos_relationship"}.get(state, state)
            if getattr(page, attribute):
                raise SeedError(f"second {state} paragraph {line!r}")
            setattr(page, attribute, clean(line))
        elif state == "criteria":
            criterion = CRITERION.match(line)
            if not criterion:
                raise SeedError(f"unexpected assessment criteria line {line!r}")
            current = page.outcomes[-1]
            if criterion.group(1) != current.number:
                raise SeedError(f"criterion {line!r} under outcome {current.number}")
            current.criteria.append(
                Criterion(f"{criterion.group(1)}.{criterion.group(2)}", clean(criterion.group(3)))
            )
        elif state == "evidence":
            sub = RANGE_ITEM.match(raw)
            item = EVIDENCE_ITEM.match(line)
            if sub and page.evidence:
                page.evidence[-1].items.append(RangeItem(sub.group(1), clean(sub.group(2))))
            elif item:
                printed = item.group(1) or item.group(2)
                page.evidence.append(EvidenceItem(printed, clean(item.group(3))))
            else:
                raise SeedError(f"unexpected evidence requirements line {line!r}")
        else:
            raise SeedError(f"unexpected line {line!r} in state {state}")
    return page


def unit_blocks(lines: list[str]) -> tuple[tuple[str, str] | None, list[list[str]]]:
    """Split section 5 at each ``Level: N`` line; returns the first heading and the blocks."""
    start = index_of(lines, "Structure of units")
    end = index_of(lines, "Appendix 1 Sources of general information", start)
    section = lines[start:end]
    cuts = [i for i, line in enumerate(section) if re.match(r"^Level: \d+$", line.strip())]
    first_heading = None
    for i in range(cuts[0]):
        heading = UNIT_HEADING.match(section[i].strip())
        if heading:
            title = next(x for x in section[i + 1 : cuts[0]] if x.strip())
            first_heading = (heading.group(1), clean(title))
    blocks = [section[a:b] for a, b in zip(cuts, [*cuts[1:], len(section)], strict=True)]
    return first_heading, blocks


# --- assembling the catalogue document -----------------------------------------------------


def evidence_range(item: EvidenceItem) -> dict[str, Any] | None:
    if not item.items:
        return None
    words = "|".join(NUMBER_WORDS)
    counted = re.search(rf"\b({words})(?: or more)? of (?:these|the following)\b", item.text)
    select: int | str = NUMBER_WORDS[counted.group(1)] if counted else "all"
    keys = [x.key for x in item.items]
    if keys != [chr(ord("a") + k) for k in range(len(keys))]:
        raise SeedError(f"range keys {keys} are not a, b, c, ... in {item.text!r}")
    return {
        "select": select,
        "items": [{"key": x.key, "text": re.sub(r"[.;]$", "", x.text)} for x in item.items],
    }


def simulation_of(first_requirement: str) -> dict[str, str]:
    found = SIMULATION.search(first_requirement)
    if not found:
        raise SeedError(f"no simulation sentence in {first_requirement!r}")
    sentence = found.group(0)
    if " except " in sentence:
        clause = sentence[sentence.index("except ") :].rstrip(".")
        return {"allowed": "exception", "exception": clause, "text": sentence}
    if "for any evidence" in sentence:
        return {"allowed": "never", "text": sentence}
    if "performance evidence" in sentence:
        return {"allowed": "knowledge-only", "text": sentence}
    raise SeedError(f"unclassified simulation sentence {sentence!r}")


def unit_entry(row: TableRow, page: UnitPage | None, notes: list[str]) -> dict[str, Any]:
    unit: dict[str, Any] = {
        "number": row.number,
        "code": f"4430-{row.number}",
        "title": row.title,
        "level": row.level,
        "credit": row.credit,
        "glh": row.glh,
        "group": row.group,
        "nos": row.nos,
    }
    if page is None:
        return unit

    name = f"Unit {row.number}"
    for label, printed, table in (
        ("level", page.level, row.level),
        ("credit value", page.credit, row.credit),
        ("guided learning hours", page.glh, row.glh),
    ):
        if printed != table:
            notes.append(
                f"{name}: the unit page gives {label} {printed} but the structure table in 1.1 "
                f"gives {table}; the catalogue keeps the structure table's {table}."
            )
    if page.glh_stray_lines:
        notes.append(
            f"{name}: stray line(s) {page.glh_stray_lines} after the guided learning hours "
            "sentence on the unit page (PDF extraction residue) were ignored."
        )
    nos_match = re.search(r"Unit ([A-Z]) ?(\d+) of the Customer Service NOS", page.nos_relationship)
    if not nos_match or "".join(nos_match.groups()) != row.nos:
        raise SeedError(f"{name}: NOS sentence {page.nos_relationship!r} is not for {row.nos}")
    if not page.nos_relationship.startswith(f"This unit directly relates to Unit {row.nos} "):
        notes.append(
            f"{name}: the NOS sentence prints the code as {nos_match.group(0).split(' of')[0]!r};"
            f" nos is {row.nos!r} as in the structure table, nos_relationship stays verbatim."
        )

    expected_count = NUMBER_WORDS.get(page.outcome_count_word)
    if not (expected_count == len(page.listed_outcomes) == len(page.outcomes)):
        raise SeedError(f"{name}: outcome counts disagree")
    for (listed_number, listed_title), outcome in zip(
        page.listed_outcomes, page.outcomes, strict=True
    ):
        if listed_number != outcome.number:
            raise SeedError(f"{name}: outcome list numbering disagrees")
        if listed_title != outcome.title:
            notes.append(
                f"{name} outcome {outcome.number}: the learning outcomes list reads "
                f"{listed_title!r}, the Outcome heading reads {outcome.title!r}; "
                "the catalogue uses the Outcome heading."
            )
    for outcome in page.outcomes:
        numbers = [c.number for c in outcome.criteria]
        if numbers != [f"{outcome.number}.{k}" for k in range(1, len(numbers) + 1)]:
            raise SeedError(f"{name}: criteria numbering {numbers}")

    requirements: list[dict[str, Any]] = []
    for position, item in enumerate(page.evidence, start=1):
        if item.printed_number != str(position):
            notes.append(
                f"{name}: evidence requirement {position} is printed with the number "
                f"{item.printed_number!r} ({item.text[:40]}...); it is numbered {position} here "
                "so that numbers run without repeats."
            )
        requirement: dict[str, Any] = {"number": str(position), "text": item.text}
        found_range = evidence_range(item)
        if found_range:
            requirement["range"] = found_range
        requirements.append(requirement)

    if "carrying out a real job" not in page.evidence[0].text:
        raise SeedError(f"{name}: first evidence requirement is not the real-job requirement")

    unit.update(
        {
            "ndaq": page.ndaq,
            "aim": "\n\n".join(page.aim_paragraphs),
            "nos_relationship": page.nos_relationship,
            "endorsement": page.endorsement,
            "assessment": page.assessment,
            "real_job_required": True,
            "simulation": simulation_of(page.evidence[0].text),
            "outcomes": [
                {
                    "number": o.number,
                    "title": o.title,
                    "criteria": [{"number": c.number, "text": c.text} for c in o.criteria],
                }
                for o in page.outcomes
            ],
            "evidence_requirements": requirements,
        }
    )
    return unit


def build(seed: Path) -> dict[str, Any]:
    lines = seed.read_text(encoding="utf-8").splitlines()
    front = parse_front_matter(lines)
    structure_text, groups, rows = parse_structure(lines)
    by_number = {row.number: row for row in rows}
    if len(rows) != 33 or len(by_number) != 33:
        raise SeedError(f"expected 33 distinct units in the structure table, found {len(rows)}")

    contents = contents_units(lines)
    first_heading, blocks = unit_blocks(lines)
    if len(blocks) != len(contents):
        raise SeedError(f"{len(blocks)} unit pages but {len(contents)} units in the contents")

    notes: list[str] = []
    pages: dict[str, UnitPage] = {}
    heading = first_heading
    missing_headings: list[str] = []
    for (number, contents_title), block in zip(contents, blocks, strict=True):
        page = parse_unit_page(block)
        row = by_number[number]
        if contents_title != row.title:
            raise SeedError(f"Unit {number}: contents title differs from the structure table")
        if heading is None:
            missing_headings.append(number)
        for seen in [heading, *page.headings]:
            if seen is not None and seen != (number, row.title):
                raise SeedError(f"Unit {number}: page heading {seen} disagrees with the table")
        pages[number] = page
        heading = page.next_heading
    if missing_headings:
        notes.append(
            "The seed has lost the 'Unit NNN' heading of unit(s) "
            + ", ".join(missing_headings)
            + "; unit pages are identified by their order (matching the contents list) and "
            "confirmed by the NOS code in each page's relationship sentence."
        )

    mandatory = [g["id"] for g in groups if g["mandatory"]]
    optional = [g["id"] for g in groups if not g["mandatory"]]
    mandatory_units = [r.number for r in rows if r.group in mandatory]
    mandatory_credit = sum(by_number[n].credit for n in mandatory_units)
    minimum = search_int(r"Minimum Credit Value: (\d+)", " ".join(structure_text))
    mandatory_line = next(line for line in structure_text if "Mandatory Units" in line)
    further_line = next(line for line in structure_text if line.startswith("A further"))
    level_line = next(line for line in structure_text if "must be at level" in line)
    further = search_int(r"A further (\d+) credits", further_line)
    if search_int(r"achieve (\d+) credits", mandatory_line) != mandatory_credit:
        raise SeedError("the mandatory units' credits do not add up to the stated credits")
    if minimum - mandatory_credit != further:
        raise SeedError("the 'further' credits are not the minimum less the mandatory credits")

    rules: list[dict[str, Any]] = [
        {
            "id": "mandatory-units",
            "type": "mandatory",
            "text": mandatory_line,
            "units": mandatory_units,
        },
        {
            "id": "minimum-credit",
            "type": "at_least",
            "text": f"Minimum Credit Value: {minimum}",
            "measure": "credit",
            "value": minimum,
        },
        {
            "id": "level-4-credit",
            "type": "at_least",
            "text": level_line,
            "measure": "credit",
            "value": search_int(r"(\d+) credits", level_line),
            "where": {"min_level": 4},
        },
        {
            "id": "one-per-optional-group",
            "type": "each_group",
            "text": further_line,
            "measure": "units",
            "value": 1,
            "groups": optional,
        },
    ]

    reading_notes = [
        f"'{further_line}' The {further} further credits are not a separate rule: they are the "
        f"Minimum Credit Value ({minimum}) less the {mandatory_credit} credits of the mandatory "
        "units, so they are encoded by minimum-credit together with mandatory-units; the "
        "one-unit-from-each-Optional-Group part is one-per-optional-group.",
        "'A minimum of 35 credits must be at level 4' is read as credits from units whose QCF "
        "level is 4 or above (where min_level 4); the qualification has no unit above level 4.",
        "Unit titles are the structure table's titles without the NOS code suffix such as "
        "'(F5)'; they agree with the contents list and with every unit heading still printed.",
        "simulation.allowed: 'never' = 'Simulation is not allowed for any evidence within this "
        "Unit'; 'knowledge-only' = not allowed for (any) performance evidence, so only "
        "knowledge evidence may be simulated; 'exception' = unit 405, where performance "
        "evidence may be simulated only in the stated exception.",
        "Evidence requirement ranges: select is the number stated in the lead text ('two of "
        "these groups', 'three of these groups'; 'one or more of the following' in unit 416 is "
        "read as select 1, i.e. at least one); every other lettered list is select 'all'.",
        "real_job_rule and simulation_rule quote section 2.2; the Institute of Customer Service "
        "assessment strategy does not accept simulation or a Realistic Working Environment at "
        "this level, and every unit's first evidence requirement repeats the real-job rule.",
    ]

    units = [unit_entry(row, pages.get(row.number), notes) for row in rows]
    if not any("the learning outcomes list reads" in note for note in notes):
        notes.append(
            "Every unit's 'Learning outcomes' list agrees word for word with its Outcome "
            "headings, so outcome titles need no choice between the two."
        )

    seed_name = seed.name
    document: dict[str, Any] = {
        "format": "assay-catalogue/1",
        "kind": "qualification",
        "id": FILE_ID,
        "version": "2.0.1",  # 2.0 plus the predecessor from the transition note (ADR 0003)
        "title": front["title"],
        "code": front["code"],
        "awarding_body": "City & Guilds",
        "level": search_int(r"^Level (\d+)", front["title"]),
        "accreditation_number": front["accreditation_number"],
        "last_registration": front["last_registration"],
        "last_certification": front["last_certification"],
        "minimum_age": front["minimum_age"],
        "source": {
            "document": f"{front['title']} ({front['code']}) Qualification handbook for centres",
            "publisher": "City & Guilds",
            "issue": "Version 2.0",
            "published": "2011-08",
            "seed": seed_name,
        },
        "real_job_rule": front["real_job_rule"],
        "simulation_rule": front["simulation_rule"],
        "entry_rules": front["entry_rules"],
        "equivalent_qualifications": [],
        "predecessor_qualifications": front["predecessors"],
        "description": front["description"],
        "structure_text": structure_text,
        "nos_framework": "nos-customer-service",
        "groups": groups,
        "units": units,
        "rules": rules,
        "notes": reading_notes + notes,
    }
    return document


def render(document: dict[str, Any], seed_name: str) -> str:
    body = yaml.dump(
        document, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False
    )
    return HEADER_COMMENT.format(seed=seed_name, fid=FILE_ID) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("seed", type=Path, help="the 4430-04 handbook seed text")
    parser.add_argument("output", type=Path, help="where to write the catalogue YAML")
    args = parser.parse_args(argv)
    document = build(args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(document, args.seed.name), encoding="utf-8")
    for note in document["notes"]:
        print(f"note: {note}", file=sys.stderr)
    units = document["units"]
    criteria = sum(len(o["criteria"]) for u in units for o in u.get("outcomes", []))
    print(
        f"wrote {args.output}: {len(units)} units, {criteria} assessment criteria", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
