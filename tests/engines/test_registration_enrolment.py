"""The enrolment fold (plain Python): which record set each column and row, and every
difference named once, by what the chain says."""

from __future__ import annotations

from typing import Any

from assay.engines.records import chain
from assay.engines.registration.enrolment import differences, implied

AT = "2013-03-01T09:00:00+00:00"


def build(*acts: tuple[str, dict[str, Any]]) -> list[chain.Record]:
    records: list[chain.Record] = []
    for kind, payload in acts:
        records.append(
            chain.append(records, kind=kind, payload=payload, actor="system", at=AT, chain_id="e:1")
        )
    return records


RECORDS = build(
    ("registered", {"set": {"status": "registered"}, "rows": {"status_change": [{"id": 1}]}}),
    ("plan_set", {"replace": {"plan_unit": [{"unit": "401", "assessor": 5}]}}),
    ("plan_set", {"replace": {"plan_unit": [{"unit": "402", "assessor": 6}]}}),
    ("rpl_claimed", {"rows": {"claim": [{"id": 7, "unit": "403", "accepted": None}]}}),
    ("rpl_decided", {"rows": {"claim": [{"id": 7, "unit": "403", "accepted": True}]}}),
    ("status_changed", {"set": {"status": "withdrawn"}, "rows": {"status_change": [{"id": 2}]}}),
)
ROWS = {
    "status_change": [{"id": 1}, {"id": 2}],
    "plan_unit": [{"unit": "402", "assessor": 6}],
    "claim": [{"id": 7, "unit": "403", "accepted": True}],
}


def test_the_rows_the_chain_implies_show_no_difference() -> None:
    state = implied(RECORDS)
    assert state.columns == {"status": ("withdrawn", 6)}
    assert differences(state, {"status": "withdrawn"}, ROWS) == []


def test_each_difference_names_the_record_that_says_otherwise() -> None:
    rows = {
        "status_change": [{"id": 1}, {"id": 3, "to": "completed"}],
        "plan_unit": [{"unit": "401", "assessor": 5}, {"unit": "402", "assessor": 9}],
        "claim": [{"id": 7, "unit": "403", "accepted": False}],
    }
    assert differences(implied(RECORDS), {"status": "in_progress", "end_date": None}, rows) == [
        "status is in_progress but record 6 made it withdrawn",
        "end_date is empty but no record set it",
        "status change 3 (- → completed) was never recorded",
        "status change 2 (- → None) recorded in record 6 is gone",
        "RPL claim for unit 403 (claim 7): accepted is False but record 5 recorded True",
        "plan unit 401 was never recorded",
        "plan unit 402: assessor is 9 but record 3 recorded 6",
    ]


def test_a_chain_that_does_not_start_with_the_registration_is_named() -> None:
    records = build(("status_changed", {"set": {"status": "withdrawn"}}))
    assert differences(implied(records), {"status": "withdrawn"}, {}) == [
        "record 1 is status_changed, not the registration"
    ]
