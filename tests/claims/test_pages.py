"""The claims pages and the certificate PDF: the centre administrator's ready list, claim
and batch; the awarding body's queue, approve, reject and revoke; the EV's sample; the
candidate's home page with the certificate; and the denials."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assay.claims.models import Certificate, Claim, ClaimStatus
from assay.claims.pdf import certificate_pdf
from assay.registrations.models import Candidate
from tests.world import World

from .helpers import agreed, approved, awarding_body, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: World) -> World:
    awarding_body(world)
    return world


def client_of(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_admin_claims_from_the_ready_list_and_sends_a_batch(w: World, page_text: Any) -> None:
    agreed(w)
    carol = client_of(w, "carol")
    url = reverse("centre-claims", args=[w.north.pk])
    page = page_text(carol.get(url))
    assert "Claim units 403" in page and "Dan Smith" in page
    response = carol.post(
        reverse("centre-claim-add", args=[w.north.pk]),
        {"registration": w.dan.pk, "kind": "unit", "units": "403"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    response = carol.post(
        reverse("centre-claim-batch", args=[w.north.pk]), {"claims": str(claim.pk)}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_refused_claim_shows_every_reason(w: World, page_text: Any) -> None:
    response = client_of(w, "carol").post(
        reverse("centre-claim-add", args=[w.north.pk]),
        {"registration": w.dan.pk, "kind": "unit", "units": "401"},
    )
    assert response.status_code == 400
    assert "Not signed off by an assessor nor credited" in page_text(response)


def test_the_awarding_body_approves_and_the_candidate_downloads(w: World, page_text: Any) -> None:
    agreed(w)
    claim, _ = submitted(w)
    abby = client_of(w, "abby")
    assert f"Claim {claim.pk}" in page_text(abby.get(reverse("claims-queue")))
    bad = abby.post(reverse("claim-act", args=[claim.pk, "approve"]), {"approve-reason": ""})
    assert bad.status_code == 400
    ok = abby.post(reverse("claim-act", args=[claim.pk, "approve"]), {"approve-confirm": "on"})
    assert ok.status_code == 302
    cert = Certificate.objects.get()
    dan = client_of(w, "dan")
    home = page_text(dan.get(reverse("home")))
    assert f"Download certificate {cert.number} (PDF)" in home
    pdf = dan.get(reverse("certificate-pdf", args=[cert.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    for name in ("carol", "abby", "linda"):
        assert client_of(w, name).get(reverse("certificate-pdf", args=[cert.pk])).status_code == 200
    for name in ("dora", "sue", "edna", "evan", "nina"):
        assert client_of(w, name).get(reverse("certificate-pdf", args=[cert.pk])).status_code == 404
    assert Client().get(reverse("certificate-pdf", args=[cert.pk])).status_code == 302


def test_the_pdf_reads_back_with_unicode_and_the_qr_link(w: World, settings: Any) -> None:
    pypdf = pytest.importorskip("pypdf")
    agreed(w)
    Candidate.objects.filter(pk=w.dan.candidate_id).update(
        first_name="Zoë", last_name="Łukasiewicz-Ødegård"
    )
    cert = approved(w)
    settings.ASSAY_SITE_URL = "https://assay.example.org"
    cert = Certificate.objects.select_related("registration__candidate", "centre").get(pk=cert.pk)
    text = pypdf.PdfReader(io.BytesIO(certificate_pdf(cert))).pages[0].extract_text()
    assert "Zoë Łukasiewicz-Ødegård" in text
    assert "Level 4 NVQ Diploma in Customer Service" in text
    assert "500/8817/8" in text and cert.number in text
    assert "Champion customer service" in text
    assert f"https://assay.example.org/verify/{cert.number}" in text


def test_the_qr_code_encodes_the_verify_link(w: World, settings: Any) -> None:
    import segno

    from assay.claims.pdf import verify_url

    settings.ASSAY_SITE_URL = "https://assay.example.org/"
    assert verify_url("AS-2013-000001-3") == "https://assay.example.org/verify/AS-2013-000001-3"
    assert segno.make(verify_url("AS-2013-000001-3"), error="m").designator


def test_query_reject_revoke_and_sample_pages(w: World, page_text: Any) -> None:
    agreed(w)
    claim, _ = submitted(w)
    abby = client_of(w, "abby")
    act = lambda name: reverse("claim-act", args=[claim.pk, name])  # noqa: E731
    assert abby.post(act("query"), {"query-text": "Which evidence?"}).status_code == 302
    carol = client_of(w, "carol")
    assert "Answer the query" in page_text(carol.get(reverse("claim-detail", args=[claim.pk])))
    assert carol.post(act("answer"), {"answer-text": "The witness"}).status_code == 302
    # wrong role on a claim one can see: 403; a stranger: 404
    assert carol.post(act("approve"), {"approve-confirm": "on"}).status_code == 403
    assert client_of(w, "eve").post(act("query"), {"query-text": "?"}).status_code == 403
    assert client_of(w, "sue").get(reverse("claim-detail", args=[claim.pk])).status_code == 404
    assert client_of(w, "dan").get(reverse("claim-detail", args=[claim.pk])).status_code == 404
    assert client_of(w, "carol").get(reverse("claims-queue")).status_code == 403
    refused = abby.post(act("reject"), {"reject-reason": "Not enough"})
    assert refused.status_code == 400  # no confirmation
    ok = abby.post(act("reject"), {"reject-reason": "Not enough", "reject-confirm": "on"})
    assert ok.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_revoke_from_the_claim_page(w: World, page_text: Any) -> None:
    agreed(w)
    cert = approved(w)
    abby = client_of(w, "abby")
    url = reverse("claim-act", args=[cert.claim_id, "revoke"])
    assert (
        abby.post(url, {"revoke-kind": "malpractice", "revoke-reason": "Copied"}).status_code == 400
    )
    response = abby.post(
        url, {"revoke-kind": "malpractice", "revoke-reason": "Copied", "revoke-confirm": "on"}
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.revoked_kind == "malpractice"
    assert "Revoked" in page_text(abby.get(reverse("claim-detail", args=[cert.claim_id])))


def test_centre_claims_page_denials(w: World) -> None:
    url = reverse("centre-claims", args=[w.north.pk])
    assert client_of(w, "carol").get(url).status_code == 200
    for name in ("sue", "dan", "abby", "evan", "nina"):
        assert client_of(w, name).get(url).status_code == 404
    for name in ("tom", "linda", "eve", "alice", "ian"):
        assert client_of(w, name).get(url).status_code == 403


def test_the_awarding_body_lands_on_its_queue_and_has_its_nav_link(w: World) -> None:
    from assay.web.homes import homes_of

    abby = w.user("abby")
    assert [h.url for h in homes_of(abby)] == [reverse("claims-queue")]
    client = client_of(w, "abby")
    page = client.get(reverse("claims-queue")).content.decode()
    assert 'href="/claims/queue/" aria-current="page">Claims to decide' in page
    assert "Claims to decide</a>" not in client_of(w, "carol").get("/").content.decode()


def test_replace_from_the_claim_page(w: World, page_text: Any) -> None:
    agreed(w)
    cert = approved(w)
    abby = client_of(w, "abby")
    url = reverse("claim-act", args=[cert.claim_id, "replace"])
    assert abby.post(url, {"replace-reason": "Name misspelt"}).status_code == 400
    assert (
        client_of(w, "carol")
        .post(url, {"replace-reason": "x", "replace-confirm": "on"})
        .status_code
        == 403
    )
    response = abby.post(url, {"replace-reason": "Name misspelt", "replace-confirm": "on"})
    assert response.status_code == 302
    new = Certificate.objects.get(replaces=cert)
    page = page_text(abby.get(response["Location"]))
    assert f"Replaces certificate {cert.number}" in page
    old = page_text(abby.get(reverse("claim-detail", args=[cert.claim_id])))
    assert f"Replaced by certificate {new.number}" in old and "Revoked" in old


def test_ev_sample_through_the_pages(w: World, page_text: Any) -> None:
    from tests.eqa.helpers import apply

    agreed(w)
    claim, _ = submitted(w)
    apply(w, level="action_plan")
    abby = client_of(w, "abby")
    act = lambda name: reverse("claim-act", args=[claim.pk, name])  # noqa: E731
    assert abby.post(act("samplereq"), {"samplereq-text": "Dan's 403 portfolio"}).status_code == 302
    eve = client_of(w, "eve")
    assert f"Claim {claim.pk}" in page_text(eve.get(reverse("claims-samples")))
    assert "Record the EV sample" in page_text(eve.get(reverse("claim-detail", args=[claim.pk])))
    data = {"sample-outcome": "satisfactory", "sample-text": "Authentic and sufficient"}
    assert client_of(w, "evan").post(act("sample"), data).status_code == 404
    assert client_of(w, "carol").post(act("sample"), data).status_code == 403
    assert eve.post(act("sample"), data).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.sample_outcome == "satisfactory"
    assert abby.post(act("approve"), {"approve-confirm": "on"}).status_code == 302


def test_live_check_says_what_the_rules_say(w: World, page_text: Any) -> None:
    agreed(w)
    carol = client_of(w, "carol")
    url = reverse("centre-claim-check", args=[w.north.pk])
    headers = {"HX-Request": "true"}
    ok = page_text(
        carol.post(url, {"registration": w.dan.pk, "kind": "unit", "units": "403"}, headers=headers)
    )
    assert "The claim rules allow this claim: 403." in ok
    no = page_text(
        carol.post(url, {"registration": w.dan.pk, "kind": "qualification"}, headers=headers)
    )
    assert "This claim would be refused" in no and "rules of combination" in no
    assert not Claim.objects.exists()
    other = page_text(carol.post(url, {"registration": 999999, "kind": "unit", "units": "403"}))
    assert "No such registration at this centre." in other
