"""The appeal rules on hand-worked cases and properties (docs/appeals.md)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.engines.appeals import (
    STAGES,
    Actor,
    Event,
    Kind,
    Stage,
    Status,
    appeal_state,
    refusals,
)

DECIDED_ON = date(2013, 3, 1)
DAN = Actor(1, appellant=True)
ALICE = Actor(2, unit_assessor=True, acted_in_decision=True)
IAN = Actor(3, iqa=True)
LINDA = Actor(4, iqa=True, centre_reviewer=True)
CAROL = Actor(5, centre_reviewer=True)
EVE = Actor(6, allocated_ev=True)
SAM = Actor(7, operator=True)
# Acted in the unit and holds every reviewing role: refused at every stage after the first.
MIXED = Actor(8, iqa=True, centre_reviewer=True, allocated_ev=True, acted_in_decision=True)
NOBODY = Actor(9)
# An IV, an administrator and an EV who each acted in the unit (e.g. an earlier assessor).
IQA_ACTED = Actor(11, iqa=True, acted_in_decision=True)
ADMIN_ACTED = Actor(12, centre_reviewer=True, acted_in_decision=True)
EV_ACTED = Actor(13, allocated_ev=True, acted_in_decision=True)
PEOPLE = (DAN, ALICE, IAN, LINDA, CAROL, EVE, SAM, MIXED, NOBODY, IQA_ACTED, ADMIN_ACTED, EV_ACTED)


def lodged(on: date = date(2013, 3, 5)) -> Event:
    return Event(Kind.LODGED, on, DAN.user, "The evidence was mine", decision_on=DECIDED_ON)


def decided(stage: Stage, upheld: bool, by: Actor, on: date = date(2013, 3, 10)) -> Event:
    return Event(Kind.DECIDED, on, by.user, "Reviewed the evidence", stage=stage, upheld=upheld)


def accept(events: list[Event], event: Event, actor: Actor) -> list[Event]:
    state = appeal_state(events, event.on)
    assert refusals(state, event, actor) == []
    return [*events, event]


def test_the_walk_through_every_stage_to_the_awarding_body() -> None:
    events = accept([], lodged(), DAN)
    state = appeal_state(events, date(2013, 3, 5))
    assert (state.stage, state.status, state.due_on) == (
        Stage.ASSESSOR_REVIEW,
        Status.OPEN,
        date(2013, 3, 19),
    )
    events = accept(events, decided(Stage.ASSESSOR_REVIEW, False, ALICE), ALICE)
    state = appeal_state(events, date(2013, 3, 10))
    assert (state.status, state.due_on) == (Status.DISMISSED, date(2013, 3, 24))
    up = Event(Kind.ESCALATED, date(2013, 3, 24), DAN.user, "Alice did not look at the video")
    events = accept(events, up, DAN)
    state = appeal_state(events, date(2013, 3, 24))
    assert (state.stage, state.status, state.due_on) == (
        Stage.IQA_REVIEW,
        Status.OPEN,
        date(2013, 4, 7),
    )
    assert appeal_state(events, date(2013, 4, 8)).overdue
    assert not appeal_state(events, date(2013, 4, 7)).overdue
    events = accept(events, decided(Stage.IQA_REVIEW, False, IAN, date(2013, 4, 8)), IAN)
    events = accept(events, Event(Kind.ESCALATED, date(2013, 4, 9), 1, "Still mine"), DAN)
    events = accept(events, decided(Stage.CENTRE, False, CAROL, date(2013, 4, 10)), CAROL)
    events = accept(events, Event(Kind.ESCALATED, date(2013, 4, 11), 1, "Once more"), DAN)
    events = accept(events, decided(Stage.AWARDING_BODY, False, EVE, date(2013, 4, 12)), EVE)
    state = appeal_state(events, date(2013, 5, 1))
    assert (state.stage, state.status, state.due_on) == (Stage.AWARDING_BODY, Status.CLOSED, None)
    assert [line.kind for line in state.history] == [
        "lodged",
        "decided",
        "escalated",
        "decided",
        "escalated",
        "decided",
        "escalated",
        "decided",
    ]
    again = Event(Kind.ESCALATED, date(2013, 4, 13), 1, "And again")
    assert "only a dismissed appeal can be escalated; this one is closed" in refusals(
        state, again, DAN
    )


def test_lodging_window_is_28_days_from_the_decision() -> None:
    assert refusals(appeal_state([], DECIDED_ON), lodged(date(2013, 3, 29)), DAN) == []
    assert refusals(appeal_state([], DECIDED_ON), lodged(date(2013, 3, 30)), DAN) == [
        "an appeal is lodged within 28 days of the decision: the last day was 29/03/2013"
    ]
    assert refusals(appeal_state([], DECIDED_ON), lodged(date(2013, 2, 28)), DAN) == [
        "an appeal cannot be lodged before the decision it appeals"
    ]


def test_only_the_candidate_lodges_and_with_grounds() -> None:
    blank = Event(Kind.LODGED, date(2013, 3, 5), 2, " \u200b ", decision_on=DECIDED_ON)
    assert refusals(appeal_state([], DECIDED_ON), blank, ALICE) == [
        "give the grounds of the appeal: blank or invisible characters are not a reason",
        "only the candidate can appeal a decision on their own portfolio",
    ]
    control = Event(Kind.LODGED, date(2013, 3, 5), 1, "mine\x00", decision_on=DECIDED_ON)
    assert refusals(appeal_state([], DECIDED_ON), control, DAN) == [
        "contains the control character U+0000"
    ]


def test_escalation_window_is_14_days_after_a_dismissal() -> None:
    events = [lodged(), decided(Stage.ASSESSOR_REVIEW, False, ALICE, date(2013, 3, 10))]
    state = appeal_state(events, date(2013, 3, 25))
    late = Event(Kind.ESCALATED, date(2013, 3, 25), 1, "Please")
    assert refusals(state, late, DAN) == [
        "a dismissal is escalated within 14 days: the last day was 24/03/2013"
    ]
    assert not state.overdue  # nobody owes a decision


def test_each_stage_has_its_deciders() -> None:
    """The reviewers of each stage; everyone else is refused."""
    allowed = {
        Stage.ASSESSOR_REVIEW: {ALICE, MIXED_ASSESSOR := Actor(10, unit_assessor=True)},
        Stage.IQA_REVIEW: {IAN, LINDA},
        Stage.CENTRE: {LINDA, CAROL},
        Stage.AWARDING_BODY: {EVE, SAM},
    }
    for stage in STAGES:
        state = appeal_state([lodged()], date(2013, 3, 5))
        state = state.__class__(stage, Status.OPEN, None, False, state.history, 1, state.last_on)
        for person in (*PEOPLE, MIXED_ASSESSOR):
            found = refusals(state, decided(stage, True, person), person)
            assert (found == []) is (person in allowed[stage]), (stage, person, found)


def test_the_assessor_whose_decision_is_appealed_never_decides_the_iqa_review() -> None:
    iqa_alice = Actor(2, unit_assessor=True, acted_in_decision=True, iqa=True)
    state = appeal_state(
        [
            lodged(),
            decided(Stage.ASSESSOR_REVIEW, False, ALICE),
            Event(Kind.ESCALATED, date(2013, 3, 11), 1, "Please"),
        ],
        date(2013, 3, 11),
    )
    act = decided(Stage.IQA_REVIEW, True, iqa_alice, date(2013, 3, 12))
    assert refusals(state, act, iqa_alice) == [
        "an escalated appeal is decided by someone who has not decided it before",
        "someone who acted in the appealed decision or its unit cannot decide the IQA review stage",
    ]


def test_wrong_order_is_refused() -> None:
    state = appeal_state([], DECIDED_ON)
    assert "the appeal has not been lodged" in refusals(
        state, decided(Stage.ASSESSOR_REVIEW, True, ALICE), ALICE
    )
    state = appeal_state([lodged()], date(2013, 3, 5))
    assert refusals(state, decided(Stage.IQA_REVIEW, True, IAN), IAN) == [
        "the appeal is at the assessor review stage, not the IQA review stage",
        "only the unit's assessor decides the assessor review",
    ]
    assert "the appeal is already lodged" in refusals(state, lodged(), DAN)
    early = decided(Stage.ASSESSOR_REVIEW, True, ALICE, date(2013, 3, 4))
    assert "an act cannot be dated before the appeal's last act" in refusals(state, early, ALICE)
    up = Event(Kind.ESCALATED, date(2013, 3, 6), 1, "Please")
    assert "only a dismissed appeal can be escalated; this one is open" in refusals(state, up, DAN)


def test_an_upheld_appeal_is_final_and_a_withdrawal_needs_a_reason() -> None:
    events = [lodged(), decided(Stage.ASSESSOR_REVIEW, True, ALICE)]
    state = appeal_state(events, date(2013, 3, 10))
    assert state.status is Status.UPHELD and state.final and state.due_on is None
    withdraw = Event(Kind.WITHDRAWN, date(2013, 3, 11), 1, "")
    assert refusals(state, withdraw, DAN) == [
        "give the reason the appeal is withdrawn: blank or invisible characters are not a reason",
        "the appeal is upheld and cannot be withdrawn",
    ]
    open_state = appeal_state([lodged()], date(2013, 3, 5))
    assert refusals(open_state, Event(Kind.WITHDRAWN, date(2013, 3, 6), 2, "x"), ALICE) == [
        "only the candidate who lodged the appeal can withdraw it"
    ]


# --- properties ------------------------------------------------------------------------------


@st.composite
def attempts(draw: st.DrawFn) -> list[tuple[Event, Actor]]:
    """Random acts by random people on random days. Mostly the act the appeal waits for
    (a decision while open, an escalation while dismissed) by anyone, so that runs get deep
    into the stages; sometimes any act at all; reasons sometimes blank, days sometimes late."""
    day = DECIDED_ON + timedelta(days=draw(st.sampled_from([3, 3, 3, 40])))
    steps: list[tuple[Event, Actor]] = [(lodged(day), DAN)] if draw(st.integers(0, 9)) else []
    for _ in range(draw(st.integers(0, 24))):
        day += timedelta(days=draw(st.sampled_from([0, 1, 2, 5, 20])))
        status = appeal_state([e for e, _ in accepted(steps)], day).status
        if draw(st.integers(0, 3)) == 0 or status not in (Status.OPEN, Status.DISMISSED):
            kind, actor = draw(st.sampled_from(list(Kind))), draw(st.sampled_from(PEOPLE))
        elif status is Status.OPEN:
            kind, actor = Kind.DECIDED, draw(st.sampled_from(PEOPLE))
        else:
            kind, actor = Kind.ESCALATED, draw(st.sampled_from([DAN, DAN, DAN, ALICE]))
        event = Event(
            kind,
            day,
            actor.user,
            draw(st.sampled_from(["Because"] * 6 + ["", " \u200b"])),
            stage=draw(st.sampled_from([None] * 6 + list(STAGES))),
            upheld=draw(st.sampled_from([False] * 4 + [True, None])),
            decision_on=draw(st.sampled_from([DECIDED_ON, DECIDED_ON, None])),
        )
        steps.append((event, actor))
    return steps


def accepted(steps: list[tuple[Event, Actor]]) -> list[tuple[Event, Actor]]:
    kept: list[tuple[Event, Actor]] = []
    for event, actor in steps:
        if not refusals(appeal_state([e for e, _ in kept], event.on), event, actor):
            kept.append((event, actor))
    return kept


@settings(max_examples=400)
@given(attempts())
def test_no_stage_after_the_first_is_decided_by_someone_who_acted(steps: list) -> None:
    kept = accepted(steps)
    for n, (event, actor) in enumerate(kept):
        stage = appeal_state([e for e, _ in kept[:n]], event.on).stage
        if event.kind is Kind.DECIDED and stage is not Stage.ASSESSOR_REVIEW:
            assert not actor.acted_in_decision and not actor.appellant


def test_a_reviewer_never_decides_the_same_appeal_twice() -> None:
    events = [
        lodged(),
        decided(Stage.ASSESSOR_REVIEW, False, ALICE),
        Event(Kind.ESCALATED, date(2013, 3, 11), 1, "Please"),
        decided(Stage.IQA_REVIEW, False, LINDA, date(2013, 3, 12)),
        Event(Kind.ESCALATED, date(2013, 3, 13), 1, "Again"),
    ]
    state = appeal_state(events, date(2013, 3, 13))
    assert refusals(state, decided(Stage.CENTRE, True, LINDA, date(2013, 3, 14)), LINDA) == [
        "an escalated appeal is decided by someone who has not decided it before"
    ]
    assert refusals(state, decided(Stage.CENTRE, True, CAROL, date(2013, 3, 14)), CAROL) == []


@given(attempts())
def test_each_decision_is_by_a_new_reviewer(steps: list) -> None:
    deciders = [a.user for e, a in accepted(steps) if e.kind is Kind.DECIDED]
    assert len(deciders) == len(set(deciders))


@given(attempts())
def test_final_states_accept_nothing_more(steps: list) -> None:
    kept = accepted(steps)
    events = [e for e, _ in kept]
    for n in range(1, len(events)):
        before = appeal_state(events[:n], events[n].on)
        assert not before.final, "an event was accepted after a final state"
    state = appeal_state(events, date(2014, 1, 1))
    if state.status is Status.UPHELD:
        assert state.history[-1].upheld is True


@given(attempts(), st.dates(date(2013, 1, 1), date(2014, 1, 1)))
def test_folding_is_deterministic_and_stages_only_move_forward(steps: list, today: date) -> None:
    events = [e for e, _ in accepted(steps)]
    assert appeal_state(events, today) == appeal_state(list(events), today)
    stages = [appeal_state(events[:n], today).stage for n in range(1, len(events) + 1)]
    indexes = [STAGES.index(s) for s in stages if s is not None]
    assert indexes == sorted(indexes)
    assert all(b - a <= 1 for a, b in itertools.pairwise(indexes))
