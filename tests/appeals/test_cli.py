"""``assay appeal``: the walk through the CLI, its refusals (exit 2, nothing changed)."""

from __future__ import annotations

import pytest

from assay.appeals.models import Appeal
from tests.appeals.test_pages import judgement
from tests.cli.helpers import run
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


def test_lodge_decide_escalate_withdraw_list(world: World) -> None:
    decision = judgement(world)
    reg = str(world.dan.pk)
    code, out, err = run(
        "appeal", "lodge", "--registration", reg, "--decision", str(decision.pk),
        "--grounds", "I did show it", "--as", "alice",
    )  # fmt: skip
    assert code == 2 and "not allowed" in err and not Appeal.objects.exists()
    code, out, err = run(
        "appeal", "lodge", "--registration", reg, "--decision", str(decision.pk),
        "--grounds", "I did show it", "--as", "dan",
    )  # fmt: skip
    appeal = Appeal.objects.get()
    assert (code, out) == (
        0,
        f"appeal {appeal.pk}: unit 401, Assessor review, open due 15/03/2013\n",
    )
    pk = str(appeal.pk)
    code, out, err = run(
        "appeal", "decide", "--appeal", pk, "--dismissed", "--reasons", " ", "--as", "alice"
    )
    assert code == 2 and "blank or invisible characters" in err
    code, out, err = run(
        "appeal", "decide", "--appeal", pk, "--dismissed", "--reasons", "Not shown", "--as", "ian"
    )
    assert code == 2 and "only the unit's assessor" in err
    code, out, _ = run(
        "appeal", "decide", "--appeal", pk, "--dismissed", "--reasons", "Not shown",
        "--as", "alice",
    )  # fmt: skip
    assert code == 0 and "dismissed" in out
    code, out, _ = run("appeal", "escalate", "--appeal", pk, "--reason", "Ask Ian", "--as", "dan")
    assert code == 0 and "IQA review, open" in out
    code, out, _ = run("appeal", "list", "--centre", "0042", "--as", "eve")
    assert out == f"appeal {pk}: unit 401, IQA review, open due {appeal_due(pk)}\n"
    code, out, err = run("appeal", "list", "--centre", "0042", "--as", "alice")
    assert code == 2 and "not allowed" in err
    code, out, _ = run("appeal", "withdraw", "--appeal", pk, "--reason", "Settled", "--as", "dan")
    assert code == 0 and "withdrawn" in out


def appeal_due(pk: str) -> str:
    due = Appeal.objects.get(pk=int(pk)).due_on
    assert due is not None
    return f"{due:%d/%m/%Y}"
