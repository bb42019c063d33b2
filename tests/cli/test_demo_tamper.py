"""Issue 10's edits, made as the attacker made them: raw SQL on a copy of the demo database
(SQLite, built by ``assay demo`` in a scratch data dir), then ``assay records verify`` in a
fresh process must name each one. The anchor log beside the copy is the demo's own."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ASSAY = [str(Path(sys.executable).parent / "assay")]

# The edits are SQLite statements on a SQLite copy of its own: the configured database is not
# used (CI's PostgreSQL pass runs the same tampers through the ORM in test_chain_tamper.py).
pytestmark = pytest.mark.standalone


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ASSAY_ANCHOR_LOG"}}
    env.update(ASSAY_DATA_DIR=str(data_dir), ASSAY_TODAY="2013-03-01")
    return env


@pytest.fixture(scope="module")
def demo_dir(demo_folder: Path) -> Path:
    """The shared demo data folder (``tests/conftest.py``); each test edits a copy."""
    return demo_folder


def verify_after(demo_dir: Path, tmp_path: Path, *statements: str) -> tuple[int, str]:
    """Copy the demo (database, anchor log), run the SQL on the copy, verify the copy."""
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(demo_dir / "assay.sqlite3", copy / "assay.sqlite3")
    shutil.copy(demo_dir / "anchors.log", copy / "anchors.log")
    with sqlite3.connect(copy / "assay.sqlite3") as db:
        for sql in statements:
            db.execute(sql)
    done = subprocess.run(
        [*ASSAY, "records", "verify"], env=_env(copy), capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout + done.stderr


def chain_of_411(demo_dir: Path) -> tuple[int, int]:
    """(registration, last seq) of the chain holding the lead IQA's reopening of unit 411 in
    the demo (Priya's; the demo's IQA verifications come after it)."""
    with sqlite3.connect(demo_dir / "assay.sqlite3") as db:
        row = db.execute(
            "select registration_id, max(seq) from portfolios_decision where registration_id = "
            "(select registration_id from portfolios_decision "
            "where kind='unit_reopened' and unit_number='411')"
        ).fetchone()
    assert row is not None and row[0] is not None
    return row[0], row[1]


def test_the_demo_verifies(demo_dir: Path, tmp_path: Path) -> None:
    code, out = verify_after(demo_dir, tmp_path)
    assert code == 0 and out.startswith("ok: "), out


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        (
            "update portfolios_decision set unit_number='402' where registration_id={r} and seq=60",
            "broken: registration:{r}: record 60: its unit column is not the hashed unit",
        ),
        (
            "update portfolios_decision set actor_id=1 where registration_id={r} and seq=60",
            "broken: registration:{r}: record 60: its actor column is not the hashed actor",
        ),
        (
            "update portfolios_decision set registration_id=6 where registration_id={r}",
            "broken: registration:6: record 1: prev_hash is not the genesis hash of registration:6",
        ),
        (
            "update portfolios_decision set registration_id=6 where registration_id={r}",
            "broken: registration:{r}: the whole chain is missing (anchored with {n} records)",
        ),
        (
            "delete from portfolios_decision where registration_id={r} and seq={n}",
            "broken: registration:{r}: record {n} missing (anchored with {n}, the database has "
            "{m})",
        ),
        (
            "delete from portfolios_decision where registration_id={r}",
            "broken: registration:{r}: the whole chain is missing (anchored with {n} records)",
        ),
        (
            "update portfolios_criterionmapping set status='confirmed'",
            "is confirmed, but record",
        ),
        (
            "update portfolios_decision set payload=json_set(payload, '$.met', json('false')) "
            "where registration_id={r} and seq=60",
            "broken: registration:{r}: record 60: its hash does not match its content",
        ),
        # the enrolment chain: the registration's administrative record
        (
            "update registrations_registration set status='withdrawn' where id={r}",
            "broken: enrolment:{r}: status is withdrawn but record",
        ),
        (
            "update registrations_registration set end_date='2020-01-01' where id={r}",
            "broken: enrolment:{r}: end_date is 2020-01-01 but record 1 made it",
        ),
        (
            "insert into registrations_rplclaim (registration_id, unit_number, kind, "
            "certificate_reference, evidence, accepted, created_at) "
            "values ({r}, '410', 'credit_transfer', 'X', 'x', 1, '2013-01-01 00:00:00')",
            "credit transfer for unit 410 (claim",
        ),
        (
            "update registrations_rplclaim set accepted=0 where accepted=1",
            "accepted is False but record",
        ),
        (
            "update registrations_signature set text='I agree to nothing'",
            "its text does not match its text_sha256",
        ),
        (
            "delete from registrations_statuschange where registration_id={r}",
            "broken: enrolment:{r}: status change",
        ),
        (
            "delete from records_chainrecord where chain='enrolment:{r}'",
            "broken: enrolment:{r}: the whole chain is missing (anchored with",
        ),
    ],
)
def test_each_edit_is_named(demo_dir: Path, tmp_path: Path, sql: str, named: str) -> None:
    registration, seq = chain_of_411(demo_dir)
    values = {"r": registration, "n": seq, "m": seq - 1}
    code, out = verify_after(demo_dir, tmp_path, sql.format(**values))
    assert code == 1, out
    assert named.format(**values) in out, out


def refused_audit(demo_dir: Path) -> int:
    """The demo's refused audit (Harbourside Ferries)."""
    with sqlite3.connect(demo_dir / "assay.sqlite3") as db:
        row = db.execute(
            "select a.id from audits_audit a "
            "join audits_organisation o on o.id = a.organisation_id "
            "join audits_auditdecision d on d.audit_id = a.id "
            "where o.name like 'Harbourside%' and d.certifiable = 0"
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_consistently_rewritten_refused_audit_is_named_and_gets_no_certificate(
    demo_dir: Path, tmp_path: Path
) -> None:
    audit = refused_audit(demo_dir)
    rewrite = (
        f"update audits_sitescore set score = 6 where audit_id = {audit}",
        f"update audits_auditdecision set certifiable = 1, reasons = '[]' where audit_id = {audit}",
    )
    code, out = verify_after(demo_dir, tmp_path, *rewrite)
    assert code == 1, out
    assert f"broken: audit:{audit}: decision" in out
    assert "certifiable is True but the chain recorded False" in out
    assert "score is 6 but the chain recorded" in out
    issued = subprocess.run(
        [*ASSAY, "audits", "certificate", str(audit), "--as", "dmitri"],
        env=_env(tmp_path / "copy"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert issued.returncode != 0, issued.stdout
    assert "does not verify, so no certificate is issued" in issued.stdout + issued.stderr
