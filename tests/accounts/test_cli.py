"""`assay user invite|list|resend|cancel|deactivate|reactivate` and `assay centre revoke`:
the same services, one-line refusals, nothing changed on a refusal."""

from __future__ import annotations

import json

import pytest

from assay.accounts.invitations import invitation_accept
from assay.accounts.models import AccountEvent, Invitation
from assay.centres.models import Membership
from tests.cli.helpers import assert_fails, run
from tests.world import World

PASSWORD = "a-long-Harbour-pass-42"


def test_invite_list_resend_cancel(world: World) -> None:
    code, out, err = run(
        "user", "invite", "0042", "zoe@example.org", "--role", "assessor", "--as", "carol"
    )
    assert code == 0, err
    assert "/invitation/" in out and "sent to zoe@example.org as assessor" in err
    row = Invitation.objects.get()
    code, listed, _ = run("user", "list", "0042", "--json", "--as", "carol")
    data = json.loads(listed)
    assert [i["email"] for i in data["invitations"]] == ["zoe@example.org"]
    code, again, _ = run("user", "resend", "0042", str(row.pk), "--as", "carol")
    assert code == 0 and again != out
    code, out2, _ = run("user", "cancel", "0042", str(row.pk), "--reason", "typo", "--as", "carol")
    assert code == 0 and "cancelled" in out2
    token = again.strip().rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(Exception, match="cancelled"):
        invitation_accept(token=token, password=PASSWORD)


def test_refusals_are_one_line_and_change_nothing(world: World) -> None:
    assert_fails(
        ["user", "invite", "0042", "zoe@example.org", "--role", "assessor", "--as", "alice"],
        "not allowed: only a centre administrator can manage the centre's accounts",
    )
    assert_fails(
        ["user", "invite", "0042", "zoe@example.org", "--role", "assessor", "--as", "sue"],
        "no centre '0042'",
    )
    assert_fails(
        ["user", "invite", "0042", "zoe@example.org", "--role", "centre_admin", "--as", "carol"],
        "not allowed: centre administrators and external verifiers are appointed by the "
        "awarding body",
    )
    assert_fails(
        ["user", "deactivate", "0042", "carol", "--reason", "x", "--as", "carol"],
        "not allowed: you cannot deactivate your own account or revoke your own role",
    )
    assert not Invitation.objects.exists() and not AccountEvent.objects.exists()


def test_deactivate_reactivate_and_revoke(world: World) -> None:
    code, out, err = run("user", "deactivate", "0042", "alice", "--reason", "Left", "--as", "carol")
    assert (code, out) == (0, "alice: deactivated\n"), err
    code, out, _ = run("user", "list", "0042", "--as", "carol")
    assert "DEACTIVATED" in out
    code, out, err = run("user", "reactivate", "0042", "alice", "--reason", "Back", "--as", "carol")
    assert (code, out) == (0, "alice: active\n"), err
    code, out, err = run(
        "centre", "revoke", "0042", "arthur", "--role", "assessor", "--reason", "Deadline",
        "--yes", "--as", "carol",
    )  # fmt: skip
    assert code == 0, err
    assert not Membership.objects.get(user=world.user("arthur")).active
    assert_fails(
        ["centre", "revoke", "0042", "arthur", "--role", "assessor", "--reason", "x", "--yes",
         "--as", "carol"],
        "arthur holds no active assessor role at 0042",
    )  # fmt: skip


def test_help_texts_say_what_each_command_does() -> None:
    for command in ["invite", "list", "resend", "cancel", "deactivate", "reactivate"]:
        code, out, _ = run("user", command, "--help")
        assert code == 0 and "Usage:" in out and "--as" in out + " --as"
    code, out, _ = run("centre", "revoke", "--help")
    assert "last administrator" in out
