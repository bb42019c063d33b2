"""A certifying body's clients (issue 15): the services one at a time, the import's dry run and
all-or-nothing import, and the API's denials (another body's organisation 404, wrong role 403,
non-object bodies and unknown fields refused)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.accounts.services import token_create
from assay.audits import clients as cl
from assay.audits import services as svc
from assay.audits.models import Division, Office, Organisation
from assay.errors import InvalidInput, NotAllowed
from tests.audits.world import AuditWorld, to_fieldwork

pytestmark = pytest.mark.django_db
API = "/api/v1/"

GOOD = (
    "organisation_reference,organisation_name,division,office,state,main,division_main,"
    "address,complaints\n"
    "BANK,Harbour Bank,,Sydney HQ,NSW,yes,,1 George St,3\n"
    "BANK,,,Penrith,nsw,,,,\n"
    "BANK,,Retail,Hobart,TAS,yes,yes,,0\n"
    "BANK,,Retail,Launceston,TAS,,,,\n"
)


def rows(text: str) -> list[Any]:
    return cl.read_rows(io.BytesIO(text.encode()), name="clients.csv")


# --- services -----------------------------------------------------------------------------------


def test_create_and_edit_an_organisation(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    org = cl.organisation_add(by=admin, body=aw.body, name=" Harbour Bank ", reference="HB")
    assert (org.name, org.reference, org.body_id) == ("Harbour Bank", "HB", aw.body.pk)
    cl.organisation_edit(by=admin, organisation=org, name="Harbour Bank Ltd", reference="HBL")
    org.refresh_from_db()
    assert (org.name, org.reference) == ("Harbour Bank Ltd", "HBL")


@pytest.mark.parametrize(
    ("name", "reference", "field"),
    [
        ("", "X1", "name"),
        ("\u200b ", "X1", "name"),  # invisible only
        ("Bad\x07Bell", "X1", "name"),  # control character
        ("Fine", "ACME", "reference"),  # duplicate of Acme's
        ("Fine", "R" * 33, "reference"),
    ],
)
def test_bad_organisations_are_refused(
    aw: AuditWorld, name: str, reference: str, field: str
) -> None:
    before = Organisation.objects.count()
    with pytest.raises(InvalidInput) as refused:
        cl.organisation_add(by=aw["body_admin"], body=aw.body, name=name, reference=reference)
    assert field in refused.value.errors
    assert Organisation.objects.count() == before
    with pytest.raises(InvalidInput):
        cl.organisation_edit(
            by=aw["body_admin"], organisation=aw.other, name=name, reference=reference
        )


@pytest.mark.parametrize("role", ["auditor", "decision_maker", "contact", "nobody"])
def test_only_administrators_edit_clients(aw: AuditWorld, role: str) -> None:
    with pytest.raises(NotAllowed):
        cl.organisation_edit(by=aw[role], organisation=aw.acme, name="X", reference="ACME")
    with pytest.raises(NotAllowed):
        cl.office_create(
            by=aw[role], organisation=aw.acme, data=svc.OfficeInput("Darwin", "NT", True)
        )


def test_offices_divisions_and_the_main_office_rule(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    darwin = cl.office_create(
        by=admin,
        organisation=aw.acme,
        data=svc.OfficeInput("Darwin", "nt", address="1 Mitchell St\nDarwin"),
    )
    assert darwin.state == "NT"
    gaps = cl.main_office_gaps(aw.acme.offices.all(), {})
    assert gaps == [
        "NT has no main office: the audit sample needs the main office of every State or "
        "Territory (mark one)"
    ]
    with pytest.raises(InvalidInput) as second:
        cl.office_edit(
            by=admin,
            office=aw.offices["Parramatta"],
            data=svc.OfficeInput("Parramatta", "NSW", True),
        )
    assert "Sydney is Acme Services's main office in NSW" in second.value.errors["is_main"]
    cl.office_edit(by=admin, office=darwin, data=svc.OfficeInput("Darwin", "NT", True))
    assert cl.main_office_gaps(aw.acme.offices.all(), {}) == []
    retail = aw.extra["retail"]
    cl.division_rename(by=admin, division=retail, name="Retail banking")
    assert Division.objects.get(pk=retail.pk).name == "Retail banking"
    with pytest.raises(InvalidInput):
        cl.division_create(by=admin, organisation=aw.acme, name="Retail banking")
    with pytest.raises(InvalidInput) as bad:
        cl.office_create(by=admin, organisation=aw.acme, data=svc.OfficeInput("X", "N\x00SW"))
    assert "state" in bad.value.errors
    with pytest.raises(InvalidInput) as bad:
        cl.office_create(
            by=admin, organisation=aw.acme, data=svc.OfficeInput("Y", "SA", address="a\x1bb")
        )
    assert "control character" in bad.value.errors["address"]


def test_a_sampled_office_keeps_its_name_and_state(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    sydney = aw.offices["Sydney"]
    with pytest.raises(InvalidInput) as refused:
        cl.office_edit(
            by=aw["body_admin"], office=sydney, data=svc.OfficeInput("Sydney CBD", "NSW", True)
        )
    assert "sampled this office" in refused.value.errors["name"]
    cl.office_edit(
        by=aw["body_admin"],
        office=sydney,
        data=svc.OfficeInput("Sydney", "NSW", True, address="2 Pitt St", complaints=4),
    )
    sydney.refresh_from_db()
    assert (sydney.address, sydney.complaints) == ("2 Pitt St", 4)


# --- import -----------------------------------------------------------------------------------


def test_import_dry_run_changes_nothing_then_imports(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    check = cl.import_check(by=admin, body=aw.body, rows=rows(GOOD))
    assert check.ok and not check.imported
    assert check.organisations == ("BANK",) and check.divisions == 1 and check.offices == 4
    assert not Organisation.objects.filter(reference="BANK").exists()
    done = cl.import_clients(by=admin, body=aw.body, rows=rows(GOOD))
    assert done.imported
    bank = Organisation.objects.get(reference="BANK")
    assert bank.name == "Harbour Bank" and bank.body_id == aw.body.pk
    offices = {o.name: o for o in bank.offices.select_related("division")}
    assert offices["Penrith"].state == "NSW" and not offices["Penrith"].is_main
    assert offices["Hobart"].is_division_main and offices["Hobart"].division.name == "Retail"
    assert offices["Sydney HQ"].address == "1 George St" and offices["Sydney HQ"].complaints == 3


def test_every_rows_errors_with_row_column_and_message(aw: AuditWorld) -> None:
    text = (
        "organisation_reference,organisation_name,division,office,state,main,division_main,"
        "address,complaints\n"
        "BANK,Harbour Bank,,Sydney HQ,NSW,yes,,,\n"  # 2: fine
        "BANK,,,Sydney HQ,NSW,,,,\n"  # 3: duplicate office name
        "BANK,,,Perth,WA,,,,\n"  # 4: no main office in WA
        "BANK,,,Bell\x07,QLD,maybe,,,-1\n"  # 5: control char, flag, complaints, no main
        "OTHER,Other Company,,Cairns,QLD,,,,\n"  # 6: existing organisation, other name
        ",,,Nowhere,SA,yes,,,\n"  # 7: no reference
        "ACME,,,Sydney,NSW,,,,\n"  # 8: Acme already has Sydney
    )
    check = cl.import_check(by=aw["body_admin"], body=aw.body, rows=rows(text))
    assert not check.ok
    by_row = {r.row_number: [(e.column, e.message) for e in r.errors] for r in check.rows}
    assert by_row[2] == []
    assert by_row[3] == [("office", "duplicate of row 2 (same office name)")]
    assert by_row[4] == [
        (
            "main",
            "BANK has no main office in WA: the audit sample needs the main office of every "
            "State or Territory (mark one row main=yes)",
        )
    ]
    columns5 = [c for c, _ in by_row[5]]
    assert columns5 == ["main", "office", "complaints", "main"]
    assert "control character U+0007" in by_row[5][1][1]
    assert by_row[6] == [
        (
            "organisation_name",
            "OTHER is 'Other Co': leave the name empty or write it as it is (rename it on its "
            "page)",
        )
    ]
    assert by_row[7] == [("organisation_reference", "give the reference")]
    assert by_row[8] == [("office", "Acme Services already has an office 'Sydney'")]
    before = Office.objects.count(), Organisation.objects.count(), Division.objects.count()
    with pytest.raises(InvalidInput) as refused:
        cl.import_clients(by=aw["body_admin"], body=aw.body, rows=rows(text))
    assert refused.value.errors["row 3: office"] == "duplicate of row 2 (same office name)"
    after = Office.objects.count(), Organisation.objects.count(), Division.objects.count()
    assert after == before  # all or nothing: row 2 was fine and is not imported either


def test_import_adds_offices_to_an_existing_client_and_refuses_another_bodys(
    aw: AuditWorld,
) -> None:
    operator = aw["operator"]
    rival = svc.body_create(by=operator, name="Rival", reference="RIV")
    svc.body_role_grant(by=operator, body=rival, user=aw["nobody"], role="administrator")
    text = (
        "organisation_reference,organisation_name,office,state,main\n"
        "ACME,Acme Services,Darwin,NT,yes\n"
    )
    refused = cl.import_check(by=aw["nobody"], body=rival, rows=rows(text))
    assert [e.message for _, e in refused.errors] == ["'ACME' is another organisation's reference"]
    cl.import_clients(by=aw["body_admin"], body=aw.body, rows=rows(text))
    assert aw.acme.offices.get(name="Darwin").is_main
    with pytest.raises(NotAllowed):
        cl.import_check(by=aw["auditor"], body=aw.body, rows=rows(text))


def test_import_reads_xlsx_and_refuses_a_bad_header(aw: AuditWorld) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    got = cl.read_rows(buffer, name="clients.xlsx")
    assert cl.import_check(by=aw["body_admin"], body=aw.body, rows=got).ok
    with pytest.raises(InvalidInput) as bad:
        cl.read_rows(io.BytesIO(b"org,office\nA,B\n"), name="x.csv")
    assert "unknown column(s): org" in bad.value.errors["file"]


# --- API ----------------------------------------------------------------------------------------


def api(w: AuditWorld, role: str, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": "Bearer " + token_create(user=w[role])[1]}
    client = Client()
    if "files" in kw:
        return client.post(API + path, kw["files"], **headers)
    if method == "get":
        return client.get(API + path, **headers)
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(API + path, data, content_type="application/json", **headers)


def test_api_creates_and_edits_a_client(aw: AuditWorld) -> None:
    made = api(
        aw, "body_admin", "post", "organisations", {"name": "Harbour Bank", "reference": "HB"}
    )
    assert made.status_code == 201, made.json()
    org = made.json()["id"]
    got = api(
        aw, "body_admin", "post", f"organisations/{org}/offices", {"name": "Perth", "state": "WA"}
    )
    assert got.status_code == 201
    assert got.json()["warnings"][0].startswith("WA has no main office")
    office = got.json()["offices"][0]["id"]
    got = api(
        aw,
        "body_admin",
        "patch",
        f"organisations/{org}/offices/{office}",
        {"is_main": True, "address": "1 Hay St"},
    )
    assert got.status_code == 200 and got.json()["warnings"] == []
    assert got.json()["offices"][0]["address"] == "1 Hay St"
    got = api(aw, "body_admin", "post", f"organisations/{org}/divisions", {"name": "Retail"})
    division = got.json()["divisions"][0]["id"]
    got = api(
        aw, "body_admin", "patch", f"organisations/{org}/divisions/{division}", {"name": "Shops"}
    )
    assert got.json()["divisions"][0]["name"] == "Shops"
    got = api(aw, "body_admin", "patch", f"organisations/{org}", {"name": "Harbour Bank Ltd"})
    assert got.status_code == 200 and got.json()["reference"] == "HB"
    assert got.json()["name"] == "Harbour Bank Ltd"
    # The reads of /organisations still answer on the same paths.
    assert api(aw, "body_admin", "get", "organisations").status_code == 200
    assert api(aw, "body_admin", "get", f"organisations/{org}").status_code == 200


@pytest.mark.parametrize("body", ["42", "null", "[]", '"x"', '{"name": "X", "colour": "red"}'])
def test_api_refuses_non_objects_and_unknown_fields(aw: AuditWorld, body: str) -> None:
    got = api(aw, "body_admin", "patch", f"organisations/{aw.acme.pk}", body)
    assert got.status_code == 422
    aw.acme.refresh_from_db()
    assert aw.acme.name == "Acme Services"


def test_api_denials(aw: AuditWorld) -> None:
    operator = aw["operator"]
    rival = svc.body_create(by=operator, name="Rival", reference="RIV")
    svc.body_role_grant(by=operator, body=rival, user=aw["nobody"], role="administrator")
    hidden = cl.organisation_add(by=aw["nobody"], body=rival, name="Secret", reference="SEC")
    office = {"name": "Darwin", "state": "NT"}
    # Another body's organisation answers 404 like a missing one, for every write.
    for method, path, body in [
        ("patch", f"organisations/{hidden.pk}", {"name": "Mine"}),
        ("post", f"organisations/{hidden.pk}/offices", office),
        ("post", f"organisations/{hidden.pk}/divisions", {"name": "D"}),
        ("patch", "organisations/999999", {"name": "Mine"}),
    ]:
        assert api(aw, "body_admin", method, path, body).status_code == 404, path
    # Who sees Acme without the role answers 403; who does not see it 404.
    for role, status in [
        ("auditor", 403),
        ("decision_maker", 403),
        ("contact", 403),
        ("contact_other", 404),
        ("auditor_other", 404),
        ("nobody", 404),
    ]:
        got = api(aw, role, "patch", f"organisations/{aw.acme.pk}", {"name": "Mine"})
        assert got.status_code == status, role
        got = api(aw, role, "post", f"organisations/{aw.acme.pk}/offices", office)
        assert got.status_code == status, role
    # Adding a client: the body's other roles 403, a body one holds no role at 404.
    assert (
        api(aw, "auditor", "post", "organisations", {"name": "A", "reference": "A1"}).status_code
        == 403
    )
    got = api(
        aw,
        "body_admin",
        "post",
        "organisations",
        {"name": "A", "reference": "A1", "body": rival.pk},
    )
    assert got.status_code == 404
    aw.acme.refresh_from_db()
    assert aw.acme.name == "Acme Services" and not Office.objects.filter(name="Darwin").exists()


def test_api_import_dry_run_then_import(aw: AuditWorld) -> None:
    bad = GOOD.replace("Penrith,nsw", "Penrith,N\x01W")

    def upload(text: str) -> dict[str, Any]:
        return {"file": SimpleUploadedFile("clients.csv", text.encode(), "text/csv")}

    got = api(aw, "body_admin", "post", "client-imports?dry_run=true", files=upload(bad))
    assert got.status_code == 200
    answer = got.json()
    assert not answer["ok"] and not answer["imported"]
    assert next(e for r in answer["rows"] for e in r["errors"])["row"] == 3
    assert api(aw, "body_admin", "post", "client-imports", files=upload(bad)).status_code == 422
    assert not Organisation.objects.filter(reference="BANK").exists()
    got = api(aw, "body_admin", "post", "client-imports", files=upload(GOOD))
    assert got.status_code == 201 and got.json()["imported"]
    assert Organisation.objects.get(reference="BANK").offices.count() == 4
    got = api(aw, "auditor", "post", "client-imports?dry_run=true", files=upload(GOOD))
    assert got.status_code == 403
