"""`assay centre competence|cpd|site-add` and `assay register expire`: acting as a named user,
one-line errors, nothing changed on a refusal."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from assay.centres.models import Competence, CpdEntry, Site
from assay.registrations.models import Registration, StatusChange
from tests.cli.helpers import assert_fails, run
from tests.fixtures_centre import World, world  # noqa: F401

pytestmark = pytest.mark.django_db

ADD_A1 = ["centre", "competence", "add", "N1001", "assessor_other", "--role", "assessor"]


def test_competence_add_prints_the_deadline(world: World) -> None:
    code, out, err = run(*ADD_A1, "--unit", "A1", "--started", "01/06/2011", "--as", "centre_admin")
    assert code == 0, err
    row = Competence.objects.get(user=world["assessor_other"], av_unit="A1")
    assert out.startswith(f"assessor_other A1 (assessor), record {row.pk}: Assessor started")
    assert "by 01/12/2012" in out and "overdue" in out


def test_competence_add_refusals_change_nothing(world: World) -> None:
    before = Competence.objects.count()
    assert_fails(
        [*ADD_A1, "--unit", "A1", "--started", "2012-06-01", "--achieved", "2012-05-01", "--as",
         "centre_admin"],
        "invalid: achieved_on: the unit cannot be achieved (01/05/2012) before its holder "
        "started working with the standards (01/06/2012)",
    )  # fmt: skip
    assert_fails(
        [*ADD_A1, "--unit", "A1", "--started", "2012-06-01", "--as", "tutor"],
        "not allowed: only a centre administrator can record A/V units",
    )
    assert_fails(
        [*ADD_A1, "--unit", "A1", "--started", "2012-06-01", "--as", "admin_other_centre"],
        "no centre 'N1001'",
    )
    assert_fails(
        ["centre", "competence", "add", "N1001", "candidate_self", "--role", "assessor",
         "--unit", "A1", "--started", "2012-06-01", "--as", "centre_admin"],
        f"no person {world['candidate_self'].pk} at centre N1001",
    )  # fmt: skip
    assert_fails(
        ["centre", "competence", "add", "N1001", "ev_assigned", "--role", "external_verifier",
         "--unit", "V2", "--started", "2012-06-01", "--as", "centre_admin"],
        "not allowed: only the awarding body records an external verifier's A/V units",
    )  # fmt: skip
    assert Competence.objects.count() == before


def test_competence_achieved(world: World) -> None:
    command = ["centre", "competence", "achieved", "N1001", "iv_assigned", "--unit", "v1"]
    assert_fails(
        [*command, "--on", "2013-03-02", "--as", "centre_admin"],
        "invalid: achieved_on: the achievement date 02/03/2013 is after today (01/03/2013)",
    )
    assert_fails(
        [*command, "--on", "2013-02-01", "--as", "lead_iqa"],
        "not allowed: only a centre administrator where they work can mark A/V units achieved",
    )
    assert world.extra["competence"].achieved_on is None
    code, out, _ = run(*command, "--on", "2013-02-01", "--as", "centre_admin")
    assert (code, out) == (0, "iv_assigned V1 (internal_verifier): achieved 2013-02-01\n")
    assert_fails(
        [*command, "--on", "2013-02-02", "--as", "centre_admin"],
        "invalid: achieved_on: V1 was achieved on 01/02/2013",
    )
    assert_fails(
        ["centre", "competence", "achieved", "N1001", "tutor", "--unit", "A1", "--on",
         "2013-02-01", "--as", "centre_admin"],
        "tutor has no A1 record",
    )  # fmt: skip


def test_cpd(world: World) -> None:
    command = ["centre", "cpd", "N1001", "iv_assigned", "--on", "2013-02-20", "--activity", "Read"]
    code, out, _ = run(*command, "--hours", "1.5", "--as", "iv_assigned")
    entry = CpdEntry.objects.get(user=world["iv_assigned"])
    assert code == 0 and out == f"iv_assigned: CPD 1.5 h on 2013-02-20, entry {entry.pk}\n"
    assert entry.hours == Decimal("1.5")
    assert_fails(
        [*command, "--hours", "-1", "--as", "iv_assigned"],
        "invalid: hours: give the hours as a number greater than 0",
    )
    assert_fails(
        [*command, "--hours", "lots", "--as", "iv_assigned"], "--hours: 'lots' is not a number"
    )
    assert_fails(
        [*command, "--hours", "1", "--as", "iv_other"],
        "not allowed: only the person themselves or a centre administrator where they work can "
        "log CPD",
    )
    assert CpdEntry.objects.count() == 1


def test_site_add_shows_on_the_dashboard(world: World) -> None:
    code, out, _ = run(
        "centre", "site-add", "N1001", "Quayside", "--address", "1 Quay St", "--as", "centre_admin"
    )
    site = Site.objects.get(centre=world.north)
    assert code == 0 and out == f"site {site.pk}: Quayside at N1001\n"
    assert_fails(
        ["centre", "site-add", "N1001", "quayside", "--as", "centre_admin"],
        "invalid: name: North Training already has a site called 'quayside'",
    )
    assert_fails(
        ["centre", "site-add", "N1001", "Elsewhere", "--as", "tutor"],
        "not allowed: only a centre administrator can add sites",
    )
    code, out, _ = run("centre", "show", "N1001")
    assert "Sites:\n  Quayside, 1 Quay St\n" in out
    data = json.loads(run("centre", "show", "N1001", "--json")[1])
    assert data["sites"] == [{"id": site.pk, "name": "Quayside", "address": "1 Quay St"}]


def test_register_expire_dry_run_then_for_real(world: World) -> None:
    Registration.objects.filter(pk=world.registration.pk).update(end_date=dt.date(2013, 2, 28))
    Registration.objects.filter(pk=world.south_registration.pk).update(end_date=dt.date(2013, 1, 1))
    data = json.loads(run("centre", "show", "N1001", "--json", "--as", "centre_admin")[1])
    assert data["due_to_expire"] == 1
    code, out, _ = run("centre", "show", "N1001", "--as", "centre_admin")
    assert "Registrations due to expire: 1 (assay register expire)" in out
    code, out, _ = run("register", "expire", "--dry-run", "--as", "centre_admin")
    line = (
        f"registration {world.registration.pk}: Alice Archer on 4430-04 at N1001, ended 2013-02-28"
    )
    assert (code, out) == (0, f"{line}\n1 registration(s) due to expire; nothing was changed\n")
    assert not StatusChange.objects.filter(to_status="expired").exists()
    code, out, _ = run("register", "expire", "--as", "centre_admin")
    assert (code, out) == (0, f"{line}\nexpired 1 registration(s)\n")
    change = StatusChange.objects.get(to_status="expired")
    assert change.reason == "registration period ended on 28/02/2013"
    assert change.by == world["centre_admin"]
    code, out, _ = run("register", "expire", "--as", "awarding_body")
    assert out.endswith("expired 1 registration(s)\n") and "S2002" in out
    assert run("register", "expire", "--as", "awarding_body")[1] == "expired 0 registration(s)\n"


def test_register_expire_needs_an_administrator(world: World) -> None:
    code, _, err = run("register", "expire")
    assert code == 2 and "--as" in err
    assert_fails(
        ["register", "expire", "--as", "lead_iqa"],
        "not allowed: only a centre administrator or the awarding body can expire registrations",
    )
