"""The registration lifecycle: allowed moves, final states, expiry."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.registration.lifecycle import (
    FINAL,
    Status,
    Transition,
    allowed_targets,
    expiry_due,
    transition,
)

from .strategies import FAST

S = Status


def test_allowed_moves() -> None:
    assert allowed_targets(S.REGISTERED) == (S.IN_PROGRESS, S.WITHDRAWN, S.TRANSFERRED, S.EXPIRED)
    assert allowed_targets(S.IN_PROGRESS) == (S.COMPLETED, S.WITHDRAWN, S.TRANSFERRED, S.EXPIRED)
    assert {S.WITHDRAWN, S.TRANSFERRED, S.COMPLETED, S.EXPIRED} == FINAL
    for final in FINAL:
        assert allowed_targets(final) == ()


def test_reasons() -> None:
    assert transition(S.REGISTERED, S.IN_PROGRESS) == Transition(
        True, "A registration may go from registered to in_progress."
    )
    assert transition(S.REGISTERED, S.COMPLETED) == Transition(
        False,
        "A registration cannot go from registered to completed; from registered it may go to "
        "in_progress, withdrawn, transferred, expired.",
    )
    assert transition(S.COMPLETED, S.IN_PROGRESS) == Transition(
        False, "Completed is final: it cannot go to in_progress."
    )
    assert transition(S.IN_PROGRESS, S.IN_PROGRESS) == Transition(
        False, "The registration is already in_progress."
    )
    assert not transition(S.IN_PROGRESS, S.REGISTERED).allowed


def test_expiry_due_only_for_unfinished_registrations_after_the_end_date() -> None:
    end = date(2017, 7, 31)
    assert not expiry_due(S.IN_PROGRESS, end, end)
    assert expiry_due(S.IN_PROGRESS, end, date(2017, 8, 1))
    assert expiry_due(S.REGISTERED, end, date(2017, 8, 1))
    for final in FINAL:
        assert not expiry_due(final, end, date(2017, 8, 1))


@FAST
@given(st.sampled_from(list(Status)), st.lists(st.sampled_from(list(Status)), max_size=12))
def test_never_leaves_a_final_state(start: Status, attempts: list[Status]) -> None:
    state, reached_final = start, start in FINAL
    for target in attempts:
        move = transition(state, target)
        assert move.allowed == (target in allowed_targets(state))
        if move.allowed:
            assert not reached_final
            state = target
        reached_final = reached_final or state in FINAL
    assert reached_final == (state in FINAL)
