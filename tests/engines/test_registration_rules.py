"""Pure rules for a registration: completion by signed-off or credited units, the period of
registration (handbook 4.1) and its extension, reasons that show, held-qualification matching."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.entry.held import Match, held_match, normalise
from assay.engines.registration.completion import completion_decision
from assay.engines.registration.lifecycle import FINAL, MEANINGS, Status
from assay.engines.registration.period import (
    HANDBOOK_4_1,
    assessment_in_period,
    extension_decision,
)
from assay.engines.text import visible

from .specs import city_and_guilds_4430_04
from .strategies import FAST

CG = city_and_guilds_4430_04()
COMPLETE = ["401", "402", "403", "404", "405", "406", "410", "416"]


def test_nothing_achieved_is_not_complete_with_every_reason() -> None:
    decision = completion_decision(CG, signed_off=[], credited=[])
    assert not decision.allowed and decision.counted == ()
    assert decision.reasons[0] == "No unit of 4430-04 is signed off or credited yet."
    assert any("missing mandatory units 401 and 402" in r for r in decision.reasons)


def test_signed_off_and_credited_units_together_complete() -> None:
    decision = completion_decision(CG, signed_off=COMPLETE[:2], credited=COMPLETE[2:])
    assert decision.allowed
    assert decision.reasons == (
        "The rules of combination of 4430-04 are met by 401 (signed off), 402 (signed off), "
        "403 (credited), 404 (credited), 405 (credited), 406 (credited), 410 (credited), "
        "416 (credited).",
    )


def test_one_unit_short_is_not_complete_and_unknown_units_are_named() -> None:
    decision = completion_decision(CG, signed_off=COMPLETE[:-1], credited=["999"])
    assert not decision.allowed
    assert decision.reasons[0] == "Not units of 4430-04, so not counted: 999."


@given(st.sets(st.sampled_from([u.number for u in CG.units])), st.data())
@FAST
def test_how_a_unit_was_achieved_does_not_change_the_verdict(
    units: set[str], data: st.DataObject
) -> None:
    split = data.draw(st.sets(st.sampled_from(sorted(units))) if units else st.just(set()))
    one = completion_decision(CG, signed_off=units, credited=[])
    two = completion_decision(CG, signed_off=units - split, credited=split)
    assert one.allowed == two.allowed


def test_the_end_date_is_inside_the_period_the_day_after_is_not() -> None:
    end = date(2014, 9, 3)
    assert assessment_in_period(Status.IN_PROGRESS, end, end).allowed
    late = assessment_in_period(Status.IN_PROGRESS, end, date(2014, 9, 4))
    assert late.reasons == (
        f"04/09/2014 is after the end of the period of registration, 03/09/2014. {HANDBOOK_4_1}",
    )
    assert HANDBOOK_4_1 == (
        "Assessment must be completed within the candidate's period of registration."
    )


@pytest.mark.parametrize("status", sorted(FINAL))
def test_an_ended_registration_refuses_assessment(status: Status) -> None:
    decision = assessment_in_period(status, date(2014, 9, 3), date(2013, 1, 1))
    assert not decision.allowed and decision.reasons[0].endswith(HANDBOOK_4_1)


def test_extension_rules() -> None:
    ok = extension_decision(
        status=Status.IN_PROGRESS,
        end_date=date(2014, 9, 3),
        new_end=date(2015, 3, 3),
        reason="illness",
        last_certification=date(2017, 7, 31),
    )
    assert ok.allowed
    bad = extension_decision(
        status=Status.EXPIRED,
        end_date=date(2014, 9, 3),
        new_end=date(2017, 8, 1),
        reason="\u200b",
        last_certification=date(2017, 7, 31),
    )
    assert len(bad.reasons) == 3
    assert "expired, which is final" in bad.reasons[0]
    assert "after the last certification date 31/07/2017" in bad.reasons[1]
    assert bad.reasons[2] == "Give the reason for the extension."


@pytest.mark.parametrize(
    "text", ["", " ", "\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u00a0\u3000\n\t"]
)
def test_invisible_text_is_no_reason(text: str) -> None:
    assert not visible(text)


def test_visible_text_is_a_reason() -> None:
    assert visible("\u200bmoved away") and visible("é")


def test_every_state_has_a_meaning_and_final_ones_say_so() -> None:
    assert set(MEANINGS) == set(Status)
    for status in Status:
        assert MEANINGS[status].startswith("Final.") == (status in FINAL)


def test_held_match_code_id_variants_equivalent_and_predecessor() -> None:
    found = held_match(
        ["CG-4430-04", "4543 04", "X-1", "EQ 1", "4430-04"],
        code="4430-04",
        qualification_id="cg-4430-04",
        equivalents=["eq-1"],
        predecessors=["4543-04"],
    )
    assert [(m.held, m.match) for m in found] == [
        ("CG-4430-04", Match.SAME),
        ("4430-04", Match.SAME),
        ("EQ 1", Match.EQUIVALENT),
        ("4543 04", Match.PREDECESSOR),
    ]
    assert held_match(["4430-03", "44300-4", "443004", "4430-04-1"], code="4430-04") == ()
    assert normalise(" 4430\u2013 04 ") == normalise("4430 - 04") == "4430-04"
