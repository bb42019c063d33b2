"""Portfolio export: index.html with the matrix and decisions, and every file, byte for byte."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.accounts.services import token_create
from assay.cli.main import main
from assay.errors import NotFound
from assay.portfolios.export import portfolio_export_zip
from assay.portfolios.models import EvidenceFile
from assay.portfolios.services import evidence_file_attach, mapping_propose
from tests.portfolios.helpers import PNG, TEXT, add, ready_portfolio

pytestmark = pytest.mark.django_db


def portfolio_with_files(w: dict[str, Any]) -> list[EvidenceFile]:
    a, b = ready_portfolio(w)
    big = b"A line of a long reflective account.\n" * 6000  # several storage chunks
    c = add(w, description="A <script> in the description is only text")
    mapping_propose(by=w["dan"], item=c, unit="401", target="1.1")
    return [
        evidence_file_attach(by=w["dan"], item=a, upload=io.BytesIO(TEXT), original_name="a.txt"),
        evidence_file_attach(
            by=w["dan"], item=b, upload=io.BytesIO(PNG), original_name="../../poster.png"
        ),
        evidence_file_attach(
            by=w["dan"], item=c, upload=io.BytesIO(TEXT[:-1] + big), original_name="long.txt"
        ),
    ]


def check_zip(data: bytes, rows: list[EvidenceFile]) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "index.html" and len(names) == 1 + len(rows)
        for row in rows:
            name = next(n for n in names if n.startswith(f"files/{row.sha256[:12]}_"))
            assert "/" not in name.removeprefix("files/")
            assert hashlib.sha256(archive.read(name)).hexdigest() == row.sha256
        return archive.read("index.html").decode()


def test_export_has_index_and_every_file(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    rows = portfolio_with_files(w)
    out = io.BytesIO()
    portfolio_export_zip(w["alice"], reg.pk, out)
    index = check_zip(out.getvalue(), rows)
    assert "Dana" in index and "4430-04" in index
    assert "Unit 403: Champion customer service" in index and "Unit 401" in index
    assert "<th>3.9</th>" in index and "<th>6c</th>" in index
    assert "&lt;script&gt;" in index and "<script>" not in index
    assert "confirmed" in index and "proposed" in index and "mapping_confirmed" in index
    with pytest.raises(NotFound):
        portfolio_export_zip(w["sam"].__class__(username="nobody", pk=10**6), reg.pk, io.BytesIO())


def test_export_index_escapes_the_candidate_name(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    candidate = reg.candidate
    candidate.first_name, candidate.last_name = "<script>alert(1)</script>", "O'Brien & Co"
    candidate.save()
    rows = portfolio_with_files(w)
    out = io.BytesIO()
    portfolio_export_zip(w["alice"], reg.pk, out)
    index = check_zip(out.getvalue(), rows)
    escaped = "Portfolio of &lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien &amp; Co"
    assert f"<title>{escaped}</title>" in index and f"<h1>{escaped}</h1>" in index
    assert "<script>" not in index


def test_export_by_cli_and_api(world: dict[str, Any], tmp_path: Path) -> None:
    w, reg = world, world["reg"]
    rows = portfolio_with_files(w)
    target = tmp_path / "out.zip"
    args = ["portfolio", "export", "--registration", str(reg.pk), "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--as", "dan"])
    assert result.exit_code == 0, result.output
    check_zip(target.read_bytes(), rows)
    token = token_create(user=w["lena"], name="t")[1]
    answer = Client().get(
        f"/api/v1/registrations/{reg.pk}/portfolio/export",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"].startswith("attachment")
    check_zip(b"".join(answer.streaming_content), rows)
    stranger = CliRunner().invoke(main, [*args[:-1], str(tmp_path / "x.zip"), "--as", "nobody"])
    assert stranger.exit_code != 0 and not (tmp_path / "x.zip").exists()
