"""Planning an audit names the organisation, division and audit to re-certify by typing (with
at most 20 htmx suggestions) instead of choosing from lists of every client (issue 12): the
page costs the same queries and shows none of the clients with 3 or 60 organisations; the
form resolves what was typed among what the administrator may plan, and says so clearly when
nothing matches, changing nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from assay.audits import services as svc
from assay.audits.models import Audit, Organisation
from assay.audits.pages.home import SUGGESTIONS
from tests.audits.test_cycle import decided
from tests.audits.test_lists import other_body
from tests.audits.world import AuditWorld
from tests.keyset_walk import page_queries

pytestmark = pytest.mark.django_db
SUGGEST = "/audits/new/suggest"


def _admin(aw: AuditWorld) -> Client:
    client = Client()
    client.force_login(aw["body_admin"])
    return client


def _clients(aw: AuditWorld, start: int, n: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(body=aw.body, name=f"Client {i:03d}", reference=f"CL{i:03d}")
        for i in range(start, start + n)
    )


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', html)


def test_the_page_costs_the_same_queries_and_lists_no_clients_for_3_or_60(
    aw: AuditWorld,
) -> None:
    admin = _admin(aw)
    _clients(aw, 0, 1)  # Acme, Other Co and one client: 3
    few = page_queries(admin, "/audits/new")
    small = admin.get("/audits/new").content.decode()
    _clients(aw, 1, 57)
    assert Organisation.objects.filter(body=aw.body).count() == 60
    assert page_queries(admin, "/audits/new") == few
    large = admin.get("/audits/new").content.decode()
    assert "Client 000" not in large and "Acme Services" not in large
    assert len(large) == len(small)
    assert 'list="organisation-options"' in large and f'hx-get="{SUGGEST}"' in large


def test_suggestions_are_bounded_and_narrowed(aw: AuditWorld) -> None:
    _clients(aw, 0, 40)
    other_body(aw)  # "Far Away", another body's client
    admin = _admin(aw)
    first = _options(admin.get(f"{SUGGEST}?field=organisation&organisation=").content.decode())
    assert len(first) == SUGGESTIONS and first[0] == "Acme Services (ACME)"
    some = _options(
        admin.get(f"{SUGGEST}?field=organisation&organisation=client 01").content.decode()
    )
    assert some == [f"Client {i:03d} (CL{i:03d})" for i in range(10, 20)]
    assert _options(
        admin.get(f"{SUGGEST}?field=organisation&organisation=cl039").content.decode()
    ) == ["Client 039 (CL039)"]
    assert (
        _options(admin.get(f"{SUGGEST}?field=organisation&organisation=far").content.decode()) == []
    )
    divisions = admin.get(
        f"{SUGGEST}?field=division&organisation=Acme Services (ACME)&division="
    ).content.decode()
    assert _options(divisions) == ["Retail"]
    unknown = admin.get(f"{SUGGEST}?field=division&organisation=nobody&division=").content.decode()
    assert _options(unknown) == []
    assert admin.get(f"{SUGGEST}?field=password").status_code == 400


def test_suggestions_name_the_decided_audits_to_re_certify(aw: AuditWorld) -> None:
    admin = _admin(aw)
    assert _options(admin.get(f"{SUGGEST}?field=previous&previous=").content.decode()) == []
    decided(aw)
    listed = admin.get(f"{SUGGEST}?field=previous&previous=acme").content.decode()
    assert _options(listed) == [str(aw.audit.pk)] and "Acme Services (whole organisation)" in listed
    assert _options(admin.get(f"{SUGGEST}?field=previous&previous={aw.audit.pk}").content.decode())


@pytest.mark.parametrize("typed", ["Acme Services (ACME)", "ACME", "acme services", "{pk}"])
def test_the_organisation_may_be_typed_any_way_the_page_shows_it(
    aw: AuditWorld, typed: str
) -> None:
    response = _admin(aw).post(
        "/audits/new",
        {
            "kind": "initial",
            "organisation": typed.format(pk=aw.acme.pk),
            "division": "retail",
            "standard": aw.standard.pk,
        },
    )
    audit = Audit.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/audits/{audit.pk}/"
    assert audit.organisation == aw.acme and audit.division == aw.extra["retail"]


@pytest.mark.parametrize(
    ("typed", "division", "message"),
    [
        ("Far Away", "", "No organisation you plan audits for matches &#x27;Far Away&#x27;"),
        ("{far}", "", "No organisation you plan audits for matches"),
        ("Acme Servic", "", "No organisation you plan audits for matches"),
        ("", "", "Choose the organisation."),
        ("ACME", "Wholesale", "Acme Services has no division called &#x27;Wholesale&#x27;."),
    ],
)
def test_what_matches_nothing_is_refused_clearly(
    aw: AuditWorld, typed: str, division: str, message: str
) -> None:
    other_body(aw)
    far = Organisation.objects.get(reference="FAR")
    before = Audit.objects.count()
    response = _admin(aw).post(
        "/audits/new",
        {
            "kind": "initial",
            "organisation": typed.format(far=far.pk),
            "division": division,
            "standard": aw.standard.pk,
        },
    )
    assert response.status_code == 400 and Audit.objects.count() == before
    assert message in response.content.decode()


def test_a_name_two_organisations_share_asks_for_the_reference(aw: AuditWorld) -> None:
    svc.organisation_create(
        by=aw["body_admin"], body=aw.body, name="Acme Services", reference="AC2"
    )
    response = _admin(aw).post(
        "/audits/new",
        {"kind": "initial", "organisation": "Acme Services", "standard": aw.standard.pk},
    )
    assert response.status_code == 400
    assert "give its reference" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twelve", "Give the audit&#x27;s number"),
        ("{pk}", "is not a decided audit of yours waiting for re-certification"),
    ],
)
def test_re_certifying_an_audit_that_is_not_due_is_refused(
    aw: AuditWorld, typed: str, message: str
) -> None:
    before = Audit.objects.count()
    response = _admin(aw).post(
        "/audits/new", {"kind": "recertification", "previous": typed.format(pk=aw.audit.pk)}
    )
    assert response.status_code == 400 and Audit.objects.count() == before
    assert message in response.content.decode()


def test_a_decided_audit_is_re_certified_by_its_number(aw: AuditWorld) -> None:
    decided(aw)
    response = _admin(aw).post(
        "/audits/new", {"kind": "recertification", "previous": f"Audit {aw.audit.pk}"}
    )
    again = Audit.objects.latest("pk")
    assert response.status_code == 302 and again.previous == aw.audit
