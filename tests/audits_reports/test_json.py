"""The report as JSON for the API: stable keys, JSON-serialisable, values equal the engine's."""

from __future__ import annotations

import json

from assay.audits.reports.report_json import report_json
from tests.audits_reports.world import NOTICE, PASSING, SCORES, SITES, report

KEYS = {
    "organisation",
    "scope",
    "reference",
    "kind",
    "dates",
    "standard",
    "auditors",
    "decision_maker",
    "decision",
    "sites",
    "sample",
    "findings",
    "documents",
    "results",
    "gaps",
    "perspectives",
    "change",
    "generated_on",
}


def test_keys_are_stable_and_the_data_round_trips_through_json() -> None:
    data = report_json(report())
    assert set(data) == KEYS
    assert json.loads(json.dumps(data)) == data
    assert data["standard"]["notice"] == NOTICE and data["standard"]["illustrative"] is True
    assert data["dates"][0] == {"label": "Opened", "date": "2013-01-14"}


def test_decision_and_scores_equal_the_inputs() -> None:
    rep = report()
    data = report_json(rep)
    assert data["decision"]["certifiable"] is False and data["decision"]["recorded"] is True
    assert [r["code"] for r in data["decision"]["reasons"]] == [
        r.code for r in rep.decision.reasons
    ]
    assert data["decision"]["reasons"][0]["site"] == "perth"
    scores = {
        (a["code"], s["site"]): s["score"]
        for a in data["results"]["attributes"]
        for s in a["scores"]
    }
    assert scores == {(code, s.id): SCORES[s.id].get(code) for code, _ in scores for s in SITES}
    s12 = next(a for a in data["results"]["attributes"] if a["code"] == "S1.2")
    assert (s12["weakest"], s12["weakest_site"], s12["decision_band"]) == (2, "perth", "intention")
    assert [p["how"] for p in data["sample"]["picks"]] == ["main", "main", "random"]


def test_change_is_empty_at_first_certification_and_filled_after() -> None:
    assert report_json(report())["change"] == {"previous": None, "attributes": []}
    earlier = report(scores=PASSING).results
    change = report_json(report(previous=("2012", earlier)))["change"]
    assert change["previous"] == "2012"
    row = next(c for c in change["attributes"] if c["attribute"] == "S1.2")
    assert row["before"] == round((3 + 6 + 5) / 3, 2) and row["after"] == round((2 + 6 + 5) / 3, 2)
