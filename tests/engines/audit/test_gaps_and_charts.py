"""Gap analysis (management's expectation vs delivery), profiles, trends and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from assay.engines.audit import (
    bars_svg,
    change,
    gaps,
    perspective_profile,
    radar_svg,
    results,
    trend,
)

from .standards import everywhere, small_standard

STANDARD = small_standard()
SITES = ["NSW-main", "WA-main"]
SVG = "{http://www.w3.org/2000/svg}"


def scored() -> dict[str, dict[str, int]]:
    scores = everywhere(STANDARD, SITES, 5)
    scores["NSW-main"]["S1.1"] = 2
    scores["WA-main"]["S1.1"] = 4  # mean 3
    scores["NSW-main"]["F2.1"] = 9
    scores["WA-main"]["F2.1"] = 10  # mean 9.5
    del scores["WA-main"]["L3.2"]
    del scores["NSW-main"]["L3.2"]  # not scored anywhere
    return scores


def test_gaps_are_expectation_minus_delivery_largest_first() -> None:
    res = results(STANDARD, scored(), SITES)
    expected = {a.code: 6 for a in STANDARD.attributes}
    expected["S1.1"] = 9
    del expected["O1.1"]
    rows = gaps(STANDARD, expected, res)
    assert [(g.attribute, g.expected, g.actual, g.gap) for g in rows[:2]] == [
        ("S1.1", 9, 3.0, 6.0),
        ("S1.2", 6, 5.0, 1.0),  # ties keep the standard's order
    ]
    assert (rows[-3].attribute, rows[-3].gap) == ("F2.1", -3.5)  # delivery beyond expectation
    assert [(g.attribute, g.gap) for g in rows[-2:]] == [("O1.1", None), ("L3.2", None)]
    assert rows[-1].expected == 6 and rows[-1].actual is None


def test_self_assessment_must_name_known_attributes_on_the_scale() -> None:
    res = results(STANDARD, scored(), SITES)
    with pytest.raises(ValueError, match="'X' is not an attribute"):
        gaps(STANDARD, {"X": 3}, res)
    with pytest.raises(ValueError, match=r"attribute S1\.1: score 12 is off the scale"):
        perspective_profile(STANDARD, {"S1.1": 12}, res)


def test_perspective_profile_pairs_expected_and_actual_means() -> None:
    res = results(STANDARD, scored(), SITES)
    expected = {a.code: 7 for a in STANDARD.attributes if a.parent.startswith("S")}
    expected["S1.1"] = 1
    profile = perspective_profile(STANDARD, expected, res)
    assert [code for code, _, _ in profile] == ["S", "F", "O", "L"]
    assert profile[0][:2] == ("S", 6.0)  # (5 × 7 + 1) / 6
    assert profile[0][2] == pytest.approx((2 + 4 + 10 * 5) / 12)
    assert profile[1][1] is None
    assert profile[3][2] == 5.0  # L3.2 unscored: the mean of the 10 scores there


def test_trend_and_change_year_on_year() -> None:
    before = results(STANDARD, everywhere(STANDARD, SITES, 3), SITES)
    after = results(STANDARD, scored(), SITES)
    rows = dict(trend(STANDARD, [("2012", before), ("2013", after)]))
    assert list(rows) == ["S", "F", "O", "L", ""]
    assert rows["O"] == (3.0, 5.0)
    assert rows["F"][1] == pytest.approx((5 * 10 + 9 + 10) / 12)
    delta = dict((code, (b, a)) for code, b, a in change(before, after))
    assert delta["S1.1"] == (3.0, 3.0) and delta["F2.1"] == (3.0, 9.5)
    assert delta["L3.2"] == (3.0, None)


def test_change_lists_attributes_dropped_from_an_edition_last() -> None:
    before = results(STANDARD, everywhere(STANDARD, SITES, 4), SITES)
    smaller = STANDARD.__class__(
        STANDARD.code, 2, STANDARD.title, STANDARD.scale, STANDARD.nodes,
        tuple(a for a in STANDARD.attributes if a.code != "S1.2"),
    )  # fmt: skip
    after = results(smaller, everywhere(smaller, SITES, 6), SITES)
    rows = change(before, after)
    assert rows[-1] == ("S1.2", 4.0, None)
    assert len(rows) == 24 and rows[0] == ("S1.1", 4.0, 6.0)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_radar_has_one_polygon_per_series_and_escaped_labels() -> None:
    axes = ["Service", "Financial & <Budget>", 'Operational "Ops"', "Learning and Growth"]
    svg = radar_svg(axes, [("Management", [8, 7, None, 6]), ("Delivery <actual>", [5, 4, 6, 3])])
    root = parse(svg)
    polygons = root.findall(f"{SVG}polygon")
    assert len(polygons) == 2
    labels = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "axis-label"]
    assert labels == axes
    assert "Financial &amp; &lt;Budget&gt;" in svg
    legend = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "legend"]
    assert legend == ["Management", "Delivery <actual>"]
    assert 'Operational "Ops": no score' in (polygons[0].find(f"{SVG}title").text or "")
    # the first spoke points straight up: Management's 8 of 10 sits at 0.8 of the radius
    width = float(root.get("width", "0"))
    first = polygons[0].get("points", "").split()[0].split(",")
    assert first == [f"{width / 2:.1f}", f"{180 - 0.8 * 108:.1f}"]
    # Side labels fit on the canvas (about 7 px a character at 12 px), left and right.
    for text in root.findall(f"{SVG}text"):
        if text.get("class") != "axis-label":
            continue
        x, extent = float(text.get("x", "0")), 7 * len(text.text or "")
        anchor = text.get("text-anchor")
        left = x - extent if anchor == "end" else x - extent / 2 if anchor == "middle" else x
        assert left >= 0 and left + extent <= width, text.text


def test_chart_input_errors() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 axes"):
        radar_svg(["a", "b"], [("s", [1])])
    with pytest.raises(ValueError, match="at least one axis"):
        bars_svg([], [])
    with pytest.raises(ValueError, match="positive"):
        radar_svg(["a"], [], high=0)


def test_bars_draw_one_rect_per_value_and_skip_missing() -> None:
    svg = bars_svg(["S", "F"], [("2012", [3.0, None]), ("2013 & after", [5.0, 6.5])])
    root = parse(svg)
    bars = [r for r in root.findall(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 3
    assert "2013 &amp; after" in svg
