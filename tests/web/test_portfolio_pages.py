"""The portfolio and unit pages: who sees them, the candidate's evidence and mappings, the
assessor's matrix and decisions, refusals that change nothing, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.centres.models import Competence
from assay.files.digest import text_sha256
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    sign_off_declaration,
    span_record,
    unit_sign_off,
)
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, Decision, EvidenceFile, EvidenceItem
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from assay.registrations.plans import PlanUnitInput, plan_set
from tests.world import World

pytestmark = pytest.mark.django_db

TEXT = b"Reflective account: I briefed the senior team on the new returns policy.\n"
STALE = "Someone else changed this unit; reload"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None
    return Path(settings.MEDIA_ROOT)


def client_for(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def url(world: World, path: str) -> str:
    return f"/registrations/{world.dan.pk}/{path}"


def evidence(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "method": "reflective_account",
        "started_on": "2013-01-07",
        "ended_on": "2013-02-20",
        "place": "Head office",
        "description": "Briefing the senior team on the returns policy",
        "context": "real_job",
        **overrides,
    }


def sign_off_401(world: World) -> None:
    """Everything in 401 proposed on Dan's item, confirmed, judged met, and signed off."""
    dan, alice, reg = world.user("dan"), world.user("alice"), world.dan
    for target in unit_targets(unit_spec(reg, "401")):
        if target != "1.1":
            mapping_propose(by=dan, item=world.item, unit="401", target=target)
    for mapping in CriterionMapping.objects.filter(item=world.item):
        mapping_decide(by=alice, mapping=mapping, confirm=True)
    for target in unit_targets(unit_spec(reg, "401")):
        if "." in target:
            criterion_judge(by=alice, registration=reg, unit="401", criterion=target, met=True)
    span_record(by=alice, registration=reg, unit="401", sufficient_days=0)
    unit_sign_off(by=alice, registration=reg, unit="401")


def declaration_sha256(world: World, unit: str) -> str:
    """The fingerprint of the declaration Alice is shown on the unit page."""
    return text_sha256(sign_off_declaration(world.user("alice"), world.dan, unit))


def test_candidate_sees_progress_missing_and_evidence(world: World, page_text: Any) -> None:
    response = client_for(world, "dan").get(url(world, "portfolio/"))
    assert response.status_code == 200
    body = page_text(response)
    assert "Unit 401" in body and '<progress max="100"' in body
    assert "What is missing next" in body
    assert f"criterion 1.1: evidence {world.item.pk} proposed, awaiting confirmation" in body
    assert "Alice watched me brief the team" in body
    assert "Declare this is my own work" in body
    # The proposal form is loaded on demand for one item, not repeated for every item.
    assert f"Propose criteria for evidence {world.item.pk}" in body
    assert "Propose mappings to unit 401" not in body
    propose = url(world, f"portfolio/evidence/{world.item.pk}/propose")
    assert f'href="{propose}"' in body and f'hx-get="{propose}"' in body


def test_registration_page_links_to_the_portfolio(world: World) -> None:
    body = client_for(world, "dan").get(url(world, "")).content.decode()
    assert f'href="/registrations/{world.dan.pk}/portfolio/"' in body


def test_home_page_links_a_candidate_to_their_own_portfolio_only(world: World) -> None:
    link = f'href="/registrations/{world.dan.pk}/portfolio/"'
    assert link in client_for(world, "dan").get("/").content.decode()
    for who in ("alice", "carol", "sue"):
        assert link not in client_for(world, who).get("/").content.decode(), who
    assert link not in Client().get("/").content.decode()


def test_assessor_sees_the_matrix_with_decision_buttons(world: World, page_text: Any) -> None:
    response = client_for(world, "alice").get(url(world, "units/401/"))
    assert response.status_code == 200
    body = page_text(response)
    assert f"Evidence {world.item.pk}" in body and 'id="criterion-1-1"' in body
    assert "Proposed" in body and "Confirm evidence" in body and "Judge 1.1 met" in body
    assert 'name="expected_seq" value="0"' in body
    # Read-only for the candidate.
    candidate = page_text(client_for(world, "dan").get(url(world, "units/401/")))
    assert "Judge 1.1 met" not in candidate and "Confirm evidence" not in candidate


@pytest.mark.parametrize("who", ["dora", "arthur", "sue"])
def test_others_get_404(world: World, who: str) -> None:
    client = client_for(world, who)
    assert client.get(url(world, "portfolio/")).status_code == 404
    assert client.get(url(world, "units/401/")).status_code == 404


def test_unit_not_on_the_plan_is_404(world: World) -> None:
    assert client_for(world, "alice").get(url(world, "units/403/")).status_code == 404


def test_assessor_judging_a_unit_of_someone_else_gets_403(world: World) -> None:
    arthur = world.user("arthur")
    Competence.objects.filter(user=arthur).update(achieved_on=dt.date(2012, 6, 1))
    plan_set(
        by=world.user("carol"),
        registration=world.dan,
        units=[
            PlanUnitInput("401", world.user("alice").pk),
            PlanUnitInput("402", arthur.pk),
        ],
        internal_verifier_id=world.user("ian").pk,
    )
    response = client_for(world, "alice").post(
        url(world, "units/402/judge"), {"criterion": "1.1", "verdict": "met", "expected_seq": 0}
    )
    assert response.status_code == 403
    assert "Only the assessor of unit 402" in response.content.decode()
    response = client_for(world, "arthur").post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "confirm", "expected_seq": 0},
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()
    assert CriterionMapping.objects.get().status == "proposed"


def test_add_evidence_with_a_file_then_download_it(world: World, media: Path) -> None:
    client = client_for(world, "dan")
    upload = SimpleUploadedFile("../../notes/account.txt", TEXT, content_type="text/plain")
    response = client.post(url(world, "portfolio/evidence"), {**evidence(world), "file": upload})
    assert response.status_code == 302
    item = EvidenceItem.objects.latest("pk")
    (stored,) = item.files.all()
    assert (stored.original_name, stored.media_type) == ("account.txt", "text/plain")
    body = client.get(url(world, "portfolio/")).content.decode()
    assert f'href="/evidence/files/{stored.pk}/"' in body

    download = client.get(f"/evidence/files/{stored.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="account.txt"' in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]  # never kept by a browser or proxy cache
    assert b"".join(download.streaming_content) == TEXT  # type: ignore[attr-defined]
    assert client_for(world, "alice").get(f"/evidence/files/{stored.pk}/").status_code == 200
    # Another file on the same item, from the item's own form.
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(8) + bytes(200)
    response = client.post(
        url(world, f"portfolio/evidence/{item.pk}/files"),
        {"file": SimpleUploadedFile("poster.png", png)},
    )
    assert response.status_code == 302
    assert [f.original_name for f in item.files.all()] == ["account.txt", "poster.png"]
    for who in ("dora", "arthur", "sue"):
        assert client_for(world, who).get(f"/evidence/files/{stored.pk}/").status_code == 404
    assert Client().get(f"/evidence/files/{stored.pk}/").status_code == 302


def test_wrong_type_file_shows_the_error_and_saves_nothing(world: World, media: Path) -> None:
    before = EvidenceItem.objects.count()
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(300), content_type="text/plain")
    response = client_for(world, "dan").post(
        url(world, "portfolio/evidence"), {**evidence(world), "file": upload}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was changed" in body
    assert "which is not accepted as evidence" in body
    assert EvidenceItem.objects.count() == before
    assert not EvidenceFile.objects.exists()


def test_bad_evidence_input_is_shown_on_the_form(world: World) -> None:
    response = client_for(world, "dan").post(
        url(world, "portfolio/evidence"), evidence(world, started_on="2014-01-01", ended_on="")
    )
    assert response.status_code == 400
    assert "is in the future" in response.content.decode()
    assert EvidenceItem.objects.count() == 1


def test_candidate_proposes_mappings_and_declares(world: World) -> None:
    client = client_for(world, "dan")
    response = client.post(
        url(world, f"portfolio/evidence/{world.item.pk}/map"),
        {"unit": "401", "targets": ["1.2", "1.3"]},
    )
    assert response.status_code == 302
    assert set(
        CriterionMapping.objects.filter(item=world.item).values_list("target", flat=True)
    ) == {"1.1", "1.2", "1.3"}
    # Proposing one already proposed keeps none of the batch.
    response = client.post(
        url(world, f"portfolio/evidence/{world.item.pk}/map"),
        {"unit": "401", "targets": ["1.4", "1.1"]},
    )
    assert response.status_code == 400
    assert "already mapped to 401 1.1" in response.content.decode()
    assert not CriterionMapping.objects.filter(target="1.4").exists()
    response = client.post(
        url(world, f"portfolio/evidence/{world.item.pk}/declare"), {"text": "My own work."}
    )
    assert response.status_code == 302
    assert world.item.declarations.get().text == "My own work."


def test_locked_unit_refuses_the_candidates_edit(world: World, media: Path) -> None:
    sign_off_401(world)
    client = client_for(world, "dan")
    body = client.get(url(world, "portfolio/")).content.decode()
    assert "Signed off" in body
    count = CriterionMapping.objects.count()
    response = client.post(
        url(world, f"portfolio/evidence/{world.item.pk}/map"), {"unit": "401", "targets": ["1.1"]}
    )
    assert response.status_code == 400
    assert "Unit 401 is signed off" in response.content.decode()
    assert CriterionMapping.objects.count() == count
    assert not EvidenceFile.objects.exists()
    # The assessor's page shows it locked, with no decision buttons left.
    page = client_for(world, "alice").get(url(world, "units/401/")).content.decode()
    assert "signed off and locked" in page and "Confirm evidence" not in page


def test_assessor_confirms_judges_and_a_stale_page_is_refused(world: World) -> None:
    alice = client_for(world, "alice")
    response = alice.post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "confirm", "expected_seq": 0},
    )
    assert response.status_code == 302
    assert CriterionMapping.objects.get().status == "confirmed"
    response = alice.post(
        url(world, "units/401/judge"),
        {"criterion": "1.1", "verdict": "not_met", "feedback": "", "expected_seq": 1},
    )
    assert response.status_code == 400
    assert "Say what the candidate still needs to show" in response.content.decode()
    response = alice.post(
        url(world, "units/401/judge"), {"criterion": "1.1", "verdict": "met", "expected_seq": 0}
    )
    assert response.status_code == 400
    assert STALE in response.content.decode()
    assert Decision.objects.count() == 1
    response = alice.post(
        url(world, "units/401/judge"),
        {"criterion": "1.1", "verdict": "not_met", "feedback": "Show the brief", "expected_seq": 1},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert response.status_code == 200 and 'id="unit-screen"' in response.content.decode()
    feedback = client_for(world, "dan").get(url(world, "portfolio/")).content.decode()
    assert "Show the brief" in feedback


def test_sign_off_lists_every_reason_then_reopen(world: World, page_text: Any) -> None:
    response = client_for(world, "alice").post(
        url(world, "units/401/sign-off"),
        {"expected_seq": 0, "declaration_sha256": declaration_sha256(world, "401")},
    )
    assert response.status_code == 400
    assert "Unit 401 is not ready" in page_text(response)
    sign_off_401(world)
    seq = Decision.objects.count()
    response = client_for(world, "linda").post(
        url(world, "units/401/reopen"), {"reason": "", "expected_seq": seq}
    )
    assert response.status_code == 400
    response = client_for(world, "linda").post(
        url(world, "units/401/reopen"), {"reason": "Sampling found a gap", "expected_seq": seq}
    )
    assert response.status_code == 302
    body = client_for(world, "dan").get(url(world, "portfolio/")).content.decode()
    assert "Unit 401 reopened" in body and "Sampling found a gap" in body


def test_reopen_form_carries_the_pages_seq_and_a_stale_page_is_refused(
    world: World, page_text: Any
) -> None:
    sign_off_401(world)
    seq = Decision.objects.count()
    linda = client_for(world, "linda")
    page = linda.get(url(world, "units/401/")).content.decode()
    reopen_form = page.split('id="reopen-heading"', 1)[1]
    assert f'name="expected_seq" value="{seq}"' in reopen_form
    # A page drawn before the last decision (the sign-off) is stale.
    response = linda.post(
        url(world, "units/401/reopen"), {"reason": "Sampling found a gap", "expected_seq": seq - 1}
    )
    assert response.status_code == 400
    assert STALE in page_text(response)
    assert Decision.objects.count() == seq
    assert not Decision.objects.filter(kind="unit_reopened").exists()
    # Without the page's number at all, the form is refused too.
    response = linda.post(url(world, "units/401/reopen"), {"reason": "Sampling found a gap"})
    assert response.status_code == 400
    assert not Decision.objects.filter(kind="unit_reopened").exists()
    locked = client_for(world, "alice").get(url(world, "units/401/")).content.decode()
    assert "signed off and locked" in locked


# Measured with CaptureQueriesContext: session and user (2), the registration narrowed to what
# the user may see with its plan and history (10, once per page), coverage (4), evidence with
# files, mappings and declarations (4), the decision record (1); the unit page adds the
# assessor and reopen permission checks instead of the declarations; every page counts the
# unread notifications for base.html (1). The assessor's portfolio page adds the check that
# they assess this candidate (2).
PORTFOLIO_QUERIES = 22
UNIT_QUERIES = 24
ASSESSOR_CHECK = 2


def _page_queries(world: World, items: int) -> tuple[int, int]:
    """(portfolio page, unit page) queries for Dan's candidate view with ``items`` items."""
    dan = world.user("dan")
    for n in range(items - EvidenceItem.objects.count()):
        item = evidence_add(
            by=dan,
            registration=world.dan,
            method="product",
            started_on=dt.date(2013, 1, 1) + dt.timedelta(days=n % 50),
            description=f"Work product {n}",
            context="real_job",
        )
        mapping_propose(by=dan, item=item, unit="401", target="1.2")
        evidence_file_attach(by=dan, item=item, upload=_text(n), original_name=f"note-{n}.txt")
    assert EvidenceItem.objects.count() == items
    client = client_for(world, "dan")
    with CaptureQueriesContext(connection) as portfolio_page:
        assert client.get(url(world, "portfolio/")).status_code == 200
    with CaptureQueriesContext(connection) as unit_page:
        assert client.get(url(world, "units/401/")).status_code == 200
    return len(portfolio_page), len(unit_page)


def _text(n: int) -> Any:
    import io

    return io.BytesIO(f"Note {n}\n".encode())


def test_query_count_is_small_and_constant(
    world: World, media: Path, django_assert_max_num_queries: Any
) -> None:
    """The registration is narrowed to what the user may see once per page, and every part
    is read from it: a fixed handful of queries, whatever the number of items, files and
    mappings."""
    small = _page_queries(world, 5)
    large = _page_queries(world, 40)
    assert small == large
    portfolio, unit = large
    assert portfolio <= PORTFOLIO_QUERIES and unit <= UNIT_QUERIES, large
    alice = client_for(world, "alice")  # the assessor's view: same bound
    with django_assert_max_num_queries(PORTFOLIO_QUERIES + ASSESSOR_CHECK):
        assert alice.get(url(world, "portfolio/")).status_code == 200
    with django_assert_max_num_queries(UNIT_QUERIES):
        assert alice.get(url(world, "units/401/")).status_code == 200


def test_a_judgement_after_the_period_is_refused_on_the_page(world: World) -> None:
    """Handbook 4.1 on the assessor's page: the reason is shown and nothing is recorded."""
    from assay.registrations.models import Registration

    Registration.objects.filter(pk=world.dan.pk).update(end_date=dt.date(2013, 2, 28))
    alice = client_for(world, "alice")
    response = alice.post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "confirm", "expected_seq": 0},
    )
    assert response.status_code == 400
    body = response.content.decode().replace("&#x27;", "'")
    assert "Assessment must be completed within the candidate's period of registration." in body
    assert "01/03/2013 is after the end of the period of registration, 28/02/2013." in body
    assert Decision.objects.count() == 0
    assert CriterionMapping.objects.get().status == "proposed"
