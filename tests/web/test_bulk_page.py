"""Bulk registration in the browser: every row's errors, import all or nothing, the same rules
(and the same held-qualification matching) as the CLI and the API."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from assay.registrations.models import Registration
from tests.web.helpers import plain
from tests.world import World

pytestmark = pytest.mark.django_db

Text = Callable[..., str]
HEADER = "first_name,last_name,date_of_birth,job_kind,qualification,held_qualifications\n"
GOOD = HEADER + "Nia,Jones,1985-02-02,paid,4430-04,\nOwen,Price,1979-06-01,voluntary,4430-04,X-1\n"
BAD = GOOD + (
    "Pam,Reed,31/02/1990,paid,4430-04,\n"
    "Quin,Shaw,1980-01-01,paid,4430-04,cg-4430-04\n"
    "Rita,Todd,1980-01-01,paid,4430-04,4543-04\n"
)


def signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def url(world: World) -> str:
    return f"/centres/{world.north.pk}/register/bulk"


def test_the_dashboard_links_to_the_bulk_page(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "carol").get(f"/centres/{world.north.pk}/"))
    assert f'href="{url(world)}"' in body
    tom = page_text(signed_in(world, "tom").get(f"/centres/{world.north.pk}/"))
    assert f'href="{url(world)}"' not in tom


def test_every_rows_errors_are_shown_and_nothing_is_registered(
    world: World, page_text: Text
) -> None:
    before = Registration.objects.count()
    client = signed_in(world, "carol")
    for action in ("check", "import"):
        response = client.post(
            url(world), {"action": action, "file": upload("c.csv", BAD.encode())}
        )
        assert response.status_code == 422
        body = page_text(response)
        rows = dict(re.findall(r'<tr data-row="(\d+)" data-ok="(\w+)">', body))
        assert rows == {"2": "true", "3": "true", "4": "false", "5": "false", "6": "false"}
        text = plain(body)
        assert "3 of 5 rows have errors. Nothing was registered" in text
        assert "date_of_birth: '31/02/1990' is not a date" in text
        assert "already-holds: The candidate already holds 4430-04." in text
        assert "4543-04, the predecessor of 4430-04" in text
        assert Registration.objects.count() == before


def test_a_clean_check_then_import_registers_every_row(world: World, page_text: Text) -> None:
    before = Registration.objects.count()
    client = signed_in(world, "carol")
    checked = client.post(url(world), {"action": "check", "file": upload("c.csv", GOOD.encode())})
    assert checked.status_code == 200
    body = page_text(checked)
    assert "Every row can be registered. Nothing has been registered yet." in body
    assert Registration.objects.count() == before
    content = re.search(r'name="content" value="([^"]+)"', body)
    assert content
    done = client.post(
        url(world), {"action": "import", "content": content.group(1), "name": "c.csv"}
    )
    assert done.status_code == 302 and done["Location"] == f"/centres/{world.north.pk}/"
    assert Registration.objects.count() == before + 2
    assert "Registered 2 candidate(s) from c.csv." in page_text(client.get(done["Location"]))


def test_an_xlsx_file_imports_directly(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    response = signed_in(world, "carol").post(
        url(world), {"action": "import", "file": upload("c.xlsx", out.getvalue())}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(candidate__first_name__in=["Nia", "Owen"]).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "check"}, "Choose a CSV or Excel (.xlsx) file"),
        ({"action": "import", "content": "***", "name": "c.csv"}, "Upload the file again"),
        ({"action": "check", "file": upload("c.xlsx", GOOD.encode())}, "not an Excel workbook"),
        ({"action": "check", "file": upload("c.csv", HEADER.encode())}, "no candidates"),
    ],
)
def test_a_bad_file_is_one_clear_error(
    world: World, page_text: Text, data: dict[str, Any], message: str
) -> None:
    response = signed_in(world, "carol").post(url(world), data)
    assert response.status_code == 400
    assert message in page_text(response)


@pytest.mark.parametrize(("username", "status"), [("tom", 403), ("linda", 403), ("sue", 404)])
def test_only_the_centres_administrator_uploads(world: World, username: str, status: int) -> None:
    before = Registration.objects.count()
    client = signed_in(world, username)
    assert client.get(url(world)).status_code == status
    response = client.post(url(world), {"action": "import", "file": upload("c.csv", GOOD.encode())})
    assert response.status_code == status
    assert Registration.objects.count() == before


@pytest.mark.parametrize("rows", [5, 50])
def test_checking_a_file_costs_the_same_queries_for_5_or_50_rows(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    """Every row is checked against the entry rules, but the centre's approval is read once per
    qualification and date, and held codes once each (the rows here all hold one other code)."""
    lines = "".join(f"N{i},Jones,1985-02-02,paid,4430-04,X-1\n" for i in range(rows))
    client = signed_in(world, "carol")
    with django_assert_max_num_queries(17):
        response = client.post(
            url(world), {"action": "check", "file": upload("c.csv", (HEADER + lines).encode())}
        )
    assert response.status_code == 200
