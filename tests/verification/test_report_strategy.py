"""Agreement rates on the plan page, setting the strategy (page, API, CLI), standardisation
through the API, and the IQA report of a period as PDF and XLSX (web and CLI)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from assay.verification.models import (
    SamplePick,
    SamplingStrategy,
    StandardisationActivity,
)
from assay.verification.render import render_pdf, render_xlsx
from assay.verification.report import report_of
from assay.verification.services import unit_verify
from assay.verification.standardisation import ActionInput, ActivityInput, activity_record
from tests.cli.helpers import run
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.verification.test_api_cli import STAFF, call, statuses, table
from tests.world import World

pytestmark = pytest.mark.django_db
LEAD = {"lead-iqa", "centre-admin"}


def signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def verified(world: World) -> SamplePick:
    """Dan's 403 (Alice's) sampled, Ian requires action, then agrees."""
    sign_off_403(world)
    pick = pick_403(drawn(world))
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("ian"))
    pick.refresh_from_db()
    ian = world.user("ian")
    unit_verify(
        by=ian,
        pick=pick,
        outcome="action_required",
        feedback="Thin on 2.3 — see the guidance",
        due_on=dt.date(2013, 3, 20),
    )
    unit_verify(by=ian, pick=pick, outcome="agree", feedback="Now sufficient")
    return pick


def standardised(world: World) -> StandardisationActivity:
    return activity_record(
        by=world.user("linda"),
        centre=world.north,
        data=ActivityInput(
            held_on=dt.date(2013, 2, 20),
            kind="meeting",
            summary="Compared witness statements — Zoë's notes",
            attendees=["alice", "ian"],
            actions=[ActionInput("Re-read the guidance", "alice", dt.date(2013, 3, 20))],
        ),
    )


def test_the_plan_page_shows_agreement_per_quarter(world: World) -> None:
    verified(world)
    body = signed_in(world, "linda").get(f"/centres/{world.north.pk}/iqa/").content.decode()
    assert "Agreement with IV decisions" in body
    row = body[body.index("iqa-agreement") :]
    row = row[row.index(">alice<") :]
    assert "1 agree, 1 action required" in row[: row.index("</tr>")]
    assert "02/12/2012–01/03/2013" in body  # the last quarter of the year to today


def test_the_strategy_form_sets_rates_or_changes_nothing(world: World) -> None:
    url = f"/centres/{world.north.pk}/iqa/strategy"
    linda = signed_in(world, "linda")
    for bad in (
        {"base_rate": "lots"},
        {"base_rate": "10%", "trainee": "5%"},  # below the base rate
        {"base_rate": "150%"},
        {"base_rate": "\u200b"},
    ):
        answer = linda.post(url, {"qualification": "4430-04", **bad})
        assert answer.status_code == 400, bad
        assert "error-box" in answer.content.decode()
    assert linda.post(url, {"qualification": "9999-99", "base_rate": "10%"}).status_code == 400
    assert not SamplingStrategy.objects.exists()
    good = {"qualification": "4430-04", "base_rate": "20%", "new": "60%"}
    assert linda.post(url, {**good, "standardisation_months": "6"}).status_code == 302
    row = SamplingStrategy.objects.get()
    assert row.data == {"base_rate": "20%", "rules": {"new": "60%"}, "standardisation_months": 6}


def test_api_strategy(world: World) -> None:
    path = f"/api/v1/centres/{world.north.pk}/iqa/strategy"
    body = {"qualification": "4430-04", "strategy": {"base_rate": "1/5"}}
    assert statuses(world, "POST", path, body) == table(LEAD, STAFF, 201)
    assert not SamplingStrategy.objects.exists()
    bad = call(world, "linda", "POST", path, {**body, "strategy": {"rules": {"trainee": "1%"}}})
    assert bad.status_code == 422 and "below the base rate" in bad.content.decode()
    unknown = call(world, "linda", "POST", path, {**body, "strategy": {"colour": "red"}})
    assert unknown.status_code == 422 and not SamplingStrategy.objects.exists()
    made = call(world, "carol", "POST", path, body)
    assert made.status_code == 201 and made.json()["strategy"] == {"base_rate": "1/5"}


def test_cli_strategy(world: World) -> None:
    base = ["iqa", "strategy", "--centre", "0042", "--qualification", "4430-04"]
    code, _, err = run(*base, "--rate", "trainee", "--as", "linda")
    assert code == 2 and "NAME=RATE" in err
    code, _, err = run(*base, "--rate", "base=10%", "--rate", "trainee=5%", "--as", "linda")
    assert code == 2 and "below the base rate" in err
    code, _, err = run(*base, "--rate", "base=10%", "--as", "ian")
    assert code == 2 and "not allowed" in err
    assert not SamplingStrategy.objects.exists()
    code, _, err = run(
        *base, "--rate", "base=20%", "--rate", "new=75%", "--standardisation-months", "6",
        "--as", "linda",
    )  # fmt: skip
    assert code == 0, err
    row = SamplingStrategy.objects.get()
    assert row.data == {"base_rate": "20%", "rules": {"new": "75%"}, "standardisation_months": 6}


def test_api_standardisation(world: World) -> None:
    path = f"/api/v1/centres/{world.north.pk}/iqa/standardisation"
    body = {
        "held_on": "2013-02-20",
        "kind": "meeting",
        "summary": "Compared evidence",
        "attendees": ["alice", "iris"],
        "actions": [{"text": "Share notes", "owner": "iris", "due_on": "2013-03-10"}],
    }
    readers = {
        "assessor-assigned",
        "assessor-not-assigned",
        "iv-assigned",
        "iv-not-assigned",
        "lead-iqa",
        "centre-admin",
    }
    assert statuses(world, "POST", path, body) == table(LEAD, readers, 201)
    assert statuses(world, "GET", path) == table(readers, readers, 200)
    for bad in (
        {"summary": "\u200b "},
        {"held_on": "1066-10-14"},
        {"held_on": "2999-01-01"},
        {"attendees": ["sue"]},
        {"actions": [{"text": "x", "owner": "dan", "due_on": "2013-03-10"}]},
    ):
        answer = call(world, "linda", "POST", path, {**body, **bad})
        assert answer.status_code == 422, bad
    assert not StandardisationActivity.objects.exists()
    made = call(world, "linda", "POST", path, body)
    assert made.status_code == 201, made.content
    assert made.json()["attendees"] == ["alice", "iris"]
    assert [a["owner"] for a in made.json()["actions"]] == ["iris"]
    listed = call(world, "arthur", "GET", path).json()
    assert listed["items"] == []  # Arthur did not attend
    assert len(call(world, "alice", "GET", path).json()["items"]) == 1
    flags = call(world, "iris", "GET", path + "/flags")
    assert flags.status_code == 200
    assert "assessor arthur: never standardised" in [f["message"] for f in flags.json()]
    assert call(world, "alice", "GET", path + "/flags").status_code == 403
    action = made.json()["actions"][0]["id"]
    done = f"{path}/actions/{action}/done"
    assert call(world, "alice", "POST", done).status_code == 403  # attended, not the owner
    assert call(world, "sue", "POST", done).status_code == 404
    answer = call(world, "iris", "POST", done)
    assert answer.status_code == 200 and answer.json()["done_by"] == "iris"
    assert call(world, "linda", "POST", done).status_code == 422  # done already


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_report_as_pdf(world: World) -> None:
    verified(world)
    standardised(world)
    answer = signed_in(world, "linda").get(
        f"/centres/{world.north.pk}/iqa/report.pdf?from=2012-03-02&to=2013-03-01"
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    for wanted in (
        "IQA report",
        "Samples drawn",
        "trainee assessor",
        "Thin on 2.3",
        "Agreement",
        "Zoë",
        "Re-read the guidance",
        "arthur: never standardised",
    ):
        assert wanted in text, wanted


def test_the_report_as_xlsx_has_typed_cells(world: World) -> None:
    pick = verified(world)
    standardised(world)
    answer = signed_in(world, "carol").get(f"/centres/{world.north.pk}/iqa/report.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == [
        "Samples drawn",
        "Picks",
        "Verifications",
        "Agreement",
        "Standardisation",
        "Not standardised",
        "Open action points",
    ]
    picks = list(book["Picks"].iter_rows(values_only=True))
    assert picks[0][:4] == ("Sample", "#", "Candidate", "Unit")
    ours = next(r for r in picks[1:] if r[3] == "403")
    assert ours[0] == pick.draw_id and isinstance(ours[1], int)
    assert isinstance(ours[7], dt.datetime) and "trainee assessor" in ours[10]
    verifications = list(book["Verifications"].iter_rows(values_only=True))[1:]
    assert [v[6] for v in verifications] == ["action required", "agree"]
    assert isinstance(verifications[0][5], dt.datetime)
    assert verifications[0][8] == dt.datetime(2013, 3, 20)
    agreement = [r for r in book["Agreement"].iter_rows(values_only=True) if r[0] == "alice"]
    assert agreement[-1][3:] == (1, 1, 50)
    assert book["Standardisation"]["A2"].value == dt.datetime(2013, 2, 20)
    assert book["Standardisation"]["A2"].number_format == "dd/mm/yyyy"
    actions = list(book["Open action points"].iter_rows(values_only=True))[1:]
    assert [a[1] for a in actions] == ["Re-read the guidance"]  # the IQA pick is agreed


def test_the_report_refuses_a_bad_period(world: World) -> None:
    linda = signed_in(world, "linda")
    base = f"/centres/{world.north.pk}/iqa/report"
    for query in ("from=2013-03-01&to=2012-01-01", "from=1066-01-01", "from=2014-01-01", "to=x"):
        assert linda.get(f"{base}.pdf?{query}").status_code == 400, query
    assert linda.get(f"{base}.docx").status_code == 404
    assert signed_in(world, "sue").get(f"{base}.pdf").status_code == 404


def test_report_queries_do_not_grow_with_picks(world: World) -> None:
    sign_off_403(world)
    row = drawn(world)
    report = report_of(world.north, dt.date(2012, 3, 2), dt.date(2013, 3, 1))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            render_xlsx(report)
            render_pdf(report)
        return len(queries)

    few = count()
    template = row.picks.first()
    assert template is not None
    SamplePick.objects.bulk_create(
        SamplePick(
            draw=row,
            position=100 + n,
            registration=template.registration,
            unit_number=f"9{n:02d}",
            assessor=template.assessor,
            stage=template.stage,
            dimension=template.dimension,
            reasons=["added"],
            due_on=template.due_on,
        )
        for n in range(40)
    )
    assert count() == few


def test_cli_report(world: World, tmp_path: Path) -> None:
    verified(world)
    out = tmp_path / "iqa.xlsx"
    args = ["iqa", "report", "--centre", "0042", "--from", "2012-03-02", "--to", "2013-03-01"]
    code, _, err = run(*args, "--format", "xlsx", "--out", str(out), "--as", "ian")
    assert code == 2 and "not allowed" in err and not out.exists()
    backwards = ["--from", "2013-03-01", "--to", "2012-01-01", "--out", str(out)]
    code, _, err = run(*args[:4], *backwards, "--as", "linda")
    assert code == 2 and "invalid" in err and not out.exists()
    code, _, err = run(*args, "--format", "xlsx", "--out", str(out), "--as", "linda")
    assert code == 0, err
    assert load_workbook(out).sheetnames[1] == "Picks"
    pdf = tmp_path / "iqa.pdf"
    code, _, err = run(*args, "--out", str(pdf), "--as", "carol")
    assert code == 0, err
    assert "Thin on 2.3" in pdf_text(pdf.read_bytes())


def test_cli_standardise(world: World) -> None:
    base = ["iqa", "standardise", "--centre", "0042", "--on", "2013-02-20"]
    good = ["--summary", "Compared records", "--attendee", "alice", "--attendee", "ian"]
    code, _, err = run(*base, *good, "--action", "no bars", "--as", "linda")
    assert code == 2 and "TEXT|OWNER" in err
    code, _, err = run(*base, "--summary", "\u200b", "--attendee", "alice", "--as", "linda")
    assert code == 2 and "summary" in err
    code, _, err = run(*base, *good, "--attendee", "sue", "--as", "linda")
    assert code == 2 and "sue" in err
    code, _, err = run(*base, *good, "--as", "ian")
    assert code == 2 and "not allowed" in err
    assert not StandardisationActivity.objects.exists()
    code, out, err = run(*base, *good, "--action", "Share notes|ian|2013-03-10", "--as", "carol")
    assert code == 0, err
    assert "2 attendee(s), 1 action(s)" in out
    row = StandardisationActivity.objects.get()
    assert row.actions.get().owner == world.user("ian")
