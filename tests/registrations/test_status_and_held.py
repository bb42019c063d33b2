"""Status changes need a reason, a confirmation and, for *completed*, the rules of combination
met by signed-off or credited units; extensions are recorded acts; the held-qualification rule
matches the code, the id, their variants and the declared predecessor (also in bulk import)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import transaction

from assay.catalogue.selectors import qualification_get
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.models import DecisionKind
from assay.portfolios.records import decision_append, registration_lock
from assay.progress.completion import registration_extend, registration_transition
from assay.registrations.bulk import bulk_check, bulk_import, read_rows
from assay.registrations.models import Extension, Registration, RplClaim, StatusChange
from assay.registrations.services import CandidateInput, registration_check
from tests.fixtures_centre import World, world  # noqa: F401
from tests.registrations.helpers import csv_bytes

pytestmark = pytest.mark.django_db

CG_COMPLETE = ["401", "402", "403", "404", "405", "406", "410", "416"]
INVISIBLE = ["", "   ", "\u200b", "\u200b\u200c\u200d\ufeff", "\u00a0\t\n"]


def history(registration: Registration) -> list[tuple[str, str, str]]:
    rows = StatusChange.objects.filter(registration=registration)
    return list(rows.values_list("to_status", "reason", "by__username"))


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_reason_that_does_not_show_is_refused(world: World, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        registration_transition(
            by=world["centre_admin"],
            registration=world.registration,
            to="withdrawn",
            reason=reason,
            confirmed=True,
        )
    assert refused.value.errors == {"reason": "give the reason for the change"}
    assert history(world.registration) == [("registered", "", "centre_admin")]


def test_an_unconfirmed_change_is_refused_with_every_missing_part(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        registration_transition(
            by=world["lead_iqa"], registration=world.registration, to="", reason="", confirmed=False
        )
    assert set(refused.value.errors) == {"status", "reason", "confirm"}
    world.registration.refresh_from_db()
    assert world.registration.status == "registered"


@pytest.mark.parametrize(
    "role", ["tutor", "assessor_assigned", "iv_assigned", "candidate_self", "ev_assigned"]
)
def test_only_an_administrator_or_lead_iqa_changes_status(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        registration_transition(
            by=world[role],
            registration=world.registration,
            to="withdrawn",
            reason="moved away",
            confirmed=True,
        )


def test_another_centres_administrator_cannot_change_status(world: World) -> None:
    with pytest.raises(NotAllowed):
        registration_transition(
            by=world["admin_other_centre"],
            registration=world.registration,
            to="withdrawn",
            reason="moved away",
            confirmed=True,
        )
    assert len(history(world.registration)) == 1


def test_completed_needs_the_rules_met_by_signed_off_or_credited_units(world: World) -> None:
    reg = world.registration
    move = partial(registration_transition, by=world["lead_iqa"], registration=reg, confirmed=True)
    move(to="in_progress", reason="induction done")
    with pytest.raises(InvalidInput) as refused:
        move(to="completed", reason="all done")
    message = refused.value.errors["status"]
    assert "No unit of 4430-04 is signed off or credited yet." in message
    assert "missing mandatory units 401 and 402" in message
    # Six units credited, 401 and 402 signed off (a decision in the chain): the rules are met.
    RplClaim.objects.bulk_create(
        RplClaim(registration=reg, unit_number=u, evidence="certificate", accepted=True)
        for u in CG_COMPLETE[2:]
    )
    for unit in ["401", "402"]:  # the sign-off's coverage rule is tested in portfolios
        with transaction.atomic():
            decision_append(
                registration=reg,
                last=registration_lock(reg),
                by=world["assessor_assigned"],
                kind=DecisionKind.UNIT_SIGNED_OFF,
                unit=unit,
                payload={},
            )
    move(to="completed", reason="every rule met")
    assert history(reg)[-1] == ("completed", "every rule met", "lead_iqa")


def test_an_undecided_or_rejected_rpl_claim_counts_for_nothing(world: World) -> None:
    reg = world.registration
    move = partial(registration_transition, by=world["lead_iqa"], registration=reg, confirmed=True)
    move(to="in_progress", reason="induction done")
    RplClaim.objects.bulk_create(
        RplClaim(registration=reg, unit_number=u, evidence="c", accepted=False) for u in CG_COMPLETE
    )
    with pytest.raises(InvalidInput, match="not met"):
        move(to="completed", reason="all done")


# --- extension ------------------------------------------------------------------------------


def test_an_extension_is_kept_and_moves_the_end_date(world: World) -> None:
    reg = world.registration
    old_end = reg.end_date
    extension = registration_extend(
        by=world["centre_admin"],
        registration=reg,
        new_end=old_end.replace(month=12),
        reason=" ill ",
    )
    assert (extension.previous_end, extension.reason) == (old_end, "ill")
    reg.refresh_from_db()
    assert reg.end_date == old_end.replace(month=12)
    assert reg.end_date_explanation.startswith("Extended from ")


@pytest.mark.parametrize(
    ("new_end", "reason", "field", "message"),
    [
        (dt.date(2014, 1, 1), "ill", "new_end", "is not after the current end date"),
        (dt.date(2017, 8, 1), "ill", "new_end", "after the last certification date 31/07/2017"),
        (dt.date(2016, 1, 1), "\u200b ", "reason", "give the reason for the extension"),
    ],
)
def test_a_bad_extension_is_refused_and_changes_nothing(
    world: World, new_end: dt.date, reason: str, field: str, message: str
) -> None:
    reg = world.registration
    with pytest.raises(InvalidInput) as refused:
        registration_extend(
            by=world["centre_admin"], registration=reg, new_end=new_end, reason=reason
        )
    assert message in refused.value.errors[field]
    assert not Extension.objects.exists()


def test_a_final_registration_cannot_be_extended(world: World) -> None:
    reg = world.registration
    Registration.objects.filter(pk=reg.pk).update(status="withdrawn")
    reg.refresh_from_db()
    with pytest.raises(InvalidInput, match="withdrawn, which is final"):
        registration_extend(
            by=world["centre_admin"], registration=reg, new_end=dt.date(2016, 1, 1), reason="x"
        )


@pytest.mark.parametrize("role", ["lead_iqa", "tutor", "assessor_assigned", "admin_other_centre"])
def test_only_an_administrator_of_the_centre_extends(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        registration_extend(
            by=world[role],
            registration=world.registration,
            new_end=dt.date(2016, 1, 1),
            reason="ill",
        )


# --- already holds ------------------------------------------------------------------------


HELD = [
    "4430-04",
    " 4430-04 ",
    "4430 04",
    "4430–04",
    "cg-4430-04",
    "CG-4430-04",
    "4543-04",
    "4543 04",
]


@pytest.mark.parametrize("held", HELD)
def test_the_held_rule_matches_code_id_variants_and_the_predecessor(
    world: World, held: str
) -> None:
    decision = registration_check(
        centre=world.north,
        qualification=qualification_get("4430-04"),
        candidate=CandidateInput("Dan", "Dixon", dt.date(1975, 2, 3), held=(held,)),
    )
    assert [r.code for r in decision.reasons] == ["already-holds"]
    if "4543" in held:
        assert "predecessor of 4430-04" in decision.reasons[0].message


def test_other_codes_are_not_matched(world: World) -> None:
    for held in ["4430-03", "44300-4x", "4543-03", "edexcel-l3-nvq-cs"]:
        decision = registration_check(
            centre=world.north,
            qualification=qualification_get("4430-04"),
            candidate=CandidateInput("Dan", "Dixon", dt.date(1975, 2, 3), held=(held,)),
        )
        assert decision.allowed, held


def test_bulk_import_refuses_every_held_variant(world: World) -> None:
    header = [
        "first_name",
        "last_name",
        "date_of_birth",
        "job_kind",
        "qualification",
        "held_qualifications",
    ]
    rows = [
        ["Ann", "Ash", "1975-02-03", "paid", "4430-04", "cg-4430-04"],
        ["Ben", "Birch", "1975-02-03", "paid", "4430-04", " 4430 04 "],
        ["Cat", "Cole", "1975-02-03", "paid", "4430-04", "X-1; 4543-04"],
        ["Dee", "Dale", "1975-02-03", "paid", "4430-04", "4430-03"],
    ]
    parsed = read_rows(csv_bytes(rows, header), name="rows.csv")
    results = bulk_check(by=world["centre_admin"], centre=world.north, rows=parsed)
    assert [any("already-holds" in e for e in r.errors) for r in results] == [
        True,
        True,
        True,
        False,
    ]
    before = Registration.objects.count()
    with pytest.raises(InvalidInput):
        bulk_import(by=world["centre_admin"], centre=world.north, rows=parsed)
    assert Registration.objects.count() == before
