"""Chained moments (ISO text with an offset) read as the house "dd/mm/yyyy HH:MM", in the
site's time zone (London: BST in summer)."""

from __future__ import annotations

import datetime as dt

from assay.web.templatetags.assay_web import moment


def test_a_winter_moment_reads_as_london_time() -> None:
    assert moment("2013-03-01T09:30:12.123456+00:00") == "01/03/2013 09:30"


def test_a_summer_moment_reads_in_british_summer_time() -> None:
    assert moment("2013-07-01T09:30:00+00:00") == "01/07/2013 10:30"


def test_a_datetime_and_other_text() -> None:
    assert moment(dt.datetime(2013, 3, 1, 9, 5, tzinfo=dt.UTC)) == "01/03/2013 09:05"
    assert moment("01/03/2013") == "01/03/2013"
    assert moment(None) == "" and moment("") == ""
