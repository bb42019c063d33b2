"""`assay register status|extend` and the held-qualification rule in `assay register add`."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt

import pytest

from assay.registrations.models import Extension, Registration, StatusChange
from tests.cli.helpers import ALICE, assert_fails, run
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_status_needs_a_reason_and_confirm(world: World) -> None:
    pk = str(world.registration.pk)
    code, _, err = run("register", "status", pk, "in_progress", "--as", "lead_iqa")
    assert code == 2 and "Missing option '--reason'" in err
    assert_fails(
        ["register", "status", pk, "in_progress", "--reason", "started", "--as", "lead_iqa"],
        "invalid: confirm: confirm the change: a final status cannot be undone",
    )
    assert_fails(
        [
            "register",
            "status",
            pk,
            "in_progress",
            "--reason",
            "\u200b",
            "--confirm",
            "--as",
            "lead_iqa",
        ],
        "invalid: reason: give the reason for the change",
    )
    code, out, _ = run(
        "register",
        "status",
        pk,
        "in_progress",
        "--reason",
        "started",
        "--confirm",
        "--as",
        "lead_iqa",
    )
    assert code == 0 and out.startswith(f"registration {pk}: registered → in_progress")
    code, _, err = run(
        "register", "status", pk, "completed", "--reason", "done", "--confirm", "--as", "lead_iqa"
    )
    assert code == 2 and "rules of combination of 4430-04 are not met" in err
    change = StatusChange.objects.filter(registration=world.registration).last()
    assert change is not None
    assert (change.to_status, change.reason, change.by.username) == (
        "in_progress",
        "started",
        "lead_iqa",
    )


def test_status_denials(world: World) -> None:
    pk = str(world.registration.pk)
    args = ["register", "status", pk, "withdrawn", "--reason", "moved", "--confirm", "--as"]
    assert_fails(
        [*args, "tutor"],
        "not allowed: only a centre administrator or lead IQA can change a registration's status",
    )
    assert_fails([*args, "admin_other_centre"], f"no registration {pk}")
    assert Registration.objects.get(pk=pk).status == "registered"


def test_extend(world: World) -> None:
    pk = str(world.registration.pk)
    end = world.registration.end_date
    later = end.replace(year=end.year + 1)
    code, out, _ = run(
        "register",
        "extend",
        pk,
        "--to",
        later.isoformat(),
        "--reason",
        "illness",
        "--as",
        "centre_admin",
    )
    assert code == 0 and out.strip() == f"registration {pk}: period extended from {end} to {later}"
    assert Extension.objects.get().by.username == "centre_admin"
    assert_fails(
        ["register", "extend", pk, "--to", "2017-08-01", "--reason", "x", "--as", "centre_admin"],
        "invalid: new_end: The new end date 01/08/2017 is after the last certification date "
        "31/07/2017: nothing certifies later.",
    )
    assert_fails(
        ["register", "extend", pk, "--to", "2016-12-01", "--reason", "x", "--as", "lead_iqa"],
        "not allowed: only a centre administrator can extend a registration",
    )
    assert Registration.objects.get(pk=pk).end_date == later
    assert dt.date(2016, 12, 1) != later


@pytest.mark.parametrize("held", ["cg-4430-04", " 4430 04", "4543-04"])
def test_add_refuses_a_held_variant(world: World, held: str) -> None:
    before = Registration.objects.count()
    code, out, err = run("register", "add", *ALICE, "--held", held, "--as", "centre_admin")
    assert code == 2 and "[already-holds]" in err
    code, out, _ = run("register", "check", *ALICE, "--held", held)
    assert code == 1 and "already-holds" in out
    assert Registration.objects.count() == before
