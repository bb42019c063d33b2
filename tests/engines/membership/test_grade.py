"""ICS membership grades from seed 000's lists, worked by hand, plus properties."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.membership.grade import eligibility, recognises
from assay.engines.membership.model import (
    AchievedQualification,
    AchievedUnit,
    Recognised,
    nvq_subject,
    scheme_from,
    title_key,
)

from ..strategies import FAST

LIBRARY = Path(__file__).resolve().parents[3] / "assay" / "catalogue" / "library"
SCHEME = scheme_from(yaml.safe_load((LIBRARY / "ics-membership.yaml").read_text("utf-8")))

CG4 = AchievedQualification(
    title="Level 4 NVQ Diploma in Customer Service",
    level=4,
    keys=("cg-4430-04", "4430-04"),
    type="NVQ",
    how="registration completed",
)
ED3 = AchievedQualification(
    title="Edexcel Level 3 NVQ in Customer Service",
    level=3,
    keys=("edexcel-l3-nvq-cs", "EDEXCEL-L3-NVQ-CS"),
    type="NVQ",
)
RETAIL3 = AchievedQualification(title="Retail Operations", level=3, type="NVQ/SVQ", how="held")
RETAIL2 = AchievedQualification(title="Retail Operations", level=2, type="NVQ", how="held")
HNC = AchievedQualification(title="HNC in Business and Finance", level=None, how="held")


def cs(number: str, title: str, code: str = "", qual: str = "EDEXCEL-L3-NVQ-CS") -> AchievedUnit:
    return AchievedUnit(qual, number, title, code=code, customer_service=True)


U7 = cs("7", "Understand customer service to improve service delivery")
U8 = cs("8", "Know the rules to follow when developing customer service")
U304 = cs("304", "Use customer service as a competitive tool", "4430-304", "4430-04")
U18 = cs("18", "Use customer service as a competitive tool")


def test_scheme_reads_three_grades_in_rank_order() -> None:
    assert [g.name for g in SCHEME.grades] == ["Foundation", "Bronze", "Management"]
    assert [g.min_customer_service_units for g in SCHEME.grades] == [2, 2, 0]
    assert len(SCHEME.grades[1].recognised) == 14
    assert SCHEME.grades[2].recognised[1].matches == ("cg-4430-04",)


def test_titles_and_subjects() -> None:
    assert title_key("HNC in Business & Finance") == "hnc in business and finance"
    assert nvq_subject("Level 4 NVQ Diploma in Customer Service") == "customer service"
    assert nvq_subject("N/SVQ at Level 4 in Customer Service") == "customer service"
    assert nvq_subject("Diploma in Management Studies") is None


def test_level_4_customer_service_nvq_gives_management_without_units() -> None:
    got = eligibility(SCHEME, [CG4], [])
    assert got.grade is not None and got.grade.name == "Management"
    assert got.basis is not None and got.basis.qualification is CG4
    assert "matched to cg-4430-04" in got.basis.matched_by
    assert got.reasons[0].startswith("Eligible for Management membership")
    assert any("sets no further condition" in r for r in got.reasons)


def test_level_3_customer_service_nvq_is_not_on_any_list() -> None:
    """Seed 000 lists sector NVQs for Bronze, not the Customer Service NVQ itself."""
    got = eligibility(SCHEME, [ED3], [U7, U8])
    assert got.grade is None
    assert any("not on the list for any grade" in r for r in got.reasons)


def test_bronze_needs_two_customer_service_units() -> None:
    one = eligibility(SCHEME, [RETAIL3], [U7])
    assert one.grade is None
    assert one.refused and one.refused[0].grade.name == "Bronze"
    assert any("is not met: 1 customer service unit achieved" in r for r in one.reasons)
    two = eligibility(SCHEME, [RETAIL3], [U7, U8])
    assert two.grade is not None and two.grade.name == "Bronze"
    assert two.basis is not None and two.basis.units == (U7, U8)
    assert "NVQ/SVQ at Level 3 in Retail Operations" in two.basis.matched_by


def test_the_same_unit_in_two_qualifications_counts_once() -> None:
    got = eligibility(SCHEME, [RETAIL3], [U18, cs("18", U18.title, qual="other")])
    assert got.grade is None
    coded = eligibility(
        SCHEME, [RETAIL3], [U304, AchievedUnit("x", "9", "Other", "4430-304", True)]
    )
    assert coded.grade is None


def test_units_not_in_customer_service_do_not_count() -> None:
    other = AchievedUnit("X", "1", "Stack shelves", customer_service=False)
    other2 = AchievedUnit("X", "2", "Lift safely", customer_service=False)
    assert eligibility(SCHEME, [RETAIL2], [other, other2]).grade is None
    assert eligibility(SCHEME, [RETAIL2], [U7, U8]).grade.name == "Foundation"  # type: ignore[union-attr]


def test_level_matters_for_nvq_lists() -> None:
    treework3 = AchievedQualification(title="Treework", level=3, type="NVQ")
    assert eligibility(SCHEME, [treework3], [U7, U8]).grade is None  # Treework is Level 2 only


def test_highest_grade_wins_and_others_are_alternatives() -> None:
    got = eligibility(SCHEME, [RETAIL2, RETAIL3, CG4], [U7, U8])
    assert got.grade is not None and got.grade.name == "Management"
    assert [b.grade.name for b in got.alternatives] == ["Bronze", "Foundation"]


def test_tie_rests_on_catalogue_match_then_earlier() -> None:
    early = AchievedQualification(
        title="HND in Business & Finance", level=None, achieved_on=date(2001, 1, 1)
    )
    late = AchievedQualification(
        title="HNC in Business and Finance", level=None, achieved_on=date(2009, 1, 1)
    )
    got = eligibility(SCHEME, [late, early], [])
    assert got.basis is not None and got.basis.qualification is early
    both = eligibility(SCHEME, [HNC, CG4], [])
    assert both.basis is not None and both.basis.qualification is CG4  # Level 4, catalogue match
    assert any("would also give Management" in r for r in both.reasons)


def test_non_nvq_titles_match_by_title_only() -> None:
    entry = Recognised(title="ILM Certificate in Management", type="Certificate")
    assert recognises(entry, AchievedQualification("ilm certificate in management", None))
    assert not recognises(entry, AchievedQualification("ILM Award in Management", None))


def test_nothing_achieved() -> None:
    got = eligibility(SCHEME, [], [])
    assert got.grade is None and got.rank == 0
    assert "No achieved qualification is known to Assay." in got.reasons


# --- properties -------------------------------------------------------------------------

TITLES = [e.title for g in SCHEME.grades for e in g.recognised] + [
    "Level 4 NVQ Diploma in Customer Service",
    "Edexcel Level 3 NVQ in Customer Service",
    "Something else",
]
quals = st.builds(
    AchievedQualification,
    title=st.sampled_from(TITLES),
    level=st.sampled_from([None, 2, 3, 4]),
    keys=st.sampled_from([(), ("cg-4430-04",), ("edexcel-l3-nvq-cs",)]),
    type=st.sampled_from(["", "NVQ", "NVQ/SVQ", "Diploma"]),
)
units = st.builds(
    AchievedUnit,
    qualification=st.sampled_from(["A", "B"]),
    number=st.sampled_from(["1", "2", "3"]),
    title=st.sampled_from(["Deal with customers", "Handle complaints", "Lead a team", "Stack"]),
    code=st.sampled_from(["", "", "X-1", "X-2"]),
    customer_service=st.booleans(),
)


@FAST
@given(
    st.lists(quals, max_size=4),
    st.lists(units, max_size=5),
    st.lists(quals, max_size=2),
    st.lists(units, max_size=3),
)
def test_more_achievements_never_lower_the_grade(q, u, more_q, more_u) -> None:  # type: ignore[no-untyped-def]
    before = eligibility(SCHEME, q, u)
    after = eligibility(SCHEME, [*q, *more_q], [*u, *more_u])
    assert after.rank >= before.rank


@FAST
@given(st.lists(quals, max_size=4), st.lists(units, max_size=5))
def test_fewer_than_two_customer_service_units_never_rest_on_a_unit_condition(q, u) -> None:  # type: ignore[no-untyped-def]
    got = eligibility(SCHEME, q, u)
    if len(got.customer_service_units) < 2:
        assert got.grade is None or got.grade.min_customer_service_units == 0
    if got.basis is not None:
        assert got.basis.met and got.reasons[0].startswith(f"Eligible for {got.grade.name}")  # type: ignore[union-attr]
        assert all(b.grade.rank <= got.rank for b in got.alternatives)


@FAST
@given(st.lists(quals, max_size=4), st.lists(units, max_size=5))
def test_order_of_input_does_not_change_the_grade(q, u) -> None:  # type: ignore[no-untyped-def]
    assert eligibility(SCHEME, q, u).rank == eligibility(SCHEME, q[::-1], u[::-1]).rank
