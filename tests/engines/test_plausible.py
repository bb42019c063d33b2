"""Issue 10: the plausible-range and text rules, as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from assay.engines.plausible import (
    birth_date_problem,
    business_date_problem,
    reason_problem,
    text_problem,
)

TODAY = date(2013, 3, 1)


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (date(580, 1, 1), "before 01/01/1900"),
        (date(1899, 12, 31), "before 01/01/1900"),
        (date(2013, 3, 2), "in the future"),
        (date(1900, 1, 1), None),
        (date(2013, 3, 1), None),
    ],
)
def test_birth_dates(born: date, problem: str | None) -> None:
    found = birth_date_problem(born, TODAY)
    assert found is None if problem is None else problem in (found or "")


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (date(2674, 1, 1), "more than two years ahead"),
        (date(2015, 3, 3), "more than two years ahead"),
        (date(1989, 12, 31), "before 01/01/1990"),
        (date(1990, 1, 1), None),
        (date(2015, 3, 1), None),
    ],
)
def test_business_dates(day: date, problem: str | None) -> None:
    found = business_date_problem(day, TODAY)
    assert found is None if problem is None else problem in (found or "")


def test_text_refuses_control_characters_but_multiline_keeps_layout() -> None:
    assert text_problem("Ann\x00") == "contains the control character U+0000"
    assert text_problem("Ann\x1b[31m") == "contains the control character U+001B"
    assert text_problem("two\nlines") == "contains the control character U+000A"
    assert text_problem("two\r\nlines\tand a tab", multiline=True) is None
    assert text_problem("bell\x07", multiline=True) == "contains the control character U+0007"
    assert text_problem("Zoë O'Brien-Łukasz") is None


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\u200b", "\u200b\ufeff\u2060", "\n\t"])
def test_reasons_must_show_something(reason: str) -> None:
    assert "blank or invisible" in (reason_problem(reason) or "")


def test_a_visible_reason_with_line_breaks_passes() -> None:
    assert reason_problem("sampling found\na gap") is None
    assert reason_problem("gap\x00") == "contains the control character U+0000"
