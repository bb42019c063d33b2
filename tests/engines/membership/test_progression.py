"""Progression after a qualification: the logbook's and handbook's routes, by hand."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.membership.model import (
    AchievedQualification,
    AchievedUnit,
    catalogue_qualification_from,
    routes_from,
)
from assay.engines.membership.progression import progression

from ..strategies import FAST
from .test_grade import SCHEME

ROOT = Path(__file__).resolve().parents[3] / "assay"
DATA = yaml.safe_load((ROOT / "membership" / "progression.yaml").read_text("utf-8"))
ROUTES = routes_from(DATA)
RPL = DATA["prior_learning"]


def _qual(name: str):  # type: ignore[no-untyped-def]
    content = yaml.safe_load((ROOT / "catalogue" / "library" / f"{name}.yaml").read_text("utf-8"))
    return catalogue_qualification_from(content, RPL)


CG4 = _qual("cg-4430-04")
ED3 = _qual("edexcel-l3-nvq-cs")
CATALOGUE = (CG4, ED3)


def ed(number: str) -> AchievedUnit:
    unit = next(u for u in ED3.units if u.number == number)
    return AchievedUnit(ED3.code, unit.number, unit.title, customer_service=True)


def test_routes_read_from_both_sources() -> None:
    assert [r.id for r in ROUTES] == [
        "edexcel-l1",
        "edexcel-l2",
        "edexcel-l3",
        "edexcel-l4",
        "cg-4430-04",
    ]
    assert CG4.rpl_allowed and not ED3.rpl_allowed


def test_after_edexcel_level_3_the_level_4_customer_service_nvq_is_4430_04() -> None:
    got = progression(ED3, routes=ROUTES, catalogue=CATALOGUE, scheme=SCHEME)
    assert got.employment == (
        "Within their own employment as team leader, manager or customer service co-ordinator",
    )
    assert len(got.steps) == 8
    [step] = got.in_catalogue
    assert step.qualification is CG4
    assert step.target.title == "Edexcel Level 4 NVQ in Customer Service"
    assert any(
        "Assay's catalogue holds Level 4 NVQ Diploma in Customer Service" in r for r in step.reasons
    )
    assert step.grade_on_completion == "Management"
    outside = [s.target.title for s in got.steps if s.qualification is None]
    assert "Edexcel Level 4 NVQ in Management" in outside


def test_shared_titles_count_again_through_rpl() -> None:
    done = [ed("7"), ed("8"), ed("18"), ed("19"), ed("40"), ed("34")]
    step = progression(
        ED3, routes=ROUTES, catalogue=CATALOGUE, achieved_units=done, prior_learning=RPL
    ).in_catalogue[0]
    pairs = [(c.unit.number, c.target_unit.number, c.basis) for c in step.carried]
    # 18 = 304 and 34 = 312 share titles; 19 ("services or products") and 40 ("... in customer
    # service") are worded differently from 305 and 314, and 7, 8 have no Level 4 twin.
    assert pairs == [
        ("18", "304", "recognition of prior learning"),
        ("34", "312", "recognition of prior learning"),
    ]
    assert "handbook 4.4" in step.carried[0].reason
    # Where no source says prior learning is recognised, a shared title carries nothing.
    bare = progression(ED3, routes=ROUTES, catalogue=CATALOGUE, achieved_units=done)
    assert bare.in_catalogue[0].carried == ()


def test_same_code_is_credit_transfer() -> None:
    unit = AchievedUnit("4543-04", "9", "Old title", code="4430-304", customer_service=True)
    step = progression(ED3, routes=ROUTES, catalogue=CATALOGUE, achieved_units=[unit]).in_catalogue[
        0
    ]
    assert [(c.target_unit.number, c.basis) for c in step.carried] == [("304", "credit transfer")]


def test_after_4430_04_the_handbook_names_nothing_in_the_catalogue() -> None:
    got = progression(CG4, routes=ROUTES, catalogue=CATALOGUE, scheme=SCHEME)
    assert got.employment == ("Employment",)
    assert [s.qualification for s in got.steps] == [None, None]
    assert got.steps[0].target.title.startswith("Institute of Leadership and Management")


def test_already_achieved_target_is_marked_and_carries_nothing() -> None:
    held = AchievedQualification(CG4.title, 4, keys=("cg-4430-04",), type="NVQ")
    step = progression(
        ED3,
        routes=ROUTES,
        catalogue=CATALOGUE,
        achieved=[held],
        achieved_units=[ed("18")],
        scheme=SCHEME,
    ).in_catalogue[0]
    assert step.already_achieved and step.carried == () and step.grade_on_completion is None


@FAST
@given(st.lists(st.sampled_from([u.number for u in ED3.units]), unique=True))
def test_each_unit_carried_at_most_once_to_distinct_target_units(numbers) -> None:  # type: ignore[no-untyped-def]
    step = progression(
        ED3,
        routes=ROUTES,
        catalogue=CATALOGUE,
        achieved_units=[ed(n) for n in numbers],
        prior_learning=RPL,
    ).in_catalogue[0]
    targets = [c.target_unit.number for c in step.carried]
    assert len(targets) == len(set(targets))
    assert {c.unit.number for c in step.carried} <= set(numbers)
    assert all(c.unit.title.casefold() == c.target_unit.title.casefold() for c in step.carried)
