"""Entry rules on the 4430-04 handbook's facts, worked by hand, plus properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.dates import add_months, ddmmyyyy
from assay.engines.entry.rules import (
    Approval,
    CandidateFacts,
    CentreApproval,
    EntryDecision,
    QualificationFacts,
    Reason,
    age_on,
    entry_decision,
    registration_end,
)

from .strategies import FAST

CG = QualificationFacts(
    code="4430-04",
    title="Level 4 NVQ Diploma in Customer Service",
    level=4,
    last_registration=date(2014, 7, 31),
    last_certification=date(2017, 7, 31),
    minimum_age=18,
    real_job_required=True,
    equivalents=frozenset({"ZZ-CS-4"}),  # hypothetical catalogue-declared equivalent
)
ADULT = CandidateFacts(
    date_of_birth=date(1980, 5, 17), held_qualifications=frozenset(), real_job=True
)
APPROVED = CentreApproval(Approval.APPROVED, since=date(2010, 9, 1))


def decide(
    candidate: CandidateFacts = ADULT,
    approval: CentreApproval | None = APPROVED,
    on: date = date(2013, 3, 1),
    qualification: QualificationFacts = CG,
) -> EntryDecision:
    return entry_decision(
        candidate=candidate, qualification=qualification, approval=approval, registered_on=on
    )


def codes(decision: EntryDecision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_allowed_has_no_reasons() -> None:
    assert decide() == EntryDecision(allowed=True, reasons=())


def test_last_registration_day_allowed_and_day_after_refused() -> None:
    assert decide(on=date(2014, 7, 31)).allowed
    refused = decide(on=date(2014, 8, 1))
    assert refused.reasons == (
        Reason(
            "after-last-registration",
            "Registration on 01/08/2014 is after the last registration date for 4430-04, "
            "31/07/2014.",
        ),
    )


def test_under_18_day_before_birthday_refused_and_on_birthday_allowed() -> None:
    teen = replace(ADULT, date_of_birth=date(1995, 3, 2))
    assert decide(teen, on=date(2013, 3, 1)).reasons == (
        Reason(
            "under-minimum-age",
            "The candidate is 17 on 01/03/2013; 4430-04 is not approved for candidates under 18.",
        ),
    )
    assert decide(teen, on=date(2013, 3, 2)).allowed


def test_29_february_birthday_is_reached_on_1_march_in_non_leap_years() -> None:
    leapling = replace(ADULT, date_of_birth=date(1996, 2, 29))
    assert codes(decide(leapling, on=date(2014, 2, 28))) == ["under-minimum-age"]
    assert decide(leapling, on=date(2014, 3, 1)).allowed
    assert age_on(date(1996, 2, 29), date(2016, 2, 28)) == 19
    assert age_on(date(1996, 2, 29), date(2016, 2, 29)) == 20
    assert age_on(date(1996, 2, 29), date(2017, 2, 28)) == 20
    assert age_on(date(1996, 2, 29), date(2017, 3, 1)) == 21


def test_age_before_birth_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_holder_of_the_same_qualification_refused() -> None:
    holder = replace(ADULT, held_qualifications=frozenset({"4430-04", "4430-03"}))
    [reason] = decide(holder).reasons
    assert reason.code == "already-holds"
    assert reason.message.startswith("The candidate already holds 4430-04. Candidates should not")


def test_holder_of_an_equivalent_refused_but_not_of_a_lower_level() -> None:
    [reason] = decide(replace(ADULT, held_qualifications=frozenset({"ZZ-CS-4"}))).reasons
    assert reason.code == "already-holds"
    assert "ZZ-CS-4, declared equivalent to 4430-04" in reason.message
    assert decide(replace(ADULT, held_qualifications=frozenset({"4430-03"}))).allowed


def test_no_real_job_refused_only_where_required() -> None:
    jobless = replace(ADULT, real_job=False)
    assert codes(decide(jobless)) == ["no-real-job"]
    assert "real job (either paid or voluntary)" in decide(jobless).reasons[0].message
    assert decide(jobless, qualification=replace(CG, real_job_required=False)).allowed


def test_suspended_centre_refused_with_its_reason() -> None:
    suspended = CentreApproval(Approval.SUSPENDED, date(2012, 11, 5), reason="sanctions on 4543-04")
    assert decide(approval=suspended).reasons == (
        Reason(
            "centre-not-approved",
            "The centre's approval for 4430-04 is suspended since 05/11/2012; "
            "reason: sanctions on 4543-04.",
        ),
    )
    bare = replace(suspended, status=Approval.WITHDRAWN, reason="")
    assert (
        decide(approval=bare)
        .reasons[0]
        .message.endswith("withdrawn since 05/11/2012; no reason recorded.")
    )


def test_centre_approval_window_is_inclusive() -> None:
    window = CentreApproval(Approval.APPROVED, date(2012, 1, 1), date(2013, 12, 31), "lapsed")
    assert decide(approval=window, on=date(2012, 1, 1)).allowed
    assert decide(approval=window, on=date(2013, 12, 31)).allowed
    assert (
        "starts on 01/01/2012" in decide(approval=window, on=date(2011, 12, 31)).reasons[0].message
    )
    assert decide(approval=window, on=date(2014, 1, 1)).reasons[0].message == (
        "The centre's approval for 4430-04 ended on 31/12/2013, before registration on "
        "01/01/2014; reason: lapsed."
    )
    assert codes(decide(approval=None)) == ["centre-not-approved"]
    with pytest.raises(ValueError):
        CentreApproval(Approval.APPROVED, date(2012, 1, 2), date(2012, 1, 1))


def test_every_failure_is_listed_together_in_rule_order() -> None:
    everything_wrong = CandidateFacts(date(1997, 1, 1), frozenset({"4430-04"}), real_job=False)
    decision = decide(everything_wrong, approval=None, on=date(2014, 8, 1))
    assert not decision.allowed
    assert codes(decision) == [
        "centre-not-approved",
        "after-last-registration",
        "under-minimum-age",
        "already-holds",
        "no-real-job",
    ]


def test_decision_cannot_be_built_inconsistent() -> None:
    with pytest.raises(ValueError):
        EntryDecision(allowed=True, reasons=(Reason("x", "y"),))
    with pytest.raises(ValueError):
        EntryDecision(allowed=False, reasons=())


def test_registration_end_capped_at_last_certification() -> None:
    end = registration_end(
        registered_on=date(2014, 6, 1), period_months=48, last_certification=date(2017, 7, 31)
    )
    assert (end.end, end.capped) == (date(2017, 7, 31), True)
    assert end.explanation == (
        "Ends on 31/07/2017, the last certification date, which comes before 01/06/2018 "
        "(48 months from registration on 01/06/2014)."
    )


def test_registration_end_default_and_month_end_clamp() -> None:
    end = registration_end(
        registered_on=date(2014, 1, 31), period_months=1, last_certification=date(2017, 7, 31)
    )
    assert (end.end, end.capped) == (date(2014, 2, 28), False)
    assert "last certification date 31/07/2017 is not earlier" in end.explanation
    leap = registration_end(
        registered_on=date(2016, 1, 31), period_months=1, last_certification=None
    )
    assert (leap.end, leap.capped) == (date(2016, 2, 29), False)
    assert "no last certification date is set" in leap.explanation
    on_cap = registration_end(
        registered_on=date(2014, 7, 31), period_months=36, last_certification=date(2017, 7, 31)
    )
    assert (on_cap.end, on_cap.capped) == (date(2017, 7, 31), False)
    with pytest.raises(ValueError):
        registration_end(registered_on=date(2014, 1, 1), period_months=0, last_certification=None)


def test_add_months_and_format() -> None:
    assert add_months(date(2013, 1, 1), 18) == date(2014, 7, 1)
    assert add_months(date(2013, 8, 31), 18) == date(2015, 2, 28)
    assert add_months(date(2015, 12, 15), -12) == date(2014, 12, 15)
    assert ddmmyyyy(date(5, 3, 9)) == "09/03/0005"


def birthdays_reached(born: date, on: date) -> int:
    """Independent oracle: count the birthdays (29 Feb → 1 Mar in common years) up to ``on``."""
    reached = 0
    for year in range(born.year + 1, on.year + 1):
        try:
            birthday = born.replace(year=year)
        except ValueError:
            birthday = date(year, 3, 1)
        reached += birthday <= on
    return reached


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@FAST
@given(dates, dates, dates)
def test_age_on_is_monotone_and_counts_birthdays(born: date, a: date, b: date) -> None:
    first, second = sorted((a, b))
    if first < born:
        return
    assert age_on(born, first) <= age_on(born, second)
    assert age_on(born, second) == birthdays_reached(born, second)


@FAST
@given(
    st.builds(
        CandidateFacts,
        date_of_birth=st.dates(date(1950, 1, 1), date(2005, 12, 31)),
        held_qualifications=st.frozensets(st.sampled_from(["4430-04", "ZZ-CS-4", "4430-03"])),
        real_job=st.booleans(),
    ),
    st.builds(
        QualificationFacts,
        code=st.just("4430-04"),
        title=st.just("Level 4 NVQ Diploma in Customer Service"),
        level=st.integers(1, 4),
        last_registration=st.none() | dates,
        last_certification=st.none() | dates,
        minimum_age=st.none() | st.integers(0, 25),
        real_job_required=st.booleans(),
        equivalents=st.frozensets(st.sampled_from(["ZZ-CS-4", "4543-04"])),
    ),
    st.none()
    | st.builds(
        CentreApproval,
        status=st.sampled_from(list(Approval)),
        since=st.dates(date(2000, 1, 1), date(2010, 1, 1)),
        until=st.none() | st.dates(date(2010, 1, 1), date(2020, 1, 1)),
    ),
    st.dates(date(2006, 1, 1), date(2030, 1, 1)),
)
def test_allowed_exactly_when_no_reason_and_each_rule_once(
    candidate: CandidateFacts,
    qualification: QualificationFacts,
    approval: CentreApproval | None,
    on: date,
) -> None:
    decision = decide(candidate, approval, on, qualification)
    assert decision.allowed == (not decision.reasons)
    found = codes(decision)
    assert len(found) == len(set(found))
    assert ("after-last-registration" in found) == (
        qualification.last_registration is not None and on > qualification.last_registration
    )
    assert ("no-real-job" in found) == (qualification.real_job_required and not candidate.real_job)
    age = birthdays_reached(candidate.date_of_birth, on)  # births all precede registrations
    minimum = qualification.minimum_age
    assert ("under-minimum-age" in found) == (minimum is not None and age < minimum)
