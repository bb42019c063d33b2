"""A/V unit records, CPD and sites through the services: who may, and bad input changes nothing.

North: Carol (centre administrator), Alice and Arthur (assessors), Tom (tutor), Ed (employer
contact), Dan (candidate), Eve (external verifier). South: Sue (centre administrator). Sam is
the awarding body (superuser). The clock is pinned to 01/03/2013.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assay.centres.models import Competence, CpdEntry, Role, Site
from assay.centres.people import competence_achieved, competence_record, cpd_record
from assay.centres.services import can_take_new_candidates, membership_grant, site_add
from assay.errors import InvalidInput, NotAllowed
from tests.factories import make_centre, make_user

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2013, 3, 1)

GRANTS = [
    ("north", "carol", Role.CENTRE_ADMIN),
    ("north", "alice", Role.ASSESSOR),
    ("north", "arthur", Role.ASSESSOR),
    ("north", "tom", Role.TUTOR),
    ("north", "ed", Role.EMPLOYER_CONTACT),
    ("north", "dan", Role.CANDIDATE),
    ("north", "eve", Role.EXTERNAL_VERIFIER),
    ("south", "sue", Role.CENTRE_ADMIN),
]


@pytest.fixture
def w(settings: Any) -> dict[str, Any]:
    settings.ASSAY_TODAY = TODAY.isoformat()
    sam = make_user("sam", is_superuser=True)
    centres = {
        "north": make_centre(sam, "0042", "Northgate", quals=()),
        "south": make_centre(sam, "0043", "Southgate", quals=()),
    }
    people: dict[str, Any] = {"sam": sam, **centres}
    for centre, name, role in GRANTS:
        people[name] = make_user(name)
        membership_grant(by=sam, centre=centres[centre], user=people[name], role=role)
    people["a1"] = competence_record(
        by=people["carol"],
        centre=centres["north"],
        user=people["arthur"],
        role="assessor",
        av_unit="A1",
        started_on=D(2011, 6, 1),
    )
    return people


def record(w: dict[str, Any], by: str, user: str = "alice", **overrides: Any) -> Competence:
    values: dict[str, Any] = {"role": "assessor", "av_unit": "D32", "started_on": D(2012, 1, 9)}
    values.update(overrides)
    return competence_record(by=w[by], centre=w["north"], user=w[user], **values)


def snapshot() -> tuple[Any, ...]:
    return (
        list(Competence.objects.values_list("pk", "user", "role", "av_unit", "achieved_on")),
        list(CpdEntry.objects.values_list("pk", "hours")),
        list(Site.objects.values_list("pk", "name")),
    )


# --- A/V unit records ------------------------------------------------------------------------


def test_an_administrator_records_a_unit_and_its_deadline_runs(w: dict[str, Any]) -> None:
    row = record(w, "carol", achieved_on=None, started_on=D(2012, 9, 3), av_unit=" A1 ")
    assert (row.user, row.role, row.av_unit, row.achieved_on) == (
        w["alice"],
        "assessor",
        "A1",
        None,
    )
    assert can_take_new_candidates(w["alice"], TODAY)
    held = record(w, "carol", user="tom", started_on=D(2010, 1, 4), achieved_on=D(2011, 2, 1))
    assert held.achieved_on == D(2011, 2, 1)


def test_only_the_awarding_body_records_an_external_verifiers_units(w: dict[str, Any]) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed, match="only the awarding body"):
        record(w, "carol", user="eve", role="external_verifier", av_unit="V2")
    assert snapshot() == before
    row = record(w, "sam", user="eve", role="external_verifier", av_unit="V2")
    assert row.role == "external_verifier"


@pytest.mark.parametrize("who", ["alice", "tom", "ed", "dan", "eve", "sue"])
def test_nobody_but_a_centre_administrator_records_units(w: dict[str, Any], who: str) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed, match="only a centre administrator can record A/V units"):
        record(w, who)
    assert snapshot() == before


@pytest.mark.parametrize("user", ["ed", "dan", "sue", "sam"])
def test_units_are_recorded_for_staff_of_the_centre_only(w: dict[str, Any], user: str) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        record(w, "carol", user=user)
    assert refused.value.errors == {"user": f"{user} holds no staff role at Northgate"}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"started_on": D(2012, 6, 1), "achieved_on": D(2012, 5, 31)},
            "achieved_on",
            "cannot be achieved (31/05/2012) before its holder started working with the "
            "standards (01/06/2012)",
        ),
        ({"achieved_on": D(2013, 3, 2)}, "achieved_on", "02/03/2013 is after today (01/03/2013)"),
        ({"started_on": D(2013, 3, 2)}, "started_on", "02/03/2013 is after today"),
        ({"av_unit": "   "}, "av_unit", "name the assessor or verifier unit"),
        ({"av_unit": "x" * 65}, "av_unit", "longer than 64 characters"),
        ({"role": "tutor"}, "role", "choose one of assessor, internal_verifier"),
        ({"user": "arthur", "av_unit": "a1"}, "av_unit", "already has a a1 record as assessor"),
    ],
)
def test_bad_unit_records_change_nothing(
    w: dict[str, Any], overrides: dict[str, Any], field: str, message: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        record(w, "carol", **overrides)
    assert message in refused.value.errors[field]
    assert snapshot() == before


def test_marking_achieved_lifts_the_stop_on_new_candidates(w: dict[str, Any]) -> None:
    assert not can_take_new_candidates(w["arthur"], TODAY)  # A1 due 01/12/2012, not held
    row = competence_achieved(by=w["carol"], competence=w["a1"], achieved_on=D(2013, 2, 20))
    assert row.achieved_on == D(2013, 2, 20)
    assert Competence.objects.get(pk=row.pk).achieved_on == D(2013, 2, 20)
    assert can_take_new_candidates(w["arthur"], TODAY)
    before = snapshot()
    with pytest.raises(InvalidInput, match="A1 was achieved on 20/02/2013"):
        competence_achieved(by=w["carol"], competence=row, achieved_on=D(2013, 2, 25))
    stale = Competence.objects.get(pk=row.pk)
    stale.achieved_on = None  # another request got there first
    with pytest.raises(InvalidInput, match="has just been marked achieved"):
        competence_achieved(by=w["carol"], competence=stale, achieved_on=D(2013, 2, 25))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2011, 5, 31), "before its holder started working with the standards (01/06/2011)"),
        (D(2013, 3, 2), "after today (01/03/2013)"),
    ],
)
def test_an_achievement_date_outside_the_period_changes_nothing(
    w: dict[str, Any], day: dt.date, message: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        competence_achieved(by=w["carol"], competence=w["a1"], achieved_on=day)
    assert message in refused.value.errors["achieved_on"]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "arthur", "tom", "ed", "eve", "sue"])
def test_only_an_administrator_where_they_work_marks_achieved(w: dict[str, Any], who: str) -> None:
    with pytest.raises(NotAllowed):
        competence_achieved(by=w[who], competence=w["a1"], achieved_on=D(2013, 2, 1))
    assert Competence.objects.get(pk=w["a1"].pk).achieved_on is None


def test_an_external_verifiers_unit_is_marked_achieved_by_the_awarding_body(
    w: dict[str, Any],
) -> None:
    v2 = record(w, "sam", user="eve", role="external_verifier", av_unit="V2")
    with pytest.raises(NotAllowed, match="only the awarding body"):
        competence_achieved(by=w["carol"], competence=v2, achieved_on=D(2013, 1, 1))
    assert competence_achieved(by=w["sam"], competence=v2, achieved_on=D(2013, 1, 1)).achieved_on


# --- CPD ---------------------------------------------------------------------------------------


def cpd(w: dict[str, Any], by: str, user: str = "alice", **overrides: Any) -> CpdEntry:
    values: dict[str, Any] = {"on": D(2013, 2, 20), "hours": Decimal("2.5"), "activity": "Webinar"}
    values.update(overrides)
    return cpd_record(by=w[by], user=w[user], **values)


@pytest.mark.parametrize("by", ["alice", "carol", "sam"])
def test_cpd_is_logged_by_the_person_or_their_administrator(w: dict[str, Any], by: str) -> None:
    entry = cpd(w, by, activity="  Standardisation day  ", on=TODAY)
    assert (entry.user, entry.on, entry.hours, entry.activity) == (
        w["alice"],
        TODAY,
        Decimal("2.5"),
        "Standardisation day",
    )


@pytest.mark.parametrize("by", ["arthur", "tom", "ed", "dan", "eve", "sue"])
def test_nobody_else_logs_someones_cpd(w: dict[str, Any], by: str) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed, match="only the person themselves or a centre administrator"):
        cpd(w, by)
    assert snapshot() == before


@pytest.mark.parametrize(("by", "user"), [("dan", "dan"), ("carol", "ed")])
def test_cpd_is_for_staff(w: dict[str, Any], by: str, user: str) -> None:
    with pytest.raises(InvalidInput, match="CPD is logged for centre staff"):
        cpd(w, by, user=user)
    assert not CpdEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"on": D(2013, 3, 2)}, "on", "the date 02/03/2013 is after today (01/03/2013)"),
        ({"hours": Decimal("-2")}, "hours", "greater than 0"),
        ({"hours": Decimal("0")}, "hours", "greater than 0"),
        ({"hours": Decimal("NaN")}, "hours", "greater than 0"),
        ({"hours": Decimal("1.25")}, "hours", "one decimal place"),
        ({"hours": Decimal("10000")}, "hours", "at most 9999.9 hours"),
        ({"activity": " "}, "activity", "describe the activity"),
    ],
)
def test_bad_cpd_entries_change_nothing(
    w: dict[str, Any], overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        cpd(w, "alice", **overrides)
    assert message in refused.value.errors[field]
    assert not CpdEntry.objects.exists()


# --- Sites -------------------------------------------------------------------------------------


def test_an_administrator_adds_sites_with_unique_names(w: dict[str, Any]) -> None:
    site = site_add(by=w["carol"], centre=w["north"], name=" Quayside ", address=" 1 Quay St ")
    assert (site.centre, site.name, site.address) == (w["north"], "Quayside", "1 Quay St")
    assert site_add(by=w["sam"], centre=w["north"], name="Mill Lane").name == "Mill Lane"
    assert site_add(by=w["sue"], centre=w["south"], name="Quayside").centre == w["south"]
    before = snapshot()
    for name, message in [
        ("QUAYSIDE", "Northgate already has a site called 'QUAYSIDE'"),
        ("  ", "name the site"),
        ("x" * 201, "the name is longer than 200 characters"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            site_add(by=w["carol"], centre=w["north"], name=name)
        assert refused.value.errors == {"name": message}
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "tom", "ed", "eve", "sue"])
def test_only_a_centre_administrator_adds_sites(w: dict[str, Any], who: str) -> None:
    with pytest.raises(NotAllowed, match="only a centre administrator can add sites"):
        site_add(by=w[who], centre=w["north"], name="Quayside")
    assert not Site.objects.exists()
