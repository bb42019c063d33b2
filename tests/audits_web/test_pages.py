"""Each audit page for the role it is made for: what it shows and what it changes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.audits.models import (
    Audit,
    AuditDecision,
    Certificate,
    SampleDraw,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.audits.pages.audit import audit_overview
from assay.audits.standards import standard_of
from tests.audits.world import (
    AuditWorld,
    close_and_decide,
    close_fieldwork,
    sampled_offices,
    score_all,
    to_fieldwork,
)

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_index_lists_what_the_user_may_see(aw: AuditWorld, client_as: Clients) -> None:
    page = text(client_as("contact").get("/audits/"))
    assert "Acme Services" in page and "Other Co" not in page
    assert "Plan an audit" not in page
    admin = text(client_as("body_admin").get("/audits/"))
    assert "Other Co" in admin and "Plan an audit" in admin


def test_nav_link_only_for_audit_roles(aw: AuditWorld, client_as: Clients) -> None:
    assert 'href="/audits/"' in text(client_as("auditor").get("/catalogue/"))
    assert 'href="/audits/"' in text(client_as("contact").get("/catalogue/"))
    assert 'href="/audits/"' not in text(client_as("nobody").get("/catalogue/"))


def test_standards_tree_shows_the_illustrative_notice(aw: AuditWorld, client_as: Clients) -> None:
    page = text(client_as("body_admin").get("/audits/standards/"))
    assert "Illustrative attribute set" in page
    st = standard_of(aw.standard)
    assert all(a.title in page for a in st.attributes)
    assert "Intention (0–2)" in page and "Integration (6–10)" in page


def test_organisation_page_groups_offices_by_state(aw: AuditWorld, client_as: Clients) -> None:
    page = text(client_as("body_admin").get(f"/audits/organisations/{aw.acme.pk}/"))
    assert re.search(r"NSW.*4 offices", page, re.S)
    assert "Retail" in page and "division's main office" in page


def test_admin_plans_a_division_audit(aw: AuditWorld, client_as: Clients) -> None:
    retail = aw.extra["retail"]
    response = client_as("body_admin").post(
        "/audits/new",
        {
            "kind": "initial",
            "organisation": aw.acme.pk,
            "division": retail.pk,
            "standard": aw.standard.pk,
        },
    )
    audit = Audit.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/audits/{audit.pk}/"
    assert audit.division == retail and audit.kind == "initial"


def test_planning_a_division_of_another_organisation_changes_nothing(
    aw: AuditWorld, client_as: Clients
) -> None:
    before = Audit.objects.count()
    response = client_as("body_admin").post(
        "/audits/new",
        {
            "kind": "initial",
            "organisation": aw.other.pk,
            "division": aw.extra["retail"].pk,
            "standard": aw.standard.pk,
        },
    )
    assert response.status_code == 400 and Audit.objects.count() == before
    assert "not one of Other Co" in text(response)


def test_re_certification_needs_the_audit_it_follows(aw: AuditWorld, client_as: Clients) -> None:
    response = client_as("body_admin").post("/audits/new", {"kind": "recertification"})
    assert response.status_code == 400
    assert "Choose the decided audit to re-certify." in text(response)


def test_sample_is_drawn_once_and_verified(aw: AuditWorld, client_as: Clients) -> None:
    admin = client_as("body_admin")
    assert "Draw the sample" in text(admin.get(f"/audits/{aw.audit.pk}/"))
    before = text(admin.get(f"/audits/{aw.audit.pk}/sample/"))
    assert 'id="sample-rule-next"' in before and "(Assay's reading)" in before
    assert "IAF MD 1 does not itself say" in before
    response = admin.post(f"/audits/{aw.audit.pk}/sample/")
    assert response.status_code == 302
    draw = SampleDraw.objects.get(audit=aw.audit)
    page = text(admin.get(f"/audits/{aw.audit.pk}/sample/"))
    assert str(draw.seed) in page
    assert 'id="sample-rule">Per state: square root of each state' in page
    for pick in draw.picks.all():
        assert pick.reason in page
    verify = text(admin.get(f"/audits/{aw.audit.pk}/sample/verify", HTTP_HX_REQUEST="true"))
    assert "Verified:" in verify and str(draw.seed) in verify
    again = admin.post(f"/audits/{aw.audit.pk}/sample/")
    assert again.status_code == 400 and "drawn once" in text(again)


def test_sample_verify_reports_a_tampered_draw(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    SampleDraw.objects.filter(audit=aw.audit).update(seed=1)
    verify = text(client_as("body_admin").get(f"/audits/{aw.audit.pk}/sample/verify"))
    assert "Mismatch:" in verify


def test_contact_self_assesses_with_band_help(aw: AuditWorld, client_as: Clients) -> None:
    client_as("body_admin").post(f"/audits/{aw.audit.pk}/advance", {"to": "self_assessment"})
    contact = client_as("contact")
    page = text(contact.get(f"/audits/{aw.audit.pk}/self-assessment/"))
    assert "Save self-assessment" in page and "Illustrative attribute set" in page
    assert "evidence exists" in page.lower()  # the 3 I band descriptions as help
    st = standard_of(aw.standard)
    first, second = st.attributes[0].code, st.attributes[1].code
    response = contact.post(
        f"/audits/{aw.audit.pk}/self-assessment/",
        {f"score-{first}": "8", f"note-{first}": "we measure it", f"score-{second}": ""},
    )
    assert response.status_code == 302
    row = SelfAssessment.objects.get(audit=aw.audit)
    assert (row.attribute, row.score, row.note) == (first, 8, "we measure it")
    # The same form again records no new row; a score off the scale changes nothing.
    contact.post(
        f"/audits/{aw.audit.pk}/self-assessment/",
        {f"score-{first}": "8", f"note-{first}": "we measure it"},
    )
    bad = contact.post(
        f"/audits/{aw.audit.pk}/self-assessment/", {f"score-{first}": "11", f"score-{second}": "5"}
    )
    assert bad.status_code == 400 and SelfAssessment.objects.count() == 1
    assert 'value="11"' in text(bad)


def test_auditor_scores_a_site_and_uploads_evidence(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    office = sampled_offices(aw.audit)[0]
    auditor = client_as("auditor")
    url = f"/audits/{aw.audit.pk}/sites/{office}/"
    page = text(auditor.get(url))
    assert "Save scores at" in page and "data-bands" in page
    st = standard_of(aw.standard)
    code = st.attributes[0].code
    response = auditor.post(url, {f"score-{code}": "2", f"notes-{code}": "no log kept"})
    assert response.status_code == 302
    assert SiteScore.objects.get().score == 2
    assert "Intention</output>" in text(auditor.get(url))
    upload = SimpleUploadedFile("log.txt", b"complaints log\n", content_type="text/plain")
    response = auditor.post(url + "evidence", {"attribute": code, "file": upload})
    assert response.status_code == 302
    stored = SiteEvidenceFile.objects.get()
    assert stored.attribute == code and len(stored.sha256) == 64
    assert "log.txt" in text(auditor.get(url))
    download = client_as("contact").get(f"/audits/{aw.audit.pk}/evidence/{stored.pk}/")
    assert b"".join(download.streaming_content) == b"complaints log\n"  # type: ignore[attr-defined]
    assert 'filename="log.txt"' in download["Content-Disposition"]


def test_a_score_off_the_scale_changes_nothing(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    office = sampled_offices(aw.audit)[0]
    codes = [a.code for a in standard_of(aw.standard).attributes]
    response = client_as("auditor").post(
        f"/audits/{aw.audit.pk}/sites/{office}/",
        {f"score-{codes[0]}": "7", f"score-{codes[1]}": "12"},
    )
    assert response.status_code == 400 and not SiteScore.objects.exists()
    assert codes[1] in text(response)


def test_results_page_shows_bands_gaps_and_radar(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    page = text(client_as("contact").get(f"/audits/{aw.audit.pk}/results/"))
    assert "<svg" in page and "Management expectation" in page
    assert "Integration" in page and "Illustrative attribute set" in page
    assert f"/api/v1/audits/{aw.audit.pk}/results" in page


def test_reports_download(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    contact = client_as("contact")
    pdf = contact.get(f"/audits/{aw.audit.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = contact.get(f"/audits/{aw.audit.pk}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_decision_shows_reasons_then_records_and_certificate(
    aw: AuditWorld, client_as: Clients
) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    dm = client_as("decision_maker")
    preview = text(dm.get(f"/audits/{aw.audit.pk}/decision/"))
    assert "certifiable" in preview and "Confirm and record the decision" not in preview
    assert not AuditDecision.objects.exists()
    assert "Fieldwork is not closed" in preview
    closed = client_as("auditor").post(f"/audits/{aw.audit.pk}/close", {"summary": "All seen"})
    assert closed.status_code == 302
    assert "Fieldwork closed" in text(dm.get(f"/audits/{aw.audit.pk}/"))
    missing = dm.post(f"/audits/{aw.audit.pk}/decision/")
    assert missing.status_code == 400 and "rationale" in text(missing)
    done = dm.post(
        f"/audits/{aw.audit.pk}/decision/",
        {"rationale": "Scores seen at every site", "conditions": "Keep the log"},
    )
    assert done.status_code == 302
    page = text(dm.get(f"/audits/{aw.audit.pk}/decision/"))
    assert "Scores seen at every site" in page and "Keep the log" in page
    assert AuditDecision.objects.get().certifiable
    response = dm.post(f"/audits/{aw.audit.pk}/certificate")
    certificate = Certificate.objects.get()
    assert response["Location"] == f"/audits/certificates/{certificate.number}/"
    page = text(client_as("contact").get(response["Location"]))
    assert "Certified Customer Service Organization" in page and "valid" in page


def test_refused_decision_lists_the_intention_reason(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    st = standard_of(aw.standard)
    mandatory = next(a for a in st.attributes if a.mandatory)
    score_all(aw, 7, overrides={("Sydney", mandatory.code): 1})
    dm = client_as("decision_maker")
    assert "not certifiable" in text(dm.get(f"/audits/{aw.audit.pk}/decision/"))
    close_fieldwork(aw.audit)
    dm.post(f"/audits/{aw.audit.pk}/decision/", {"rationale": "Sydney at Intention"})
    assert not AuditDecision.objects.get().certifiable
    page = text(dm.get(f"/audits/{aw.audit.pk}/"))
    assert "Issue the certificate" not in page
    assert dm.post(f"/audits/{aw.audit.pk}/certificate").status_code == 400
    assert not Certificate.objects.exists()


def test_public_register(aw: AuditWorld, client_as: Clients) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    close_fieldwork(aw.audit)
    client_as("decision_maker").post(f"/audits/{aw.audit.pk}/decision/", {"rationale": "ok"})
    client_as("decision_maker").post(f"/audits/{aw.audit.pk}/certificate")
    number = Certificate.objects.get().number
    page = text(Client().get("/register/certificates/", {"number": number.lower()}))
    assert number in page and "Acme Services" in page and "valid" in page
    assert "NSW" in page
    for private in ("decision_maker", "auditor", "seen at", "Sydney"):
        assert private not in page
    wrong = number[:-1] + ("A" if number[-1] != "A" else "B")
    missing = Client().get("/register/certificates/", {"number": wrong})
    assert missing.status_code == 404 and "check the letters" in text(missing)


@pytest.mark.parametrize(
    ("role", "acts"),
    [
        ("body_admin", {"open_self_assessment", "assign", "draw_sample"}),
        ("auditor", {"draw_sample"}),
        ("decision_maker", set()),
        ("contact", set()),
    ],
)
def test_each_role_is_offered_only_its_own_next_steps(
    aw: AuditWorld, role: str, acts: set[str]
) -> None:
    assert audit_overview(aw[role], aw.audit.pk).acts == acts


def test_steps_follow_the_status(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    assert audit_overview(aw["auditor"], aw.audit.pk).acts == {"score", "close_fieldwork"}
    assert audit_overview(aw["decision_maker"], aw.audit.pk).acts == {"decision"}
    assert audit_overview(aw["contact"], aw.audit.pk).acts == set()
    score_all(aw, 7)
    close_and_decide(aw["decision_maker"], aw.audit)
    assert audit_overview(aw["body_admin"], aw.audit.pk).acts == {
        "decision",
        "certify",
        "recertify",
    }
