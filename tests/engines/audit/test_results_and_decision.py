"""Hand-worked results and decisions on the 4×3×2 standard (seed 002's shape in miniature)."""

from __future__ import annotations

import dataclasses

import pytest

from assay.engines.audit import Attribute, Node, decide, display_mean, results

from .standards import everywhere, small_standard

STANDARD = small_standard()


def test_results_per_attribute_node_site_and_across_sites() -> None:
    scores = everywhere(STANDARD, ["perth", "sydney"], 6)
    scores["sydney"] = {code: 8 for code in scores["sydney"]}
    scores["perth"]["S1.1"] = 2
    del scores["perth"]["S1.2"]
    res = results(STANDARD, scores, ["perth", "sydney"])

    s11 = res.attribute("S1.1")
    assert s11.by_site == (("perth", 2), ("sydney", 8))
    assert (s11.weakest, s11.weakest_site, s11.mean) == (2, "perth", 5.0)
    assert s11.decision_band is not None and s11.decision_band.key == "intention"
    s12 = res.attribute("S1.2")
    assert (s12.weakest, s12.weakest_site, s12.mean) == (8, "sydney", 8.0)
    assert s12.decision_band is None and s12.missing_sites == ("perth",)

    def row(code: str, site: str | None) -> tuple[float | None, str | None, int, int]:
        r = res.node(code, site)
        return (
            None if r.mean is None else round(r.mean, 3),
            None if r.band is None else r.band.key,
            r.scored,
            r.total,
        )

    assert row("S1", "perth") == (2.0, "intention", 1, 2)
    assert row("S1", "sydney") == (8.0, "integration", 2, 2)
    assert row("S1", None) == (6.0, "integration", 3, 4)  # (2 + 8 + 8) / 3
    assert row("S", "perth") == (5.2, "implementation", 5, 6)  # (2 + 4×6) / 5
    assert row("S", None) == (6.727, "integration", 11, 12)  # (26 + 48) / 11
    assert row("", "perth") == (5.826, "implementation", 23, 24)  # 134 / 23
    assert row("", None) == (6.936, "integration", 47, 48)  # (134 + 192) / 47
    assert res.sites == ("perth", "sydney")
    assert len(res.nodes) == 16 * 3 and len(res.overall) == 3
    assert display_mean(res.node("", "perth").mean) == "5.8"


def test_display_rounds_down_so_the_figure_matches_its_band() -> None:
    assert display_mean(2.96) == "2.9"
    assert display_mean(3.0) == "3.0"
    assert display_mean(6.727, 2) == "6.72"
    assert display_mean(None) == "—"


SITES = ["NSW-main", "WA-main", "WA-07"]
NAMES = {"NSW-main": "Sydney main office", "WA-main": "Perth main office", "WA-07": "Bunbury"}


def test_one_mandatory_attribute_at_intention_in_one_main_office_refuses() -> None:
    scores = everywhere(STANDARD, SITES, 7)
    scores["WA-main"]["S2.1"] = 2
    decision = decide(STANDARD, scores, SITES, site_names=NAMES)
    assert not decision.certifiable
    assert [(r.code, r.attribute, r.site) for r in decision.blocking] == [
        ("mandatory_at_intention", "S2.1", "WA-main")
    ]
    assert decision.reasons[0].text == (
        "Mandatory attribute S2.1 'Service 2 core' is at Intention (score 2) at Perth main office"
    )
    # a strong site does not hide a weak one: the mean is Integration, the decision band is not
    res = results(STANDARD, scores, SITES)
    assert res.attribute("S2.1").mean == pytest.approx(16 / 3)
    assert res.attribute("S2.1").decision_band.key == "intention"  # type: ignore[union-attr]


def test_every_failing_site_and_every_missing_score_is_a_reason() -> None:
    scores = everywhere(STANDARD, SITES, 5)
    scores["WA-main"]["S2.1"] = 0
    scores["WA-07"]["S2.1"] = 1
    del scores["NSW-main"]["O3.1"]
    del scores["WA-07"]["L1.2"]  # desirable: never a blocking reason
    decision = decide(STANDARD, scores, SITES)
    assert [(r.code, r.attribute, r.site) for r in decision.blocking] == [
        ("mandatory_at_intention", "S2.1", "WA-main"),
        ("mandatory_at_intention", "S2.1", "WA-07"),
        ("missing_score", "O3.1", "NSW-main"),
    ]
    assert (
        decision.reasons[2].text
        == "Mandatory attribute O3.1 'Operational 3 core' has no score at NSW-main"
    )
    assert not any(r.code == "ok" for r in decision.reasons)


def test_a_missing_score_alone_refuses() -> None:
    scores = everywhere(STANDARD, SITES, 9)
    del scores["WA-07"]["F1.1"]
    decision = decide(STANDARD, scores, SITES)
    assert not decision.certifiable
    assert [r.code for r in decision.blocking] == ["missing_score"]
    assert results(STANDARD, scores, SITES).attribute("F1.1").decision_band is None


def test_certifiable_with_desirable_attributes_at_intention_reported_as_progress() -> None:
    scores = {
        site: {a.code: (3 if a.mandatory else 1) for a in STANDARD.attributes} for site in SITES
    }
    scores["WA-07"]["L3.2"] = 6
    decision = decide(STANDARD, scores, SITES, site_names=NAMES)
    assert decision.certifiable
    assert decision.blocking == ()
    assert decision.reasons[0].code == "ok"
    assert decision.reasons[0].text == (
        "Every mandatory attribute (12) is scored at all 3 required site(s) "
        "and none is only at Intention"
    )
    progress = [r for r in decision.reasons if r.code == "desirable_progress"]
    assert len(progress) == 12
    assert dict(decision.desirable) == {
        a.code: "intention" for a in STANDARD.attributes if not a.mandatory
    }
    assert progress[0].text == (
        "Desirable attribute S1.2 'Service 1 extra' is at Intention (weakest score 1 at "
        "Sydney main office; mean 1.0) — progress towards best practice"
    )


def test_desirable_progress_uses_the_weakest_scored_site_and_says_when_unscored() -> None:
    scores = everywhere(STANDARD, SITES, 6)
    scores["WA-07"]["S1.2"] = 4
    for site in SITES:
        del scores[site]["F1.2"]
    del scores["WA-07"]["O1.2"]
    decision = decide(STANDARD, scores, SITES)
    assert decision.certifiable
    progress = dict(decision.desirable)
    assert progress["S1.2"] == "implementation"
    assert progress["F1.2"] == "unscored"
    assert progress["O1.2"] == "integration"
    text = {r.attribute: r.text for r in decision.reasons if r.code == "desirable_progress"}
    assert "scored at 2 of 3 sites" in text["O1.2"]
    assert text["F1.2"].endswith("has not been scored: no progress recorded")


def test_boundary_three_is_implementation_and_certifies() -> None:
    assert decide(STANDARD, everywhere(STANDARD, SITES, 3), SITES).certifiable
    assert not decide(STANDARD, everywhere(STANDARD, SITES, 2), SITES).certifiable


def test_an_element_with_only_desirable_attributes_must_still_be_addressed() -> None:
    standard = dataclasses.replace(
        STANDARD,
        nodes=(*STANDARD.nodes, Node("S4", "Service extras", "S", "element")),
        attributes=(*STANDARD.attributes, Attribute("S4.1", "Extra", "S4", False)),
    )
    scores = everywhere(STANDARD, SITES, 6)
    decision = decide(standard, scores, SITES)
    assert not decision.certifiable
    assert [(r.code, r.site) for r in decision.blocking] == [("not_addressed", s) for s in SITES]
    assert decision.blocking[0].text == (
        "Element S4 'Service extras' is not addressed at NSW-main: "
        "none of its attributes has a score"
    )
    scores = everywhere(standard, SITES, 6)
    scores["WA-07"]["S4.1"] = 0  # addressed, at Intention: desirable, so progress only
    assert decide(standard, scores, SITES).certifiable


def test_no_required_site_refuses() -> None:
    decision = decide(STANDARD, {}, [])
    assert not decision.certifiable
    assert [r.code for r in decision.blocking] == ["no_sites"]


def test_scores_outside_the_sample_are_reported_not_counted() -> None:
    scores = everywhere(STANDARD, SITES, 6)
    scores["VIC-main"] = {"S1.1": 0}
    decision = decide(STANDARD, scores, SITES)
    assert decision.certifiable
    assert [r.site for r in decision.reasons if r.code == "score_outside_sample"] == ["VIC-main"]


@pytest.mark.parametrize(
    ("scores", "sites", "message"),
    [
        ({"a": {"NOPE": 3}}, ["a"], "'NOPE' is not an attribute of ICSS-DEMO v1"),
        ({"a": {"S1.1": 11}}, ["a"], "site a, attribute S1.1: score 11 is off the scale 0–10"),
        ({"b": {"S1.1": -1}}, ["a"], "site b, attribute S1.1: score -1 is off the scale"),
        ({}, ["a", "a"], "site 'a' is listed twice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(
    scores: dict[str, dict[str, int]], sites: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        decide(STANDARD, scores, sites)


def test_the_bench_shape_decides_on_forty_attributes_at_every_sampled_site() -> None:
    """40 attributes × 48 sampled sites (200 offices in 8 states), no timing assertion."""
    from .standards import forty_standard

    standard = forty_standard()
    sites = [f"site-{i}" for i in range(48)]
    scores = everywhere(standard, sites, 6)
    scores["site-47"]["A01"] = 1
    decision = decide(standard, scores, sites)
    assert [(r.attribute, r.site) for r in decision.blocking] == [("A01", "site-47")]
    assert len(decision.desirable) == 14
