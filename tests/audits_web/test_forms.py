"""Parsing the scoring forms and laying out the tree: no database."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.audit.model import THREE_I, Attribute, Node, Standard
from assay.web.audit_forms import parse_self_scores, parse_site_scores
from assay.web.views.audits.present import tree_rows

STANDARD = Standard(
    code="T",
    version=1,
    title="Test",
    scale=THREE_I,
    nodes=(
        Node("S", "Service", None, "perspective"),
        Node("S1", "Charter", "S", "element"),
        Node("F", "Financial", None, "perspective"),
    ),
    attributes=(
        Attribute("S1.1", "Charter", "S1", True),
        Attribute("S1.2", "Reviewed", "S1", False),
        Attribute("S.9", "Directly under a perspective", "S", True),
        Attribute("F.1", "Budget", "F", True),
    ),
)
CODES = [a.code for a in STANDARD.attributes]


@dataclass(frozen=True)
class Row:
    score: int
    note: str = ""
    notes: str = ""


scores = st.dictionaries(st.sampled_from(CODES), st.integers(0, 10))


@given(scores)
def test_every_filled_score_is_an_entry_in_the_standards_order(given_scores: dict) -> None:
    post = {f"score-{code}": str(v) for code, v in given_scores.items()}
    entries, errors = parse_self_scores(post, STANDARD, {})
    assert errors == {}
    assert [(e.attribute, e.score) for e in entries] == [
        (c, given_scores[c]) for c in CODES if c in given_scores
    ]


@given(scores)
def test_resubmitting_the_recorded_values_sends_nothing(given_scores: dict) -> None:
    post = {f"score-{code}": str(v) for code, v in given_scores.items()}
    latest = {code: Row(v) for code, v in given_scores.items()}
    assert parse_self_scores(post, STANDARD, latest) == ([], {})
    assert parse_site_scores(post, STANDARD, 7, latest) == ([], {})


def test_a_changed_note_alone_is_sent_and_words_are_refused() -> None:
    latest = {"S1.1": Row(5, notes="seen")}
    entries, _ = parse_site_scores(
        {"score-S1.1": "5", "notes-S1.1": "seen again"}, STANDARD, 7, latest
    )
    assert [(e.office_id, e.attribute, e.notes) for e in entries] == [(7, "S1.1", "seen again")]
    _, errors = parse_site_scores({"score-F.1": "five"}, STANDARD, 7, {})
    assert errors == {"F.1": "F.1: give a whole number"}


def test_tree_rows_put_every_attribute_once_under_its_node() -> None:
    rows = tree_rows(STANDARD)
    laid = [(r.depth, r.node.code if r.node else r.attribute.code) for r in rows]  # type: ignore[union-attr]
    assert laid == [(0, "S"), (1, "S1"), (2, "S1.1"), (2, "S1.2"), (1, "S.9"), (0, "F"), (1, "F.1")]
