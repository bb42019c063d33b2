"""Claims: hand-worked cases from the 4430-04 handbook and properties of the decision and of
the certificate number's check character."""

from __future__ import annotations

import dataclasses
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.claims import (
    ClaimFacts,
    ClaimKind,
    Code,
    UnitFact,
    certificate_number,
    check_character,
    claim_decision,
    valid_number,
)
from assay.engines.claims.number import number_problem
from assay.engines.entry.rules import Approval, CentreApproval
from tests.engines.specs import city_and_guilds_4430_04
from tests.engines.strategies import FAST

CG = city_and_guilds_4430_04()
UNITS = tuple(u.number for u in CG.units)
# A set meeting the rules of combination (tests/engines/test_registration_rules.py).
COMPLETE = ("401", "402", "403", "404", "405", "406", "410", "416")
APPROVED = CentreApproval(Approval.APPROVED, date(2011, 9, 1))
SUSPENDED = (
    "certification claims suspended at this centre since 01/02/2013 by the external "
    "verifier: Assessment records missing for 12 candidates",
)


def facts(**kw: object) -> ClaimFacts:
    base: dict[str, object] = {
        "kind": ClaimKind.UNIT,
        "qualification_code": "4430-04",
        "claim_on": date(2013, 3, 1),
        "registered_on": date(2012, 9, 3),
        "end_date": date(2015, 9, 2),
        "last_certification": date(2017, 7, 31),
        "approval": APPROVED,
        "direct_claims": False,
        "sanctions": (),
        "qualification_units": UNITS,
        "units": (UnitFact("401", signed_off=True, sampled=True, agreed=True),),
        "claimed": ("401",),
        "spec": CG,
    }
    base.update(kw)
    return ClaimFacts(**base)  # type: ignore[arg-type]


def codes(f: ClaimFacts) -> list[str]:
    return [r.code for r in claim_decision(f).reasons]


def test_a_signed_off_unit_the_iv_agreed_is_claimed() -> None:
    decision = claim_decision(facts())
    assert decision.allowed and decision.reasons == () and decision.counted_units == ("401",)


def test_a_credited_unit_needs_no_sample() -> None:
    assert claim_decision(facts(units=(UnitFact("401", credited=True),))).allowed


def test_a_unit_not_signed_off_nor_credited_is_refused() -> None:
    decision = claim_decision(facts(units=(UnitFact("402", signed_off=True),), claimed=("401",)))
    assert [(r.code, r.text) for r in decision.reasons] == [
        (
            Code.UNIT_NOT_ACHIEVED,
            "Not signed off by an assessor nor credited (RPL or credit transfer): unit 401.",
        )
    ]


def test_a_sampled_unit_without_an_agree_is_refused_unless_direct_claims() -> None:
    units = (UnitFact("401", signed_off=True, sampled=True, agreed=False),)
    assert codes(facts(units=units)) == [Code.SAMPLE_NOT_AGREED]
    assert claim_decision(facts(units=units)).reasons[0].text == (
        "The IQA sampling plan picked unit 401 and no internal verifier has agreed yet "
        "(the centre holds no direct claims status)."
    )
    assert claim_decision(facts(units=units, direct_claims=True)).allowed
    # a unit the plan did not pick needs no agree
    assert claim_decision(facts(units=(UnitFact("401", signed_off=True),))).allowed


def test_the_full_qualification_needs_the_rules_of_combination_with_the_counted_units() -> None:
    almost = tuple(UnitFact(n, signed_off=True) for n in COMPLETE[:-1])
    decision = claim_decision(facts(kind=ClaimKind.QUALIFICATION, units=almost, claimed=()))
    assert [r.code for r in decision.reasons] == [Code.RULES_NOT_MET]
    assert "not met" in decision.reasons[0].text
    whole = (*almost, UnitFact("416", credited=True))
    decision = claim_decision(facts(kind=ClaimKind.QUALIFICATION, units=whole, claimed=()))
    assert decision.allowed and set(decision.counted_units) == set(COMPLETE)
    assert "401 (signed off)" in decision.summary and "416 (credited)" in decision.summary


def test_dates_the_registration_period_and_the_last_certification_date() -> None:
    assert codes(facts(claim_on=date(2012, 9, 2))) == [Code.BEFORE_REGISTRATION]
    assert codes(facts(claim_on=date(2012, 9, 3))) == []
    assert codes(facts(claim_on=date(2015, 9, 2))) == []
    assert codes(facts(claim_on=date(2015, 9, 3))) == [Code.AFTER_REGISTRATION_END]
    # the handbook: last certification 31/07/2017
    late = facts(claim_on=date(2017, 8, 1), end_date=date(2018, 1, 1))
    assert claim_decision(late).texts() == [
        "The last certification date of 4430-04 was 31/07/2017; the claim date is 01/08/2017."
    ]
    assert codes(facts(claim_on=date(2017, 7, 31), end_date=date(2018, 1, 1))) == []


def test_centre_approval_and_sanctions() -> None:
    assert claim_decision(facts(approval=None)).texts() == [
        "The centre holds no approval to offer 4430-04."
    ]
    withdrawn = CentreApproval(Approval.WITHDRAWN, date(2013, 1, 1), reason="closed")
    assert codes(facts(approval=withdrawn)) == [Code.CENTRE_NOT_APPROVED]
    decision = claim_decision(facts(sanctions=SUSPENDED))
    assert decision.texts() == [
        "Certification claims suspended at this centre since 01/02/2013 by the external "
        "verifier: Assessment records missing for 12 candidates."
    ]


def test_every_reason_at_once() -> None:
    f = facts(
        units=(UnitFact("402", signed_off=True, sampled=True),),
        claimed=("401", "402", "999"),
        claim_on=date(2017, 8, 1),
        approval=None,
        sanctions=SUSPENDED,
    )
    assert codes(f) == [
        Code.UNKNOWN_UNIT,
        Code.UNIT_NOT_ACHIEVED,
        Code.SAMPLE_NOT_AGREED,
        Code.AFTER_REGISTRATION_END,
        Code.AFTER_LAST_CERTIFICATION,
        Code.CENTRE_NOT_APPROVED,
        Code.CLAIMS_SUSPENDED,
    ]


def test_nothing_claimed_and_already_certified() -> None:
    assert codes(facts(claimed=())) == [Code.NO_UNITS]
    certified = (UnitFact("401", signed_off=True, certified=True),)
    assert codes(facts(units=certified)) == [Code.ALREADY_CERTIFIED]
    # unit certificates do not stand in the way of the full qualification
    whole = tuple(UnitFact(n, signed_off=True, certified=True) for n in COMPLETE)
    assert claim_decision(facts(kind=ClaimKind.QUALIFICATION, units=whole)).allowed
    done = facts(kind=ClaimKind.QUALIFICATION, units=whole, qualification_certified=True)
    assert codes(done) == [Code.ALREADY_CERTIFIED]


unit_facts = st.builds(
    UnitFact,
    number=st.sampled_from(UNITS),
    signed_off=st.booleans(),
    credited=st.booleans(),
    sampled=st.booleans(),
    agreed=st.booleans(),
    certified=st.booleans(),
)
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2019, 12, 31))
claim_facts = st.builds(
    facts,
    kind=st.sampled_from(list(ClaimKind)),
    claim_on=days,
    units=st.lists(unit_facts, max_size=10, unique_by=lambda u: u.number).map(tuple),
    claimed=st.lists(st.sampled_from((*UNITS, "999")), max_size=5).map(tuple),
    direct_claims=st.booleans(),
    approval=st.sampled_from([APPROVED, None]),
    sanctions=st.sampled_from([(), SUSPENDED]),
)


@given(claim_facts)
@FAST
def test_allowed_iff_no_reason_and_each_failing_rule_is_named(f: ClaimFacts) -> None:
    decision = claim_decision(f)
    assert decision.allowed == (decision.reasons == ())
    found = {r.code for r in decision.reasons}
    assert (Code.CLAIMS_SUSPENDED in found) == bool(f.sanctions)
    assert (Code.CENTRE_NOT_APPROVED in found) == (
        f.approval is None or f.claim_on < f.approval.since
    )
    assert (Code.AFTER_LAST_CERTIFICATION in found) == (f.claim_on > date(2017, 7, 31))
    assert (Code.BEFORE_REGISTRATION in found) == (f.claim_on < f.registered_on)
    assert (Code.AFTER_REGISTRATION_END in found) == (f.claim_on > f.end_date)
    by = {u.number: u for u in f.units}
    claimed = (
        [n for n in UNITS if n in by and by[n].achieved]
        if f.kind is ClaimKind.QUALIFICATION
        else [n for n in f.claimed if n in UNITS]
    )
    missing = any(n not in by or not by[n].achieved for n in claimed)
    assert (Code.UNIT_NOT_ACHIEVED in found) == missing
    waiting = any(
        n in by and by[n].signed_off and by[n].sampled and not by[n].agreed for n in claimed
    )
    assert (Code.SAMPLE_NOT_AGREED in found) == (waiting and not f.direct_claims)


@given(claim_facts)
@FAST
def test_removing_a_failing_fact_never_adds_a_reason(f: ClaimFacts) -> None:
    """Clearing the sanctions and granting approval removes exactly those reasons."""
    before = {r.code for r in claim_decision(f).reasons}
    always = CentreApproval(Approval.APPROVED, date(1990, 1, 1))
    cleared = dataclasses.replace(f, sanctions=(), approval=always)
    after = {r.code for r in claim_decision(cleared).reasons}
    assert after == before - {Code.CLAIMS_SUSPENDED, Code.CENTRE_NOT_APPROVED}


def test_certificate_numbers_hand_worked() -> None:
    assert certificate_number(2013, 1) == "AS-2013-000001-3"
    assert valid_number("AS-2013-000001-3") and valid_number(" as2013000001-3 ")
    assert not valid_number("AS-2013-000002-3")
    assert number_problem("AS-2013-000001-4") == (
        "'AS-2013-000001-4': the check character does not match (a character mistyped?)"
    )
    assert number_problem("hello") is not None
    with pytest.raises(ValueError):
        certificate_number(2013, 0)


ALNUM = string.digits + string.ascii_uppercase


@given(st.integers(1990, 2099), st.integers(1, 999_999), st.data(), st.sampled_from(list(ALNUM)))
@FAST
def test_any_single_character_change_is_detected(
    year: int, serial: int, data: st.DataObject, replacement: str
) -> None:
    number = certificate_number(year, serial)
    assert valid_number(number)
    plain = number.replace("-", "")
    at = data.draw(st.integers(0, len(plain) - 1))
    if plain[at] == replacement:
        return
    changed = plain[:at] + replacement + plain[at + 1 :]
    assert not valid_number(changed)


@given(st.text(alphabet=ALNUM, min_size=1, max_size=20))
@FAST
def test_check_character_is_alphanumeric(body: str) -> None:
    assert check_character(body) in ALNUM
