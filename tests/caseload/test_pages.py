"""The caseload and centre progress pages, their downloads, the JSON endpoints and the CLI:
who gets what (ADR 0006: not yours → 404 like missing), and a fixed number of queries for 2 and
for 20 candidates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assay.accounts.services import token_create
from assay.cli.main import main
from tests.caseload.conftest import attach, grow_caseload
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

# Who may open Northgate's progress page: its staff (rows narrowed further per ADR 0006).
CENTRE_STAFF = {
    "assessor-assigned",
    "assessor-not-assigned",
    "iv-assigned",
    "iv-not-assigned",
    "lead-iqa",
    "centre-admin",
    "tutor",
    "ev-assigned",
}
SEES_DAN_AND_DORA = {"lead-iqa", "centre-admin", "tutor", "ev-assigned"}
SEES_DAN_ONLY = {"assessor-assigned", "iv-assigned"}


def signed_in(w: World, role: str) -> Client:
    client = Client()
    name = ROLES[role]
    if name:
        client.force_login(w.user(name))
    return client


def api_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


@pytest.mark.parametrize("role", list(ROLES))
def test_progress_page_and_downloads_per_role(world: World, role: str) -> None:
    client = signed_in(world, role)
    url = f"/centres/{world.north.pk}/progress/"
    for suffix in ("", "?format=csv", "?format=xlsx"):
        response = client.get(url + suffix)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role not in CENTRE_STAFF:
            assert response.status_code == 404, (role, suffix)
        else:
            assert response.status_code == 200, (role, suffix)
    if role not in CENTRE_STAFF:
        return
    page = client.get(url).content.decode()
    assert (f'data-registration="{world.dan.pk}"' in page) == (
        role in SEES_DAN_AND_DORA | SEES_DAN_ONLY
    )
    assert (f'data-registration="{world.dora.pk}"' in page) == (role in SEES_DAN_AND_DORA)
    download = client.get(url + "?format=csv")
    text = b"".join(download.streaming_content).decode()
    names = {row["candidate"] for row in csv.DictReader(io.StringIO(text))}
    expected = {"Dan Smith", "Dora Smith"} if role in SEES_DAN_AND_DORA else set()
    expected |= {"Dan Smith"} if role in SEES_DAN_ONLY else set()
    assert names == expected
    assert download["Content-Disposition"] == (
        'attachment; filename="progress-0042-2013-03-01.csv"'
    )


def test_progress_xlsx_download_reads_back_and_bad_format_is_400(world: World) -> None:
    client = signed_in(world, "centre-admin")
    url = f"/centres/{world.north.pk}/progress/"
    response = client.get(url + "?format=xlsx")
    content = b"".join(response.streaming_content)  # a file response, written before it is sent
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["candidate", "qualification"]
    assert sorted(r[0] for r in rows[1:]) == ["Dan Smith", "Dora Smith"]
    # Typed cells: a spreadsheet sorts and sums them (dates read back as datetimes).
    column = {name: i for i, name in enumerate(rows[0])}
    for row in rows[1:]:
        assert isinstance(row[column["end_date"]], dt.datetime)
        assert isinstance(row[column["registered_on"]], dt.datetime)
        assert isinstance(row[column["criteria_met"]], int)
        assert isinstance(row[column["percent_met"]], int)
        assert isinstance(row[column["candidate"]], str)
    full = load_workbook(io.BytesIO(content)).worksheets[0]
    assert full.freeze_panes == "A2"
    assert full.auto_filter.ref == f"A1:M{len(rows)}"
    assert full["A1"].font.b and full["C2"].number_format == "dd/mm/yyyy"
    assert client.get(url + "?format=pdf").status_code == 400
    assert client.get("/centres/999999/progress/").status_code == 404


def test_other_centres_admin_gets_404_for_northgate_but_sees_their_own(world: World) -> None:
    sue = signed_in(world, "admin-other-centre")
    assert sue.get(f"/centres/{world.north.pk}/progress/?format=csv").status_code == 404
    assert sue.get(f"/centres/{world.south.pk}/progress/").status_code == 200


def test_caseload_page_shows_only_my_candidates_and_my_queue(world: World) -> None:
    attach(world.user("alice"), world.item)
    page = signed_in(world, "assessor-assigned").get("/caseload/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-registration="{world.dan.pk}"' in html
    assert f'data-registration="{world.dora.pk}"' not in html
    assert 'data-rag="amber"' in html
    assert "more than 10 points behind" in html  # the reason, on hover and expanded
    assert f'href="/registrations/{world.dan.pk}/units/401/"' in html  # queue → unit page
    assert f'data-mapping="{world.mapping.pk}"' in html
    assert f'data-item="{world.item.pk}"' in html
    for role in ROLES:
        if role in ("anonymous", "assessor-assigned"):
            continue
        other = signed_in(world, role).get("/caseload/").content.decode()
        assert "data-registration=" not in other, role
        assert "data-mapping=" not in other and "data-item=" not in other, role
    assert signed_in(world, "anonymous").get("/caseload/").status_code == 302


def test_nav_and_dashboard_link_to_the_new_pages(world: World) -> None:
    html = signed_in(world, "centre-admin").get(f"/centres/{world.north.pk}/").content.decode()
    assert f'href="/centres/{world.north.pk}/progress/"' in html
    # The nav shows the caseload to those who have one (assessors and IVs), not to the admin.
    assert 'href="/caseload/"' not in html
    html = signed_in(world, "assessor-assigned").get(f"/centres/{world.north.pk}/").content.decode()
    assert 'href="/caseload/"' in html


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured.captured_queries)


def test_pages_and_endpoints_run_the_same_queries_for_2_and_20_candidates(world: World) -> None:
    grow_caseload(world, 1)
    alice = signed_in(world, "assessor-assigned")
    carol = signed_in(world, "centre-admin")
    north = world.north.pk
    urls = [
        (alice, "/caseload/"),
        (alice, "/api/v1/caseload"),
        (alice, "/api/v1/caseload/queue"),
        (carol, f"/centres/{north}/progress/"),
        (carol, f"/centres/{north}/progress/?format=csv"),
        (carol, f"/centres/{north}/progress/?format=xlsx"),
        (carol, f"/api/v1/centres/{north}/progress"),
    ]
    for client, url in urls:
        queries(client, url)  # warm caches (sessions, engine specs)
    small = [queries(client, url) for client, url in urls]
    grow_caseload(world, 18)
    for client, url in urls:
        queries(client, url)  # the first read recomputes the rows the acts marked (see below)
    large = [queries(client, url) for client, url in urls]
    assert large == small


def test_the_first_read_after_changes_recomputes_in_the_same_number_of_queries(
    world: World,
) -> None:
    from assay.progress.models import RegistrationProgress

    carol = signed_in(world, "centre-admin")
    url = f"/centres/{world.north.pk}/progress/"
    grow_caseload(world, 1)
    queries(carol, url)
    RegistrationProgress.objects.update(dirty=True)
    small = queries(carol, url)
    grow_caseload(world, 18)
    RegistrationProgress.objects.update(dirty=True)
    assert queries(carol, url) == small


@pytest.mark.parametrize("role", list(ROLES))
def test_endpoints_per_role(world: World, role: str) -> None:
    name = ROLES[role]
    client = api_client(world.user(name)) if name else Client()
    north = client.get(f"/api/v1/centres/{world.north.pk}/progress")
    mine = client.get("/api/v1/caseload")
    queue = client.get("/api/v1/caseload/queue")
    if role == "anonymous":
        assert (north.status_code, mine.status_code, queue.status_code) == (401, 401, 401)
        return
    if role in CENTRE_STAFF:
        assert north.status_code == 200
        got = {r["registration_id"] for r in north.json()["items"]}
        want = {world.dan.pk, world.dora.pk} if role in SEES_DAN_AND_DORA else set()
        want |= {world.dan.pk} if role in SEES_DAN_ONLY else set()
        assert got == want
    else:
        assert north.status_code == 404
        assert north.json()["error"]["code"] == "not_found"
    rows = mine.json()["items"]
    items = queue.json()
    if role == "assessor-assigned":
        assert [r["registration_id"] for r in rows] == [world.dan.pk]
        assert rows[0]["rag"]["status"] == "amber" and rows[0]["rag"]["reasons"]
        assert [m["mapping_id"] for m in items["mappings"]["items"]] == [world.mapping.pk]
    else:
        empty = {"items": [], "next": None, "previous": None, "size": 50}
        assert rows == [] and items == {"mappings": empty, "items": empty}


def test_missing_centre_answers_like_a_forbidden_one(world: World) -> None:
    client = api_client(world.user("carol"))
    missing = client.get("/api/v1/centres/999999/progress").json()
    other = client.get(f"/api/v1/centres/{world.south.pk}/progress").json()
    assert missing["error"]["code"] == other["error"]["code"] == "not_found"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_progress_table_csv_xlsx_and_denials(world: World, tmp_path: Any) -> None:
    code, out, _ = run("portfolio", "progress", "--centre", "0042", "--as", "alice")
    assert code == 0
    assert out.startswith("AMBER    Dan Smith")
    assert "more than 10 points behind" in out and "Dora" not in out
    code, out, _ = run("portfolio", "progress", "--centre", "0042", "--format", "csv")
    assert code == 0
    assert {r["candidate"] for r in csv.DictReader(io.StringIO(out))} == {"Dan Smith", "Dora Smith"}
    target = tmp_path / "progress.xlsx"
    code, _, err = run(
        "portfolio", "progress", "--centre", "0042", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0 and err == f"wrote 2 registration(s) to {target}\n"
    assert load_workbook(target, read_only=True).worksheets[0]["A2"].value in {
        "Dan Smith",
        "Dora Smith",
    }
    code, _, err = run("portfolio", "progress", "--centre", "0042", "--format", "xlsx")
    assert (code, err) == (2, "assay: error: --format xlsx needs --output FILE\n")
    for name in ("dan", "ed", "sue"):
        code, out, err = run("portfolio", "progress", "--centre", "0042", "--as", name)
        assert (code, out, err) == (2, "", "assay: error: no centre '0042'\n"), name
