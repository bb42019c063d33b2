"""An attacker with write access to the database, against the portfolio decision chains: each
edit from issue 10 (and the ones the earlier chain already caught) is made with a raw update and
``records verify`` must name it. Runs on SQLite and PostgreSQL (the ORM does the edits)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import settings

from assay.cli.main import main
from assay.engines.records import chain
from assay.portfolios.assessment import criterion_judge, span_record, unit_reopen, unit_sign_off
from assay.portfolios.models import CriterionMapping, Decision, EvidenceFile, EvidenceItem
from assay.portfolios.records import chain_name, unit_signed_off
from assay.portfolios.services import evidence_file_attach
from assay.records.models import ChainRecord, Checkpoint
from assay.records.services import checkpoint_export_lines, checkpoint_write, records_verify
from assay.registrations.models import Registration
from tests.portfolios.helpers import CRITERIA_403, TEXT, ready_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """Unit 403 evidenced (a file attached), judged, signed off and reopened; every head
    anchored in the test's own anchor log as a committed server would have written it."""
    w = world
    reg = w["reg"]
    with django_capture_on_commit_callbacks(execute=True):
        a, _ = ready_portfolio(w)
        for number in CRITERIA_403:
            criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
        span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=42)
        unit_sign_off(by=w["alice"], registration=reg, unit="403")
    w["item"] = a
    return w


def problems(**kwargs: Any) -> list[str]:
    return [f"{p.chain}: {p.message}" for p in records_verify(**kwargs).problems]


def last_seq(reg: Registration) -> int:
    return (
        Decision.objects.filter(registration=reg).order_by("-seq").values_list("seq", flat=True)[0]
    )


def test_a_clean_chain_verifies_with_every_head_anchored(assessed: dict[str, Any]) -> None:
    report = records_verify()
    assert report.ok, report.problems
    reg = assessed["reg"]
    enrolment = ChainRecord.objects.filter(chain=f"enrolment:{reg.pk}").count()
    # the decision chain (anchored here) and the enrolment chain (acts made by the fixture)
    assert report.chains == 2 and report.anchored_chains == 1
    assert report.records == last_seq(reg) + enrolment


def test_a_file_attached_before_confirmation_is_vouched_for(world: dict[str, Any]) -> None:
    """Confirmation snapshots the item's files: deleting the file row afterwards is named."""
    from tests.portfolios.helpers import add

    item = add(world)
    evidence_file_attach(by=world["dan"], item=item, upload=io.BytesIO(TEXT), original_name="a.txt")
    from assay.portfolios.assessment import mapping_decide
    from assay.portfolios.services import mapping_propose

    mapping = mapping_propose(by=world["dan"], item=item, unit="403", target="1.1")
    mapping_decide(by=world["alice"], mapping=mapping, confirm=True)
    assert records_verify().ok
    EvidenceFile.objects.filter(item=item).delete()
    assert any("file(s) confirmed in record 1 are gone" in p for p in problems())


def test_unit_number_edit_is_named(assessed: dict[str, Any]) -> None:
    reg = assessed["reg"]
    sign_off = Decision.objects.get(registration=reg, kind="unit_signed_off")
    Decision.objects.filter(pk=sign_off.pk).update(unit_number="401")
    assert unit_signed_off(reg, "401")  # what the app would now show ...
    assert problems() == [  # ... and what the check names
        f"registration:{reg.pk}: record {sign_off.seq}: its unit column is not the hashed unit"
    ]


def test_actor_edit_is_named(assessed: dict[str, Any]) -> None:
    reg = assessed["reg"]
    Decision.objects.filter(registration=reg, seq=3).update(actor_id=assessed["bob"].pk)
    assert problems() == [
        f"registration:{reg.pk}: record 3: its actor column is not the hashed actor"
    ]


def test_chain_moved_to_another_registration_is_named(assessed: dict[str, Any]) -> None:
    reg = assessed["reg"]
    other = Registration.objects.get(pk=reg.pk)
    other.pk = None
    other.candidate_id = reg.candidate_id
    other.save()
    Decision.objects.filter(registration=reg).update(registration=other)
    everything = problems()
    assert f"enrolment:{other.pk}: registration has no enrolment chain" in everything
    found = [p for p in everything if not p.startswith("enrolment:")]
    moved = f"registration:{other.pk}"
    assert f"{moved}: record 1: prev_hash is not the genesis hash of {moved}" in found[0]
    anchored = last_seq(other)
    assert (
        f"registration:{reg.pk}: the whole chain is missing (anchored with {anchored} records)"
        in found
    )


def test_deleted_newest_record_is_named_by_the_anchor(
    assessed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    reg = assessed["reg"]
    with django_capture_on_commit_callbacks(execute=True):
        unit_reopen(by=assessed["lena"], registration=reg, unit="403", reason="Sampling gap")
    n = last_seq(reg)
    Decision.objects.filter(registration=reg, seq=n).delete()
    assert unit_signed_off(reg, "403")  # locked again, as the attacker wanted
    assert problems() == [
        f"registration:{reg.pk}: record {n} missing (anchored with {n}, the database has {n - 1})"
    ]


def test_deleted_chain_is_named_by_the_anchor(assessed: dict[str, Any]) -> None:
    reg = assessed["reg"]
    n = last_seq(reg)
    Decision.objects.filter(registration=reg).delete()
    found = problems()
    assert f"registration:{reg.pk}: the whole chain is missing (anchored with {n} records)" in found


def test_rewritten_history_is_named(assessed: dict[str, Any]) -> None:
    """The attacker rewrites the newest record and recomputes its hash: the chain verifies,
    the anchor does not."""
    reg = assessed["reg"]
    row = Decision.objects.get(registration=reg, seq=last_seq(reg))
    payload = {**row.payload, "criteria": []}
    forged = chain.record_hash(row.seq, row.kind, payload, row.actor_name, row.at, row.prev_hash)
    Decision.objects.filter(pk=row.pk).update(payload=payload, hash=forged)
    assert problems() == [
        f"registration:{reg.pk}: record {row.seq} differs from its anchored hash "
        "(history rewritten)"
    ]


@pytest.mark.parametrize("status", ["proposed", "rejected"])
def test_confirmed_mapping_edited_is_named(assessed: dict[str, Any], status: str) -> None:
    mapping = CriterionMapping.objects.filter(status="confirmed").first()
    assert mapping is not None
    CriterionMapping.objects.filter(pk=mapping.pk).update(status=status)
    found = problems()
    assert len(found) == 1
    assert f"mapping {mapping.pk} (unit 403 {mapping.target}" in found[0]
    assert f"is {status}, but record" in found[0] and "made it confirmed" in found[0]


def test_mapping_confirmed_without_a_record_is_named(world: dict[str, Any]) -> None:
    from assay.portfolios.services import mapping_propose
    from tests.portfolios.helpers import add

    item = add(world)
    mapping = mapping_propose(by=world["dan"], item=item, unit="403", target="1.1")
    CriterionMapping.objects.filter(pk=mapping.pk).update(status="confirmed")
    assert problems() == [
        f"registration:{world['reg'].pk}: mapping {mapping.pk} (unit 403 1.1, evidence {item.pk}) "
        "is confirmed but no record decided it"
    ]


def test_mapping_decider_and_target_edits_are_named(assessed: dict[str, Any]) -> None:
    mapping = CriterionMapping.objects.filter(status="confirmed").first()
    assert mapping is not None
    CriterionMapping.objects.filter(pk=mapping.pk).update(decided_by=assessed["bob"])
    assert any("decided_by is not the account of record" in p for p in problems())
    CriterionMapping.objects.filter(pk=mapping.pk).update(
        decided_by=assessed["alice"], target="9.9"
    )
    assert any("is not the mapping record" in p for p in problems())


def test_confirmed_evidence_edited_is_named(assessed: dict[str, Any]) -> None:
    item = assessed["item"]
    EvidenceItem.objects.filter(pk=item.pk).update(started_on="2012-01-01")
    found = problems()
    assert found and all(f"evidence {item.pk} is not what record" in p for p in found)


def test_checkpoint_names_a_deleted_tail_without_the_log(
    assessed: dict[str, Any], tmp_path: Path
) -> None:
    """With the anchor log gone too, the checkpoint table still remembers the head."""
    reg = assessed["reg"]
    entry = checkpoint_write()
    assert Checkpoint.objects.count() == 1
    assert [h.chain for h in entry.heads] == [f"enrolment:{reg.pk}", f"registration:{reg.pk}"]
    settings.ASSAY_ANCHOR_LOG = tmp_path / "empty.log"
    n = last_seq(reg)
    Decision.objects.filter(registration=reg, seq=n).delete()
    assert problems() == [
        f"registration:{reg.pk}: record {n} missing (anchored with {n}, the database has {n - 1})"
    ]


def test_exported_checkpoint_names_what_the_database_lost(
    assessed: dict[str, Any], tmp_path: Path
) -> None:
    """The EV's exported copy: database and local log both wiped of the evidence."""
    reg = assessed["reg"]
    checkpoint_write()
    exported = tmp_path / "ev-copy.jsonl"
    exported.write_text("".join(checkpoint_export_lines()))
    settings.ASSAY_ANCHOR_LOG = tmp_path / "empty.log"
    Checkpoint.objects.all().delete()
    n = last_seq(reg)
    Decision.objects.filter(registration=reg).delete()
    CriterionMapping.objects.update(status="proposed", decided_by=None, decided_at=None)
    assert records_verify().ok  # nothing left here remembers the chain ...
    found = problems(anchor_files=[exported])  # ... the exported copy does
    assert found == [
        f"registration:{reg.pk}: the whole chain is missing (anchored with {n} records)"
    ]


def test_edited_checkpoint_is_named(assessed: dict[str, Any]) -> None:
    checkpoint_write()
    checkpoint_write()
    Checkpoint.objects.filter(seq=1).update(root="0" * 64)
    found = problems()
    assert "checkpoints: checkpoint 1: its hash does not match its content" in found
    assert "checkpoints: checkpoint 1: its heads do not give its root" in found


def test_cli_names_the_problem_and_exits_1(assessed: dict[str, Any], tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["records", "verify"])
    assert clean.exit_code == 0 and clean.output.startswith("ok: ")
    written = runner.invoke(main, ["records", "checkpoint", "--export", str(tmp_path / "c.jsonl")])
    assert written.exit_code == 0, written.output
    line = json.loads((tmp_path / "c.jsonl").read_text().splitlines()[0])
    assert line["type"] == "checkpoint" and len(line["root"]) == 64
    reg = assessed["reg"]
    Decision.objects.filter(registration=reg, seq=2).update(unit_number="401")
    broken = runner.invoke(main, ["records", "verify", "--registration", str(reg.pk)])
    assert broken.exit_code == 1
    assert (
        f"broken: {chain_name(reg.pk)}: record 2: its unit column is not the hashed unit"
        in broken.output
    )


def test_files_option_names_altered_stored_bytes(world: dict[str, Any]) -> None:
    from django.core.files.storage import default_storage

    from tests.portfolios.helpers import add

    item = add(world)
    stored = evidence_file_attach(
        by=world["dan"], item=item, upload=io.BytesIO(TEXT), original_name="a.txt"
    )
    assert records_verify(files=True).ok
    path = Path(default_storage.path(stored.storage_name))
    path.chmod(0o644)
    path.write_bytes(b"swapped")
    assert records_verify().ok  # the rows still agree ...
    found = problems(files=True)  # ... the bytes do not
    assert found == [
        f"registration:{world['reg'].pk}: evidence file {stored.pk} (evidence {item.pk}): the "
        f"stored bytes are missing or do not hash to {stored.sha256[:12]}…"
    ]


def test_demo_stops_over_an_orphaned_anchor_log(db: None, tmp_path: Path) -> None:
    """A database deleted under its anchor log: `assay demo` says so and writes nothing,
    instead of starting a second history under the same chain names."""
    from assay.records.services import _log_write, anchor_log_orphaned

    assert anchor_log_orphaned() is None  # no log yet
    _log_write([{"type": "head", "chain": "registration:1", "length": 3, "hash": "a" * 64}])
    message = anchor_log_orphaned()
    assert message is not None and "names 1 chain(s) but this database holds none" in message
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code != 0
    assert "move the anchor log away" in result.output
    assert not Decision.objects.exists() and not Registration.objects.exists()


def test_per_host_anchor_logs_in_a_shared_directory_name_a_deleted_tail(
    assessed: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several machines: ASSAY_ANCHOR_LOG is a directory and each host appends to its own
    file. The newest act anchored by host B alone still names a deleted tail, and a backup
    carries both hosts' lines."""
    import socket

    from assay.records.backup import anchor_logs_copy
    from assay.records.services import anchor_log_files, anchor_log_path

    shared = tmp_path / "anchors"
    shared.mkdir()
    monkeypatch.setattr(settings, "ASSAY_ANCHOR_LOG", shared)
    reg = assessed["reg"]
    monkeypatch.setattr(socket, "gethostname", lambda: "app-a")
    assert anchor_log_path() == shared / "app-a.log"
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint_write()  # host A anchors every head so far
    monkeypatch.setattr(socket, "gethostname", lambda: "app-b")
    with django_capture_on_commit_callbacks(execute=True):
        unit_reopen(by=assessed["lena"], registration=reg, unit="403", reason="Sampling gap")
    assert [p.name for p in anchor_log_files()] == ["app-a.log", "app-b.log"]
    assert problems() == []
    n = last_seq(reg)
    Decision.objects.filter(registration=reg, seq=n).delete()
    assert problems() == [
        f"registration:{reg.pk}: record {n} missing (anchored with {n}, the database has {n - 1})"
    ]
    assert anchor_logs_copy(tmp_path / "anchors.copy")  # what `assay backup` keeps
    text = (tmp_path / "anchors.copy").read_text()
    assert '"type":"checkpoint"' in text and f'"chain":"registration:{reg.pk}"' in text


def test_files_option_says_the_store_is_down_instead_of_failing(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object store that does not answer: the check says the files were not checked
    (a problem, exit 1), never a traceback."""
    from assay.errors import StorageUnavailable
    from assay.portfolios import record_checks
    from tests.portfolios.helpers import add

    item = add(world)
    evidence_file_attach(by=world["dan"], item=item, upload=io.BytesIO(TEXT), original_name="a")

    def down(*args: object, **kwargs: object) -> bool:
        raise StorageUnavailable("could not connect to the endpoint")

    monkeypatch.setattr(record_checks, "verify_stored", down)
    assert problems(files=True) == [
        "evidence store: not checked: could not connect to the endpoint"
    ]
