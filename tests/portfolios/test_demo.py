"""Demo portfolios: every stage is there for the named candidate, built through the services,
with real files stored by SHA-256, a chain that verifies, pages that render for the right
people, and a second run that adds nothing.

The demo (catalogue, centre, portfolios) is loaded once for the module inside a transaction
that is rolled back at the end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from PIL import Image
from pypdf import PdfReader

from assay.catalogue.services import catalogue_import_library
from assay.cli.main import main
from assay.demo.centre import DEMO_DATE, demo_centre_load
from assay.demo.portfolios import FILES, PDF, PNG, REOPEN_REASON, TEXT, WAV, demo_portfolios_load
from assay.demo.reviews import demo_reviews_load
from assay.files.storage import content_address, open_evidence, verify_stored
from assay.portfolios.coverage import registration_coverage
from assay.portfolios.models import (
    AuthenticityDeclaration,
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceFile,
    EvidenceItem,
    WitnessStatement,
)
from assay.portfolios.records import chains_verify, signed_off_units, unit_signed_off
from assay.registrations.models import Registration

pytestmark = pytest.mark.django_db

KINDS = {TEXT: "text/plain", PDF: "application/pdf", PNG: "image/png", WAV: "audio/wav"}


@pytest.fixture(scope="module")
def demo_lines(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    """The whole demo, loaded once; rolled back after the module's last test."""
    with (
        override_settings(
            ASSAY_TODAY="2013-03-01",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            FILE_UPLOAD_TEMP_DIR=None,
            PASSWORD_HASHERS=["tests.conftest.FastArgon2PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        catalogue_import_library()
        get_user_model().objects.create_superuser("admin", password="assay-demo-admin")
        list(demo_centre_load())
        yield list(demo_portfolios_load()) + list(demo_reviews_load())
        transaction.set_rollback(True)


@pytest.fixture
def reg(demo_lines: list[str]) -> Any:
    def get(name: str) -> Registration:
        first, last = name.split(" ")
        return Registration.objects.get(candidate__first_name=first, candidate__last_name=last)

    return get


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def test_first_run_creates_every_stage(demo_lines: list[str]) -> None:
    created = [line for line in demo_lines if line.endswith(": created")]
    assert len(created) == 9  # eight portfolio stages, then Priya's plan and review
    assert "portfolio Hannah Cole (cand2), empty portfolio: empty" in demo_lines


def test_empty_and_unmapped_portfolios(reg: Any) -> None:
    for name in ("Hannah Cole", "Ravi Kumar"):
        assert not EvidenceItem.objects.filter(registration=reg(name)).exists()
    for name, files in [("Liam Walsh", {TEXT}), ("Peter Quinn", {PDF, PNG})]:
        items = EvidenceItem.objects.filter(registration=reg(name))
        assert items.exists()
        names = set(
            EvidenceFile.objects.filter(item__in=items).values_list("original_name", flat=True)
        )
        assert names == files
        assert not CriterionMapping.objects.filter(item__in=items).exists()


def test_priya_units_signed_off_ready_and_reopened(reg: Any) -> None:
    priya = reg("Priya Shah")
    assert signed_off_units(priya) == ["401"]
    coverage = registration_coverage(priya)
    assert coverage["401"].ready_to_sign_off
    assert coverage["402"].ready_to_sign_off and not unit_signed_off(priya, "402")
    reopened = Decision.objects.get(registration=priya, kind=DecisionKind.UNIT_REOPENED)
    assert reopened.unit_number == "411" and reopened.actor.username == "linda"
    assert reopened.payload["reason"] == REOPEN_REASON
    kinds = list(
        Decision.objects.filter(registration=priya, unit_number="411")
        .order_by("-seq")
        .values_list("kind", flat=True)[:2]
    )
    assert kinds == [DecisionKind.UNIT_REOPENED, DecisionKind.UNIT_SIGNED_OFF]
    for unit in ("403", "405", "410"):
        assert not coverage[unit].ready_to_sign_off


def test_priya_unit_410_proposals_decisions_and_feedback(reg: Any) -> None:
    priya = reg("Priya Shah")
    mappings = CriterionMapping.objects.filter(item__registration=priya, unit_number="410")
    assert {"proposed", "confirmed", "rejected"} <= set(mappings.values_list("status", flat=True))
    assert set(mappings.filter(status="rejected").values_list("target", flat=True)) == {"3.6", "6b"}
    decided = mappings.exclude(status="proposed")
    assert set(decided.values_list("decided_by__username", flat=True)) == {"alice"}
    states = {c.number: c for c in registration_coverage(priya, ["410"])["410"].criteria}
    assert states["3.6"].judged_met is False and states["2.4"].judged_met is False
    assert states["3.1"].done and states["4.1"].proposed_by and not states["4.1"].evidenced_by
    not_met = Decision.objects.filter(
        registration=priya, kind=DecisionKind.CRITERION_JUDGED, payload__met=False
    )
    assert not_met.count() == 2 and all(d.payload["feedback"] for d in not_met)


def test_holistic_evidence_covers_two_units(reg: Any) -> None:
    account = EvidenceItem.objects.get(registration=reg("Priya Shah"), method="reflective_account")
    confirmed = account.mappings.filter(status="confirmed")
    assert set(confirmed.values_list("unit_number", flat=True)) == {"403", "410"}
    assert {("403", "1.2"), ("410", "3.1")} <= set(confirmed.values_list("unit_number", "target"))


def test_witness_confirmed_and_pending(reg: Any) -> None:
    witnesses = WitnessStatement.objects.filter(item__registration=reg("Priya Shah"))
    assert witnesses.count() == 2
    assert witnesses.filter(confirmed_at__isnull=False).get().name == "Sandra Booth"
    assert witnesses.filter(confirmed_at__isnull=True).get().name == "Owen Price"


def test_staged_drill_is_accepted_as_405s_exception(reg: Any) -> None:
    priya = reg("Priya Shah")
    drill = EvidenceItem.objects.get(registration=priya, context="simulation")
    assert drill.simulation_exception
    coverage = registration_coverage(priya, ["405"])["405"]
    states = {c.number: c for c in coverage.criteria}
    assert states["2.7"].done and states["2.7"].evidenced_by == (str(drill.pk),)
    assert coverage.context_problems == ()


def test_evidence_dates_inside_each_registration_period(demo_lines: list[str]) -> None:
    items = EvidenceItem.objects.select_related("registration")
    assert items.count() > 10
    for item in items:
        assert item.registration.registered_on <= item.started_on <= item.ended_on
        assert item.ended_on < DEMO_DATE <= item.registration.end_date


def test_files_stored_by_sha256_and_sniffed(demo_lines: list[str]) -> None:
    rows = list(EvidenceFile.objects.all())
    assert {row.original_name for row in rows} == set(KINDS)
    for row in rows:
        shipped = (FILES / row.original_name).read_bytes()
        assert row.sha256 == hashlib.sha256(shipped).hexdigest()
        assert row.storage_name == content_address(row.sha256)
        assert row.media_type == KINDS[row.original_name] and row.size == len(shipped)
        assert verify_stored(row.storage_name, row.sha256)
        with open_evidence(row.storage_name) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == row.sha256
    # the same content uploaded twice (the reflective account) is stored once
    stored_objects = {row.storage_name for row in rows}
    assert len(stored_objects) == 4 < len(rows)
    assert all(default_storage.exists(name) for name in stored_objects)


def test_shipped_files_open_with_ordinary_tools() -> None:
    assert len(PdfReader(FILES / PDF).pages) == 1
    assert "Customer Feedback Form" in PdfReader(FILES / PDF).pages[0].extract_text()
    with Image.open(FILES / PNG) as image:
        image.load()
        assert (image.format, image.mode, image.size) == ("PNG", "RGB", (360, 220))
    with wave.open(str(FILES / WAV)) as clip:
        assert 1.0 <= clip.getnframes() / clip.getframerate() <= 2.0
    (FILES / TEXT).read_bytes().decode("utf-8")
    assert all((FILES / name).stat().st_size < 16 * 1024 for name in KINDS)


def test_decision_chains_verify(demo_lines: list[str]) -> None:
    results = chains_verify()
    assert results and all(v.ok for _, v in results)
    out = CliRunner().invoke(main, ["records", "verify"])
    assert out.exit_code == 0 and out.output.startswith("ok: ")


def snapshot() -> tuple[int, ...]:
    return (
        EvidenceItem.objects.count(),
        EvidenceFile.objects.count(),
        CriterionMapping.objects.count(),
        Decision.objects.count(),
        AuthenticityDeclaration.objects.count(),
        WitnessStatement.objects.count(),
        sum(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*")),
    )


def test_second_run_changes_nothing(demo_lines: list[str]) -> None:
    before = snapshot()
    again = list(demo_portfolios_load())
    assert snapshot() == before
    assert sum(line.endswith(": exists") for line in again) == 8
    assert not any(line.endswith(": created") for line in again)


@pytest.mark.parametrize(
    ("username", "unit"),
    [("cand1", "401"), ("cand1", "410"), ("alice", "402"), ("alice", "411"), ("linda", "411")],
)
def test_pages_render_for_the_right_people(reg: Any, username: str, unit: str) -> None:
    pk = reg("Priya Shah").pk
    client = signed_in(username)
    assert client.get(f"/registrations/{pk}/portfolio/").status_code == 200
    assert client.get(f"/registrations/{pk}/units/{unit}/").status_code == 200


def test_alice_can_sign_off_402_and_linda_reopen_401(reg: Any) -> None:
    pk = reg("Priya Shah").pk
    page = signed_in("alice").get(f"/registrations/{pk}/units/402/").content.decode()
    assert "Sign the declaration and sign off unit 402" in page
    page = signed_in("linda").get(f"/registrations/{pk}/units/401/").content.decode()
    assert "Reopen unit 401" in page


@pytest.mark.parametrize("username", ["bob", "cand2", "viewer"])
def test_others_do_not_see_priyas_portfolio(reg: Any, username: str) -> None:
    if username == "viewer":
        get_user_model().objects.create_user("viewer", password="x")
    pk = reg("Priya Shah").pk
    client = signed_in(username)
    assert client.get(f"/registrations/{pk}/portfolio/").status_code == 404
    assert client.get(f"/registrations/{pk}/units/401/").status_code == 404


def test_staff_see_the_portfolios_without_a_sign_in(reg: Any) -> None:
    client = signed_in("anna")
    for name in ("Peter Quinn", "Ravi Kumar"):
        assert client.get(f"/registrations/{reg(name).pk}/portfolio/").status_code == 200
    files = EvidenceFile.objects.filter(item__registration=reg("Peter Quinn"))
    response = client.get(f"/evidence/files/{files.first().pk}/")  # type: ignore[union-attr]
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == files.first().sha256  # type: ignore[union-attr]


@pytest.mark.parametrize("username", ["cand2", "cand3"])
def test_edexcel_candidates_portfolio_pages(username: str, demo_lines: list[str]) -> None:
    registration = Registration.objects.get(candidate__user__username=username)
    response = signed_in(username).get(f"/registrations/{registration.pk}/portfolio/")
    assert response.status_code == 200
    # Edexcel units list elements, not criteria: the elements are what evidence maps to.
    unit = registration.plan_units.first()
    assert unit is not None
    page = signed_in(username).get(f"/registrations/{registration.pk}/units/{unit.unit_number}/")
    assert page.status_code == 200
    assert f"{unit.unit_number}.1" in page.content.decode()


def test_demo_files_script_reproduces_the_shipped_files(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_demo_files.py"
    spec = importlib.util.spec_from_file_location("make_demo_files", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_all(tmp_path)
    for name in KINDS:
        assert (tmp_path / name).read_bytes() == (FILES / name).read_bytes(), name


def test_priyas_plan_is_signed_by_all_three_and_her_review_awaits_the_employer(
    reg: Any, demo_lines: list[str]
) -> None:
    from assay.progress.caseload import assessor_caseload
    from assay.reviews.models import AssessmentPlan

    plans = AssessmentPlan.objects.filter(registration=reg("Priya Shah")).order_by("met_on")
    assert [p.kind for p in plans] == ["plan", "review"]
    assert sorted(plans[0].signatures.values_list("capacity", flat=True)) == [
        "assessor",
        "candidate",
        "employer",
    ]
    assert sorted(plans[1].signatures.values_list("capacity", flat=True)) == [
        "assessor",
        "candidate",
    ]
    row = next(
        r
        for r in assessor_caseload(user("alice"), DEMO_DATE, size=200).rows
        if r.registration.pk == reg("Priya Shah").pk
    )
    assert "planned activity target date 31/01/2013 passed 29 days ago" in row.rag.reasons
    assert list(demo_reviews_load()) == ["assessment plan and review for Priya Shah: exists"]
    response = signed_in("ed").get(f"/registrations/{reg('Priya Shah').pk}/reviews/")
    assert response.status_code == 200
