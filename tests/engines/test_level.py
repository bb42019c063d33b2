"""Level recommendations from the Edexcel logbook's "Who are these Edexcel NVQs for?"."""

from __future__ import annotations

from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.entry.level import JobRole, recommend_level

from .strategies import FAST

NOBODY = JobRole(
    delivers_service_directly=False,
    monitors_or_develops_quality=False,
    leads_team_or_department=False,
    plans_or_implements_strategy=False,
    advises_on_customer_service=False,
    first_qualification_or_new_to_work=False,
)
FLAGS = tuple(f.name for f in fields(JobRole))


def test_school_leaver_gets_level_1_with_the_first_qualification_quote() -> None:
    rec = recommend_level(replace(NOBODY, first_qualification_or_new_to_work=True))
    assert rec.level == 1
    assert "wishing to take a first qualification in customer service" in rec.reasons[0]
    assert '"just starting their careers"' in rec.reasons[1]


def test_no_responsibility_gets_level_1_saying_nothing_higher_fits() -> None:
    rec = recommend_level(NOBODY)
    assert rec.level == 1
    assert rec.reasons[0].startswith("No responsibility described for Levels 2–4 fits the role")


def test_call_centre_staff_get_level_2() -> None:
    rec = recommend_level(replace(NOBODY, delivers_service_directly=True))
    assert rec.level == 2
    assert rec.reasons == (
        "The role delivers customer service directly: the Level 2 NVQ "
        '"is designed for staff who are responsible for delivering customer service and who '
        "interact directly with the customer, for example sales or retail staff, staff working "
        'on service desks, call centre staff"',
    )


def test_new_to_work_but_delivering_gets_level_2_and_says_why_not_level_1() -> None:
    rec = recommend_level(
        replace(NOBODY, delivers_service_directly=True, first_qualification_or_new_to_work=True)
    )
    assert rec.level == 2
    assert "unable to access the NVQs in Customer Service at Levels 2 and 3" in rec.reasons[-1]


def test_quality_monitor_or_team_leader_gets_level_3() -> None:
    both = replace(
        NOBODY,
        delivers_service_directly=True,
        monitors_or_develops_quality=True,
        leads_team_or_department=True,
    )
    rec = recommend_level(both)
    assert rec.level == 3
    assert len(rec.reasons) == 2
    assert "monitor and develop the quality of customer service given" in rec.reasons[0]
    assert "in charge of their own department or team" in rec.reasons[1]
    assert recommend_level(replace(NOBODY, leads_team_or_department=True)).level == 3


def test_strategic_manager_or_adviser_gets_level_4() -> None:
    rec = recommend_level(replace(NOBODY, plans_or_implements_strategy=True))
    assert rec.level == 4
    assert (
        '"is designed for those responsible for planning and implementing customer service '
        "within an organisation" in rec.reasons[0]
    )
    adviser = recommend_level(replace(NOBODY, advises_on_customer_service=True))
    assert adviser.level == 4
    assert "expected to provide advice on customer service" in adviser.reasons[0]


roles = st.builds(JobRole, *(st.booleans() for _ in FLAGS))


@FAST
@given(roles, st.sampled_from(FLAGS))
def test_adding_a_responsibility_never_lowers_the_level(role: JobRole, flag: str) -> None:
    more = replace(role, **{flag: True})
    assert recommend_level(more).level >= recommend_level(role).level


@FAST
@given(roles)
def test_always_a_level_between_1_and_4_with_reasons(role: JobRole) -> None:
    rec = recommend_level(role)
    assert 1 <= rec.level <= 4
    assert rec.reasons
    assert all(f"Level {rec.level}" in r or rec.level == 1 for r in rec.reasons)
