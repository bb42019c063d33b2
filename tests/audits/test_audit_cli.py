"""`assay audits ...`: import, create, sample (--verify), score from CSV, decide, certificate,
check, remind, report; acting as a named user; one-line errors with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assay.audits.models import Audit, Office, SiteScore
from assay.audits.specfile import LIBRARY_DIR
from assay.audits.standards import standard_of
from assay.cli.main import main
from tests.audits.world import SEED, AuditWorld

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def scores_csv(tmp_path: Path, audit: Audit, score: int, low: dict[str, int] | None = None) -> Path:
    standard = standard_of(audit.standard)
    lines = ["office,attribute,score,notes"]
    for pick in audit.sample.picks.select_related("office"):
        for a in standard.attributes:
            value = (low or {}).get(f"{pick.office.name}/{a.code}", score)
            lines.append(f"{pick.office.name},{a.code},{value},seen")
    path = tmp_path / "scores.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_is_idempotent_and_reports_errors_with_lines(db: None, tmp_path: Path) -> None:
    code, out, _ = run("audits", "import", "--library")
    assert code == 0 and "icss-illustrative v1: created" in out
    code, out, _ = run("audits", "import", "--library")
    assert "icss-illustrative v1: unchanged" in out
    bad = tmp_path / "bad.yaml"
    text = (LIBRARY_DIR / "icss-illustrative.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("version: 1", "version: 2").replace("high: 5", "high: 4"))
    code, out, err = run("audits", "import", str(bad))
    assert code == 1 and out == ""
    assert f"{bad}:" in err and "$.scale.bands[2].low" in err and "nothing was imported" in err
    code, out, err = run("audits", "validate", str(bad))
    assert code == 1 and "must start at 5" in err
    assert "illustrative" in run("audits", "standards")[1]


def test_cycle_from_the_command_line(aw: AuditWorld, tmp_path: Path, settings: Any) -> None:
    code, out, err = run(
        "audits",
        "create",
        "--organisation",
        "ACME",
        "--standard",
        "icss-illustrative",
        "--as",
        "body_admin",
    )
    assert code == 0, err
    audit = Audit.objects.order_by("-pk").first()
    assert audit is not None and out.startswith(f"audit {audit.pk}: ")
    a = str(audit.pk)
    assert run("audits", "assign", a, "--auditor", "auditor", "--as", "body_admin")[0] == 0
    assert run("audits", "advance", a, "--to", "self_assessment", "--as", "body_admin")[0] == 0
    code, out, err = run("audits", "sample", a)
    assert (code, out) == (2, "") and "needs --as" in err
    code, out, err = run("audits", "sample", a, "--seed", str(SEED), "--as", "auditor")
    assert code == 0, err
    assert "\tmain\t" in out
    code, out, _ = run("audits", "sample", a, "--verify", "--as", "contact")
    assert code == 0 and "verified:" in out
    assert run("audits", "advance", a, "--to", "fieldwork", "--as", "auditor")[0] == 0
    audit.refresh_from_db()
    perth_low = {"Perth/S1.1": 1}
    csv_path = scores_csv(tmp_path, audit, 7, perth_low)
    code, out, err = run("audits", "score", a, str(csv_path), "--as", "auditor")
    assert code == 0, err
    # The decision maker may not score; the auditor may not decide.
    code, out, err = run("audits", "decide", a, "--as", "auditor")
    assert (code, out) == (2, "") and "not allowed" in err
    code, out, err = run("audits", "decide", a, "--rationale", "ok", "--as", "decision_maker")
    assert code == 2 and "fieldwork is not closed" in err
    code, out, err = run("audits", "close", a, "--summary", "All visited", "--as", "auditor")
    assert code == 0 and "fieldwork closed on" in out, err
    code, out, err = run("audits", "decide", a, "--as", "decision_maker")
    assert code == 2 and "rationale" in err
    code, out, err = run(
        "audits", "decide", a, "--rationale", "Reasons reviewed", "--as", "decision_maker"
    )
    assert code == 0, err
    assert "NOT CERTIFIABLE" in out and "[mandatory_at_intention]" in out and "Perth" in out
    assert run("audits", "decide", a, "--verify")[1].startswith("agrees:")
    code, out, err = run("audits", "certificate", a, "--as", "body_admin")
    assert (code, out) == (2, "") and "not certifiable" in err
    report = json.loads(run("audits", "report", a, "--as", "contact")[1])
    assert report["decision"]["certifiable"] is False
    code, _, err = run("audits", "report", a, "--as", "contact_other")
    assert code == 2 and f"no audit {a}" in err
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "scores.xlsx"
    code, out, _ = run("audits", "report", a, "--format", "pdf", "-o", str(pdf), "--as", "contact")
    assert code == 0 and out.startswith(f"{pdf}: ") and pdf.read_bytes().startswith(b"%PDF-")
    code, _, _ = run("audits", "report", a, "--format", "xlsx", "-o", str(xlsx), "--as", "contact")
    assert code == 0 and xlsx.read_bytes()[:2] == b"PK"
    code, _, err = run("audits", "report", a, "--format", "pdf", "--as", "contact")
    assert code == 2 and "needs -o FILE" in err
    code, _, err = run(
        "audits", "report", a, "--format", "pdf", "-o", str(pdf), "--as", "contact_other"
    )
    assert code == 2 and f"no audit {a}" in err


def test_certificate_check_and_remind(aw: AuditWorld, tmp_path: Path, settings: Any) -> None:
    a = str(aw.audit.pk)
    run("audits", "advance", a, "--to", "self_assessment", "--as", "body_admin")
    run("audits", "sample", a, "--seed", "7", "--as", "body_admin")
    run("audits", "advance", a, "--to", "fieldwork", "--as", "body_admin")
    aw.audit.refresh_from_db()
    assert (
        run("audits", "score", a, str(scores_csv(tmp_path, aw.audit, 6)), "--as", "auditor")[0] == 0
    )
    assert run("audits", "close", a, "--summary", "Done", "--as", "auditor")[0] == 0
    decided = run("audits", "decide", a, "--rationale", "ok", "--as", "decision_maker")
    assert ": CERTIFIABLE" in decided[1]
    code, out, err = run("audits", "certificate", a, "--as", "decision_maker")
    assert code == 0, err
    number = out.split(":")[0]
    shown = json.loads(run("audits", "check", number)[1])
    assert shown["status"] == "valid" and "scores" not in shown
    code, out, err = run("audits", "check", "ICSS-2013-123456-Q")
    assert code == 2 and out == ""
    settings.ASSAY_TODAY = "2014-02-10"
    code, out, _ = run("audits", "remind", "--as", "body_admin")
    assert number in out and "due" in out
    code, out, _ = run("audits", "remind", "--send", "--as", "body_admin")
    assert number in out and "sent" in out
    code, out, _ = run("audits", "remind", "--as", "body_admin")
    assert "already reminded" in out
    assert run("audits", "remind", "--as", "contact")[1].startswith("0 certificate(s)")


def test_score_csv_is_all_or_nothing(aw: AuditWorld, tmp_path: Path) -> None:
    from tests.audits.world import to_fieldwork

    to_fieldwork(aw)
    path = tmp_path / "bad.csv"
    office = Office.objects.get(pk=aw.audit.sample.picks.first().office_id)  # type: ignore[union-attr]
    path.write_text(
        f"office,attribute,score\n{office.name},S1.1,5\nNowhere,S1.1,5\n{office.name},S1.2,x\n"
    )
    code, out, err = run("audits", "score", str(aw.audit.pk), str(path), "--as", "auditor")
    assert (code, out) == (2, "")
    assert "line 3: unknown office 'Nowhere'" in err and "line 4" in err
    assert SiteScore.objects.count() == 0
    code, _, err = run("audits", "score", str(aw.audit.pk), str(path), "--as", "auditor_other")
    assert code == 2 and "no audit" in err
