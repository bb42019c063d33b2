"""``assay eqa``: a visit, the visit list, and sanctions applied, listed and lifted; refusals
exit 2 with one line and change nothing."""

from __future__ import annotations

import json

import pytest

from assay.eqa.models import Sanction, Visit
from assay.errors import RegistrationRefused
from assay.registrations.services import registration_create
from tests.cli.helpers import run
from tests.world import World, adult

pytestmark = pytest.mark.django_db


def test_visit_and_list(world: World) -> None:
    code, out, err = run(
        "eqa", "visit", "0042", "--on", "20/02/2013", "--mode", "on_site", "--status", "done",
        "--findings", "Sound decisions", "--risk", "medium", "--risk-reasons", "Thin sampling",
        "--point", "Sample 401 again|linda|2013-04-01", "--as", "eve",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("visit ")
    code, out, _ = run("eqa", "visits", "0042", "--as", "carol", "--json")
    (row,) = json.loads(out)
    assert row["risk"] == "medium" and row["action_points"][0]["owner"] == "linda"


def test_only_the_allocated_ev_records(world: World) -> None:
    for name, message in [
        ("carol", "not allowed: only an external verifier allocated"),
        ("evan", "no centre"),
    ]:
        code, out, err = run(
            "eqa", "visit", "0042", "--on", "2013-02-20", "--mode", "remote", "--as", name
        )
        assert (code, out) == (2, "") and message in err
    assert Visit.objects.count() == 0


def test_sanction_apply_list_lift_and_its_effect(world: World) -> None:
    apply = ["eqa", "sanction", "apply", "0042", "--level", "registrations_suspended"]
    apply += ["--reason", "Records missing", "--from", "2013-02-01", "--as", "eve"]
    code, out, err = run(*apply)  # no --yes and no answer: not confirmed
    assert code != 0 and Sanction.objects.count() == 0
    code, out, err = run(*apply, "--yes")
    assert code == 0, err
    with pytest.raises(RegistrationRefused, match="Records missing"):
        registration_create(
            by=world.user("carol"),
            centre=world.north,
            qualification_key="4430-04",
            candidate_input=adult("Nia"),
        )
    code, out, _ = run("eqa", "sanction", "list", "0042", "--as", "linda")
    assert "registrations_suspended" in out and "in force" in out
    pk = Sanction.objects.get().pk
    bad = run(
        "eqa",
        "sanction",
        "lift",
        "0042",
        str(pk),
        "--on",
        "2013-02-20",
        "--reason",
        " ",
        "--yes",
        "--as",
        "eve",
    )
    assert bad[0] == 2 and "not a reason" in bad[2]
    code, out, err = run(
        "eqa",
        "sanction",
        "lift",
        "0042",
        str(pk),
        "--on",
        "2013-02-20",
        "--reason",
        "Found",
        "--yes",
        "--as",
        "eve",
    )
    assert code == 0, err
    assert registration_create(
        by=world.user("carol"),
        centre=world.north,
        qualification_key="4430-04",
        candidate_input=adult("Nia"),
    ).pk


def test_bad_sanction_input_exits_2(world: World) -> None:
    code, out, err = run(
        "eqa", "sanction", "apply", "0042", "--level", "action_plan", "--reason", "\u200b",
        "--from", "2613-01-01", "--yes", "--as", "eve",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "not a reason" in err and "more than two years ahead" in err
    assert Sanction.objects.count() == 0


def test_findings_of_a_planned_visit(world: World) -> None:
    from tests.eqa.helpers import planned

    v = planned(world)
    args = ["eqa", "findings", "0042", str(v.pk), "--findings", "Sound", "--risk", "high"]
    code, out, err = run(*args, "--risk-reasons", " ", "--as", "eve")
    assert (code, out) == (2, "") and "not a reason" in err
    code, out, err = run(
        *args, "--risk-reasons", "Late records", "--point", "Fix|carol|2013-04-01", "--as", "eve"
    )
    assert code == 0, err
    v.refresh_from_db()
    assert (v.status, v.risk, v.action_points.get().owner.username) == ("done", "high", "carol")
