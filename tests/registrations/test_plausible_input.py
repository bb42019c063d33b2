"""Issue 10: implausible dates and control characters are refused on every path (API, CLI,
bulk CSV through the service and the API, and the entry check) and change nothing.

The web wizard's side is in tests/web/test_plausible_register_page.py. Today is pinned to
01/03/2013 by the ``world`` fixture.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.errors import InvalidInput
from assay.registrations.bulk import bulk_check, bulk_import, read_rows
from assay.registrations.models import Candidate, Refusal, Registration
from tests.cli.helpers import ALICE, run
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db

# (field overrides, the field named, a phrase of the message)
BAD: list[tuple[dict[str, str], str, str]] = [
    ({"date_of_birth": "0580-01-01"}, "date_of_birth", "before 01/01/1900"),
    ({"date_of_birth": "2013-03-02"}, "date_of_birth", "in the future"),
    ({"registered_on": "2674-01-01"}, "registered_on", "more than two years ahead"),
    ({"registered_on": "1980-01-01"}, "registered_on", "before 01/01/1990"),
    ({"first_name": "Dan\x07"}, "first_name", "control character U+0007"),
    ({"last_name": "Dix\x1bon"}, "last_name", "control character U+001B"),
    ({"employer": "Acme\nLtd"}, "employer", "control character U+000A"),
    ({"first_name": "\u200b\u200b"}, "first_name", "first name"),
]
GOOD = {
    "first_name": "Dan",
    "last_name": "Dixon",
    "date_of_birth": "1975-02-03",
    "job_kind": "paid",
    "qualification": "4430-04",
}


def counts() -> tuple[int, int, int]:
    return Registration.objects.count(), Candidate.objects.count(), Refusal.objects.count()


@pytest.mark.parametrize(("override", "field", "phrase"), BAD)
def test_api_register_and_check_refuse(
    client: Client,
    world: World,
    tokens: dict[str, str],
    override: dict[str, str],
    field: str,
    phrase: str,
) -> None:
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['centre_admin']}"}
    before = counts()
    base = f"/api/v1/centres/{world.north.pk}/registrations"
    for path in (base, f"{base}/check"):
        response = client.post(
            path, {**GOOD, **override}, content_type="application/json", **header
        )
        if path != base and field not in ("date_of_birth", "registered_on"):
            continue  # the entry check answers the entry rules and dates, not the names
        assert response.status_code == 422, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert field in [d["field"] for d in error["details"]]
        assert phrase in error["message"]
    assert counts() == before


def test_api_registers_the_plausible_edges(
    client: Client, world: World, tokens: dict[str, str]
) -> None:
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['centre_admin']}"}
    body = {**GOOD, "date_of_birth": "1900-01-01", "registered_on": "2014-07-31"}
    response = client.post(
        f"/api/v1/centres/{world.north.pk}/registrations",
        body,
        content_type="application/json",
        **header,
    )
    assert response.status_code == 201, response.content


CLI_OPTIONS = {
    "date_of_birth": "--dob",
    "first_name": "--first-name",
    "last_name": "--last-name",
    "employer": "--employer",
    "registered_on": "--registered-on",
}


@pytest.mark.parametrize(("override", "field", "phrase"), BAD)
def test_cli_register_add_refuses(
    world: World, override: dict[str, str], field: str, phrase: str
) -> None:
    ((name, value),) = override.items()
    args = list(ALICE)
    option = CLI_OPTIONS[name]
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    before = counts()
    code, out, err = run("register", "add", *args, "--as", "centre_admin")
    assert (code, out) == (2, ""), err
    assert err.startswith("assay: error: invalid:") and field in err and phrase in err
    assert counts() == before


COLUMNS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "employer",
    "job_kind",
    "qualification",
    "registered_on",
]


def csv_of(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({"employer": "", "registered_on": "", **row})
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(("override", "field", "phrase"), BAD)
def test_bulk_csv_refuses(
    client: Client,
    world: World,
    tokens: dict[str, str],
    override: dict[str, str],
    field: str,
    phrase: str,
) -> None:
    data = csv_of({**GOOD, "first_name": "Ok"}, {**GOOD, **override})
    before = counts()
    errors = {
        r.row_number: r.errors
        for r in bulk_check(
            by=world["centre_admin"],
            centre=world.north,
            rows=read_rows(io.BytesIO(data), name="r.csv"),
        )
    }
    assert errors.pop(2) == []
    ((bad_row, bad_errors),) = errors.items()  # row 3, or 4 when a quoted newline spans lines
    assert any(
        e.startswith(f"{field}: ") and (phrase in e or "after registration" in e)
        for e in bad_errors
    ), errors
    with pytest.raises(InvalidInput) as refused:
        bulk_import(
            by=world["centre_admin"],
            centre=world.north,
            rows=read_rows(io.BytesIO(data), name="r.csv"),
        )
    assert list(refused.value.errors) == [f"row {bad_row}"]
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['centre_admin']}"}
    response = client.post(
        f"/api/v1/centres/{world.north.pk}/bulk",
        {"file": SimpleUploadedFile("rows.csv", data, content_type="text/csv")},
        **header,
    )
    said = response.content.decode()
    assert response.status_code == 422 and (phrase in said or "after registration" in said)
    assert counts() == before


def test_cli_bulk_refuses_a_birth_year_of_580(world: World, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(csv_of(GOOD, {**GOOD, "first_name": "Eve", "date_of_birth": "0580-05-05"}))
    before = counts()
    code, out, err = run("register", "bulk", "--centre", "N1001", str(path), "--as", "centre_admin")
    assert (code, out) == (1, "") and "before 01/01/1900" in err
    assert counts() == before


def test_status_and_extension_reasons_refuse_control_characters(
    client: Client, world: World, tokens: dict[str, str]
) -> None:
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['centre_admin']}"}
    base = f"/api/v1/registrations/{world.registration.pk}"
    before = (counts(), Registration.objects.get(pk=world.registration.pk).end_date)
    status = client.post(
        f"{base}/status",
        {"status": "in_progress", "reason": "started\x1b", "confirm": True},
        content_type="application/json",
        **header,
    )
    assert status.status_code == 422 and "U+001B" in status.json()["error"]["message"]
    later = world.registration.end_date.replace(year=world.registration.end_date.year + 1)
    extension = client.post(
        f"{base}/extensions",
        {"new_end": later.isoformat(), "reason": "\u200b\u200b"},
        content_type="application/json",
        **header,
    )
    assert extension.status_code == 422
    after = (counts(), Registration.objects.get(pk=world.registration.pk).end_date)
    assert after == before
    assert Registration.objects.get(pk=world.registration.pk).status == "registered"
