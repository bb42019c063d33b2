"""``assay claim``: the path from ready to certificate and its PDF, a refusal with every
reason, and the awarding body's revocation."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.claims.models import Certificate, Claim
from tests.cli.helpers import run
from tests.eqa.helpers import apply
from tests.world import World

from .helpers import agreed, awarding_body

pytestmark = pytest.mark.django_db


def test_ready_create_submit_approve_pdf_revoke(world: World, tmp_path: Path) -> None:
    awarding_body(world)
    agreed(world)
    code, out, err = run("claim", "ready", "0042", "--as", "carol")
    assert code == 0, err
    assert "403" in out
    code, out, err = run("claim", "create", str(world.dan.pk), "--unit", "403", "--as", "carol")
    assert code == 0, err
    pk = Claim.objects.get().pk
    code, out, err = run("claim", "submit", "0042", str(pk), "--as", "carol")
    assert code == 0 and out.startswith("batch "), err
    code, out, err = run("claim", "queue", "--as", "abby")
    assert str(pk) in out
    code, out, err = run("claim", "approve", str(pk), "--as", "abby")  # not confirmed
    assert code != 0 and Certificate.objects.count() == 0
    code, out, err = run("claim", "approve", str(pk), "--yes", "--as", "abby")
    assert code == 0, err
    number = Certificate.objects.get().number
    assert number in out
    target = tmp_path / "c.pdf"
    code, out, err = run("claim", "pdf", number, "--out", str(target), "--as", "dan")
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    code, out, err = run("claim", "pdf", number, "--out", str(target), "--as", "dora")
    assert code == 2 and "no certificate" in err
    revoke = ["claim", "revoke", number, "--kind", "issued_in_error", "--reason", "Wrong unit"]
    code, out, err = run(*revoke, "--yes", "--as", "carol")
    assert code == 2 and "not allowed" in err
    code, out, err = run(*revoke, "--yes", "--as", "abby")
    assert code == 0, err
    assert Certificate.objects.get().revoked_kind == "issued_in_error"


def test_a_refused_claim_names_every_reason(world: World) -> None:
    agreed(world)
    apply(world, level="registrations_suspended")
    code, out, err = run(
        "claim", "create", str(world.dan.pk), "--unit", "401", "--unit", "403", "--as", "carol"
    )
    assert (code, out) == (2, "")
    assert "claim refused: [unit-not-achieved]" in err and "[claims-suspended]" in err
    assert Claim.objects.count() == 0
