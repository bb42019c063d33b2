"""The printable ICSS certificate (PDF with a QR code to the public register entry) and the
public register searched by organisation name or number.

Other Co is renamed "Café Zoë Łódź Services" and certified on 01/03/2013 beside Acme; Acme's
certificate is then withdrawn. The PDF is for those who may see the certificate (not public:
the register is the public check); the register lists current and withdrawn certificates.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assay.audits import services as svc
from assay.audits.certificates import MARK, certificate_withdraw
from assay.audits.models import AuditDecision, Certificate, Organisation
from assay.audits.pdf import certificate_pdf, register_url
from assay.engines.text import fold
from tests.audits.world import AuditWorld
from tests.audits_web.test_certificate_admin import certify

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]
UNICODE_NAME = "Café Zoë Łódź Services"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def certs(aw: AuditWorld, settings: Any) -> tuple[Certificate, Certificate]:
    """(Acme's certificate, withdrawn; the Unicode-named one, valid)."""
    settings.ASSAY_SITE_URL = "https://assay.example.org/"
    aw.other.name = UNICODE_NAME
    aw.other.save(update_fields=["name"])
    acme = certify(aw)
    cafe = certify(aw, aw.other)
    certificate_withdraw(by=aw["body_admin"], certificate=acme, reason="misuse of the mark")
    return acme, cafe


def test_fold_drops_case_and_accents() -> None:
    assert fold("  Café  ZOË Łódź ") == "cafe zoe lodz"
    assert fold("Straße") == "strasse"


def test_name_key_follows_the_name(aw: AuditWorld) -> None:
    aw.other.name = "Ça Va Œuvre"
    aw.other.save(update_fields=["name"])
    assert Organisation.objects.get(pk=aw.other.pk).name_key == "ca va oeuvre"


def test_pdf_prints_the_unicode_name_and_the_register_url(
    certs: tuple[Certificate, Certificate],
) -> None:
    _, cafe = certs
    url = f"https://assay.example.org/register/certificates/?number={cafe.number}"
    assert register_url(cafe.number) == url
    got = pdf_text(certificate_pdf(cafe))
    flat = " ".join(got.split())
    assert UNICODE_NAME in got
    assert cafe.number in flat and "Valid through: 28/02/2014" in flat
    assert "Status on 01/03/2013: valid" in flat
    assert MARK in flat and url in flat
    assert "WITHDRAWN" not in got


def test_pdf_of_a_withdrawn_certificate_says_so_and_has_no_mark(
    certs: tuple[Certificate, Certificate],
) -> None:
    acme, _ = certs
    got = " ".join(pdf_text(certificate_pdf(acme)).split())
    assert "WITHDRAWN on 01/03/2013: misuse of the mark" in got
    assert MARK not in " ".join(got.split())


def test_pdf_needs_dejavu(certs: tuple[Certificate, Certificate], tmp_path: Any) -> None:
    with pytest.raises(RuntimeError, match="DejaVu"):
        certificate_pdf(certs[1], font_dir=tmp_path)


def test_pdf_download_is_linked_and_not_public(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    _, cafe = certs
    page = client_as("body_admin").get(f"/audits/certificates/{cafe.number}/")
    link = f"/audits/certificates/{cafe.number}/certificate.pdf"
    assert link in page.content.decode()
    response = client_as("body_admin").get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"certificate-{cafe.number}.pdf" in response["Content-Disposition"]
    assert UNICODE_NAME in pdf_text(response.content)
    # Not public: anonymous visitors sign in; strangers get 404 like a missing certificate.
    assert client_as("anonymous").get(link).status_code == 302
    assert client_as("nobody").get(link).status_code == 404
    assert client_as("contact").get(link).status_code == 404  # Acme's contact, Other Co's cert
    assert client_as("body_admin").get(link.replace(cafe.number[-1], "Z")).status_code == 404
    assert client_as("body_admin").post(link).status_code == 405


# --- the register ----------------------------------------------------------------------------


def test_register_search_by_name_ignores_case_and_accents(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    acme, cafe = certs
    for query in ("cafe zoe", "CAFÉ", "lodz", "Łódź Serv"):
        page = text(client_as("anonymous").get("/register/certificates/", {"q": query}))
        assert cafe.number in page and acme.number not in page, query
        assert UNICODE_NAME in page


def test_register_search_by_number_and_withdrawn_marked(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    acme, cafe = certs
    response = client_as("anonymous").get("/register/certificates/", {"q": acme.number.lower()})
    page = text(response)
    assert response.status_code == 200
    assert acme.number in page and cafe.number not in page
    assert "register-withdrawn" in page and "WITHDRAWN" in page
    # a part of a number finds it too
    page = text(client_as("anonymous").get("/register/certificates/", {"q": cafe.number[5:16]}))
    assert cafe.number in page


def test_register_lists_current_and_withdrawn(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    acme, cafe = certs
    page = text(client_as("anonymous").get("/register/certificates/"))
    assert acme.number in page and cafe.number in page
    assert page.index("Acme Services") < page.index(UNICODE_NAME)  # by name
    assert page.count("register-withdrawn") == 1 and MARK not in page.split("register-list")[1]


def test_register_number_check_marks_withdrawn(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    acme, _ = certs
    response = client_as("anonymous").get("/register/certificates/", {"number": acme.number})
    assert response.status_code == 200
    assert 'id="register-withdrawn"' in response.content.decode()


def test_register_refuses_nonsense(certs: Any, client_as: Clients) -> None:
    anonymous = client_as("anonymous")
    assert anonymous.get("/register/certificates/", {"q": "\u200b"}).status_code == 400
    assert anonymous.get("/register/certificates/", {"q": "x" * 201}).status_code == 400
    assert anonymous.get("/register/certificates/", {"cursor": "forged"}).status_code == 400
    page = text(anonymous.get("/register/certificates/", {"q": "nothing like it"}))
    assert "No certificate matches." in page


def _clone_certificates(aw: AuditWorld, template: Certificate, n: int) -> None:
    """``n`` more certificates, each of its own organisation (rows written directly: the
    register reads only rows)."""
    for i in range(n):
        org = svc.organisation_create(
            by=aw["body_admin"], body=aw.body, name=f"Zoë Client {i}", reference=f"Z{i}"
        )
        audit = svc.audit_create(by=aw["body_admin"], organisation=org, standard=aw.standard)
        decision = AuditDecision.objects.create(
            audit=audit,
            certifiable=True,
            reasons=[],
            desirable=[],
            sites=[],
            scores={},
            decided_by=aw["decision_maker"],
            decided_on=template.issued_on,
        )
        Certificate.objects.create(
            number=f"CSI-2013-{i:06d}-A",
            audit=audit,
            decision=decision,
            organisation=org,
            scope_text=org.name,
            states=["SA"],
            standard_title=template.standard_title,
            issued_on=template.issued_on,
            expires_on=template.expires_on,
            issued_by=aw["decision_maker"],
            withdrawn_on=template.issued_on if i % 3 == 0 else None,
        )


def _queries(client: Client, params: dict[str, str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/register/certificates/", params)
    assert response.status_code == 200
    return len(ctx), response.content.decode().count('class="register-row')


def test_register_queries_do_not_grow(
    aw: AuditWorld, certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    anonymous = client_as("anonymous")
    before_all, rows_all = _queries(anonymous, {})
    before_name, rows_name = _queries(anonymous, {"q": "zoe"})
    assert (rows_all, rows_name) == (2, 1)
    _clone_certificates(aw, certs[1], 20)
    after_all, rows_all = _queries(anonymous, {"size": "50"})
    after_name, rows_name = _queries(anonymous, {"q": "ZOË", "size": "50"})
    assert (rows_all, rows_name) == (22, 21)
    assert (after_all, after_name) == (before_all, before_name)


def test_register_pages_with_a_cursor(
    aw: AuditWorld, certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    _clone_certificates(aw, certs[1], 5)
    anonymous = client_as("anonymous")
    seen: list[str] = []
    params = {"q": "zoe", "size": "2"}
    from assay.audits.selectors import register_search

    page = register_search("zoe", None, 2)
    while True:
        seen += [c.number for c in page]
        if page.next is None:
            break
        page = register_search("zoe", page.next, 2)
    assert len(seen) == len(set(seen)) == 6
    assert 'rel="next"' in text(anonymous.get("/register/certificates/", params))


# --- the API ---------------------------------------------------------------------------------


def test_register_search_over_the_api(
    certs: tuple[Certificate, Certificate], client_as: Clients
) -> None:
    acme, cafe = certs
    anonymous = client_as("anonymous")
    got = anonymous.get("/api/v1/public/certificates", {"q": "CAFE ZOE"}).json()
    assert [(c["number"], c["organisation"], c["status"]) for c in got["items"]] == [
        (cafe.number, UNICODE_NAME, "valid")
    ]
    got = anonymous.get("/api/v1/public/certificates", {"q": acme.number}).json()
    assert [(c["number"], c["status"], c["mark"]) for c in got["items"]] == [
        (acme.number, "withdrawn", None)
    ]
    assert len(anonymous.get("/api/v1/public/certificates").json()["items"]) == 2
    assert anonymous.get("/api/v1/public/certificates", {"q": "x" * 201}).status_code == 422
    assert anonymous.get("/api/v1/public/certificates", {"q": "\u200b"}).status_code in (400, 422)


def test_pdf_over_the_api(certs: tuple[Certificate, Certificate], client_as: Clients) -> None:
    _, cafe = certs
    url = f"/api/v1/certificates/{cafe.number}/certificate.pdf"
    response = client_as("body_admin").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert UNICODE_NAME in pdf_text(response.content)
    assert client_as("anonymous").get(url).status_code == 401
    assert client_as("nobody").get(url).status_code == 404


def test_a_long_name_still_fits_one_page(certs: tuple[Certificate, Certificate]) -> None:
    _, cafe = certs
    cafe.organisation.name = "Ærøskøbing Ünïcödé Customer Service Organisation " * 4
    cafe.scope_text = cafe.organisation.name
    data = certificate_pdf(cafe)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert "Ærøskøbing" in pdf_text(data)


# --- the CLI ---------------------------------------------------------------------------------


def test_register_and_pdf_from_the_cli(
    certs: tuple[Certificate, Certificate], tmp_path: Any
) -> None:
    from tests.audits.test_audit_cli import run

    acme, cafe = certs
    code, out, err = run("audits", "register", "cafe")
    assert code == 0, err
    assert out.splitlines() == [f"{cafe.number}\t{UNICODE_NAME}\t28/02/2014\tvalid"]
    code, out, _ = run("audits", "register", "--json")
    assert [(c["number"], c["status"]) for c in json.loads(out)] == [
        (acme.number, "withdrawn"),
        (cafe.number, "valid"),
    ]
    target = tmp_path / "c.pdf"
    code, out, err = run(
        "audits", "certificate-pdf", cafe.number, "-o", str(target), "--as", "contact_other"
    )
    assert code == 0, err
    assert UNICODE_NAME in pdf_text(target.read_bytes())
    code, _, _ = run("audits", "certificate-pdf", cafe.number, "-o", str(target), "--as", "contact")
    assert code != 0
