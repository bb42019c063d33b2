"""A body's clients in the browser (issue 15): add, edit, divisions, offices, the main-office
warning, the import's dry run listing every row's error and the all-or-nothing import, and
pages that run the same queries with 10 times the offices and divisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.audits import clients as cl
from assay.audits import services as svc
from assay.audits.models import Office, Organisation
from tests.audits.world import AuditWorld
from tests.keyset_walk import page_queries

pytestmark = pytest.mark.django_db


def test_add_an_organisation_an_office_and_see_the_warning_go(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    admin = client_as("body_admin")
    got = admin.post(
        "/audits/clients/new", {"body": aw.body.pk, "name": "Harbour Bank", "reference": "HB"}
    )
    org = Organisation.objects.get(reference="HB")
    assert got.status_code == 302 and got["Location"] == f"/audits/organisations/{org.pk}/edit"
    got = admin.post(
        f"/audits/organisations/{org.pk}/offices/new",
        {"name": "Perth", "state": "wa", "complaints": "0", "address": "1 Hay St"},
    )
    assert got.status_code == 302
    page = admin.get(f"/audits/organisations/{org.pk}/edit").content.decode()
    assert "WA has no main office" in page and "1 Hay St" in page
    perth = Office.objects.get(organisation=org, name="Perth")
    admin.post(
        f"/audits/organisations/{org.pk}/offices/{perth.pk}/",
        {"name": "Perth", "state": "WA", "is_main": "on", "complaints": "2", "address": ""},
    )
    page = admin.get(f"/audits/organisations/{org.pk}/edit").content.decode()
    assert "has no main office" not in page
    # Refusals come back on the form, 400, nothing changed.
    got = admin.post(
        "/audits/clients/new", {"body": aw.body.pk, "name": "Bell\x07", "reference": "HB"}
    )
    assert got.status_code == 400
    text = got.content.decode()
    assert "control character U+0007" in text and "n organisation with reference" in text
    got = admin.post(
        f"/audits/organisations/{org.pk}/offices/new",
        {"name": "Fremantle", "state": "WA", "is_main": "on", "complaints": "0"},
    )
    assert got.status_code == 400 and "Perth is Harbour Bank" not in got.content.decode()
    assert "already has a main office in WA" in got.content.decode()
    assert not Office.objects.filter(name="Fremantle").exists()


def test_the_import_dry_run_lists_errors_then_imports_all_or_nothing(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    admin = client_as("body_admin")
    bad = (
        "organisation_reference,organisation_name,office,state,main\n"
        "BANK,Harbour Bank,Sydney HQ,NSW,yes\n"
        "BANK,,Perth,WA,\n"
    )

    def post(text: str, action: str) -> str:
        upload = SimpleUploadedFile("clients.csv", text.encode(), "text/csv")
        got = admin.post(
            "/audits/clients/import", {"body": aw.body.pk, "file": upload, "action": action}
        )
        return got.content.decode()

    page = post(bad, "import")
    assert 'data-row="3" data-ok="false"' in page and "BANK has no main office in WA" in page
    assert "Nothing was imported" in page
    assert not Organisation.objects.filter(reference="BANK").exists()
    good = bad.replace("Perth,WA,", "Perth,WA,yes")
    page = post(good, "check")
    assert "Every row can be imported" in page
    assert not Organisation.objects.filter(reference="BANK").exists()
    page = post(good, "import")
    assert "Imported: 1 new organisation" in page
    assert Organisation.objects.get(reference="BANK").offices.count() == 2
    page = post("nonsense,columns\n1,2\n", "check")
    assert "unknown column(s): nonsense, columns" in page


def _grow(aw: AuditWorld, org: Organisation, offices: int, divisions: int) -> None:
    admin = aw["body_admin"]
    for n in range(divisions):
        cl.division_create(by=admin, organisation=org, name=f"Division {n}")
    division_ids = list(org.divisions.values_list("pk", flat=True))
    for n in range(offices):
        cl.office_create(
            by=admin,
            organisation=org,
            data=svc.OfficeInput(
                f"Office {n}",
                f"S{n % 7}",
                is_main=n < 7,
                division_id=division_ids[n % len(division_ids)] if n % 2 else None,
                address=f"{n} Main St",
            ),
        )


def test_pages_run_the_same_queries_with_ten_times_the_rows(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    admin = client_as("body_admin")
    small = cl.organisation_add(by=aw["body_admin"], body=aw.body, name="Small", reference="S")
    large = cl.organisation_add(by=aw["body_admin"], body=aw.body, name="Large", reference="L")
    _grow(aw, small, 8, 2)
    _grow(aw, large, 80, 20)
    for path in ("edit", "", "offices/new"):
        few = page_queries(admin, f"/audits/organisations/{small.pk}/{path}")
        many = page_queries(admin, f"/audits/organisations/{large.pk}/{path}")
        assert few == many, path
    page = admin.get(f"/audits/organisations/{large.pk}/edit").content.decode()
    assert page.count("Main St") == 80
