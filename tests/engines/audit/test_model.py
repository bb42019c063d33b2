"""The standard as data: the "3 I" scale, the tree, and what validation reports."""

from __future__ import annotations

import dataclasses

import pytest

from assay.engines.audit import THREE_I, Attribute, Band, Node, Scale, validate_standard

from .standards import small_standard


@pytest.mark.parametrize(
    ("score", "key"),
    [(0, "intention"), (2, "intention"), (3, "implementation"), (5, "implementation"),
     (6, "integration"), (10, "integration")],
)  # fmt: skip
def test_three_i_bands_follow_the_seed(score: int, key: str) -> None:
    assert THREE_I.band_of(score).key == key
    assert (THREE_I.low, THREE_I.high) == (0, 10)


@pytest.mark.parametrize("score", [-1, 11, 2.5, True, "3"])
def test_a_score_off_the_scale_is_refused(score: object) -> None:
    with pytest.raises(ValueError, match=r"score|whole number"):
        THREE_I.band_of(score)  # type: ignore[arg-type]


def test_a_mean_is_in_the_band_it_has_reached() -> None:
    assert THREE_I.band_of_mean(2.99).key == "intention"
    assert THREE_I.band_of_mean(3.0).key == "implementation"
    assert THREE_I.band_of_mean(5.5).key == "implementation"
    assert THREE_I.band_of_mean(10).key == "integration"
    assert THREE_I.band_of(2).contains(2.99) and not THREE_I.band_of(3).contains(2.99)


def test_the_tree_answers_paths_top_nodes_and_attributes_under() -> None:
    standard = small_standard()
    assert validate_standard(standard) == []
    assert [n.code for n in standard.path_of("F2.1")] == ["F", "F2"]
    assert [n.code for n in standard.top_nodes()] == ["S", "F", "O", "L"]
    assert [a.code for a in standard.attributes_under("O")] == [
        "O1.1", "O1.2", "O2.1", "O2.2", "O3.1", "O3.2",
    ]  # fmt: skip
    assert [n.code for n in standard.children_of("L")] == ["L1", "L2", "L3"]
    assert len(standard.mandatory) == 12


def test_a_flat_standard_is_just_shallower_data() -> None:
    flat = dataclasses.replace(
        small_standard(),
        nodes=(Node("S", "Service", None, "perspective"),),
        attributes=(Attribute("S.1", "One", "S", True), Attribute("S.2", "Two", "S", False)),
    )
    assert validate_standard(flat) == []
    assert [n.code for n in flat.path_of("S.2")] == ["S"]


def test_validation_lists_every_structural_problem() -> None:
    standard = dataclasses.replace(
        small_standard(),
        nodes=(
            *small_standard().nodes,
            Node("X", "Orphan", "NOPE", "element"),
            Node("EMPTY", "Nothing here", None, "perspective"),
            Node("C1", "Loop one", "C2", "element"),
            Node("C2", "Loop two", "C1", "element"),
        ),
        attributes=(
            *small_standard().attributes,
            Attribute("S1.1", "Duplicate", "S1", True),
            Attribute("Z.1", "Dangling", "Z", True),
        ),
    )
    problems = "\n".join(validate_standard(standard))
    assert "code 'S1.1' is used more than once" in problems
    assert "node 'X': parent 'NOPE' does not exist" in problems
    assert "attribute 'Z.1': parent 'Z' is not a node" in problems
    assert "node 'EMPTY' holds no attribute" in problems
    assert "node 'C1' is its own ancestor" in problems


def test_validation_reports_a_bad_scale_and_bad_failing_bands() -> None:
    gappy = Scale((Band("a", "A", 0, 2), Band("b", "B", 4, 5), Band("c", "C", 5, 10)))
    standard = dataclasses.replace(small_standard(), scale=gappy, failing_bands=frozenset({"z"}))
    problems = validate_standard(standard)
    assert "scale: no band covers 3–3 (between 'a' and 'b')" in problems
    assert "scale: bands 'b' and 'c' overlap" in problems
    assert "failing band 'z' is not a band of the scale" in problems

    middle = dataclasses.replace(small_standard(), failing_bands=frozenset({"implementation"}))
    assert validate_standard(middle) == ["failing bands must be the lowest bands of the scale"]
    assert validate_standard(dataclasses.replace(small_standard(), scale=Scale(()))) == [
        "scale: the scale has no bands",
        "failing band 'intention' is not a band of the scale",
    ]


def test_a_standard_without_a_mandatory_attribute_certifies_nothing() -> None:
    base = small_standard()
    optional = tuple(dataclasses.replace(a, mandatory=False) for a in base.attributes)
    problems = validate_standard(dataclasses.replace(base, attributes=optional))
    assert problems == ["the standard has no mandatory attribute: nothing to certify against"]
