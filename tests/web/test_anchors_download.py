"""The centre's record anchors as a download (issue 10: "exportable so a centre or EV can keep a
copy"): who may take it, what it holds, that it later proves a deletion, and the external
verifier's path to it in Chromium on a phone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from assay.portfolios.assessment import criterion_judge, mapping_decide
from assay.portfolios.models import Decision
from assay.records.services import records_verify
from assay.registrations.models import Registration
from tests.browser import page_errors
from tests.world import World

PHONE = {"width": 390, "height": 844}


def assessed(world: World) -> None:
    alice = world.user("alice")
    mapping_decide(by=alice, mapping=world.mapping, confirm=True)
    criterion_judge(by=alice, registration=world.dan, unit="401", criterion="1.1", met=True)


def download(world: World, username: str | None) -> Any:
    client = Client()
    if username:
        client.force_login(world.user(username))
    return client.get(f"/centres/{world.north.pk}/anchors.jsonl")


def body(answer: Any) -> bytes:
    """The download streams (a refusal does not)."""
    if answer.streaming:
        return b"".join(answer.streaming_content)
    return bytes(answer.content)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["carol", "linda", "eve"])
def test_administrator_lead_iqa_and_ev_download_every_chain_head(
    world: World, username: str
) -> None:
    assessed(world)
    answer = download(world, username)
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == (
        f'attachment; filename="assay-anchors-{world.north.number}-2013-03-01.jsonl"'
    )
    assert answer["Cache-Control"] == "no-store"
    assert answer.streaming
    lines = [json.loads(line) for line in body(answer).decode().splitlines()]
    heads = {line["chain"]: (line["length"], line["hash"]) for line in lines}
    last = Decision.objects.filter(registration=world.dan).order_by("-seq").first()
    assert last is not None
    assert heads[f"registration:{world.dan.pk}"] == (2, last.hash)
    north = Registration.objects.filter(centre=world.north).values_list("pk", flat=True)
    assert set(heads) == {f"registration:{world.dan.pk}"} | {f"enrolment:{pk}" for pk in north}
    assert {line["type"] for line in lines} == {"head"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"),
    [("alice", 403), ("tom", 403), ("ian", 403), ("dan", 404), ("sue", 404), ("evan", 404)],
)
def test_everyone_else_is_refused(world: World, username: str, status: int) -> None:
    answer = download(world, username)
    assert answer.status_code == status
    assert b"registration:" not in body(answer)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    answer = download(world, None)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


@pytest.mark.django_db
def test_the_kept_file_names_a_later_deletion(world: World, tmp_path: Path) -> None:
    assessed(world)
    kept = tmp_path / "kept.jsonl"
    kept.write_bytes(body(download(world, "eve")))
    Decision.objects.filter(registration=world.dan, seq=2).delete()
    assert records_verify().ok  # the database alone no longer remembers record 2 ...
    found = [f"{p.chain}: {p.message}" for p in records_verify(anchor_files=[kept]).problems]
    assert found == [  # ... the external verifier's copy does
        f"registration:{world.dan.pk}: record 2 missing (anchored with 2, the database has 1)"
    ]


@pytest.mark.django_db
def test_the_link_is_shown_only_to_those_who_may_download(world: World) -> None:
    for username, shown in [("carol", True), ("eve", True), ("alice", False), ("tom", False)]:
        client = Client()
        client.force_login(world.user(username))
        page = client.get(f"/centres/{world.north.pk}/").content.decode()
        assert ("Download record anchors" in page) is shown, username


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_external_verifier_downloads_the_anchors_on_a_phone(
    live_server: Any,
    world: World,
    browser: Browser,
    tmp_path: Path,
) -> None:
    assessed(world)
    eve = world.user("eve")
    eve.set_password("eve-password-1")
    eve.save()
    context = browser.new_context(viewport=PHONE, is_mobile=True, accept_downloads=True)
    page = context.new_page()
    errors = page_errors(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill("eve-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/centres/{world.north.pk}/")
    link = page.get_by_role("link", name="Download record anchors")
    expect(link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == f"assay-anchors-{world.north.number}-2013-03-01.jsonl"
    assert records_verify(anchor_files=[saved]).ok
    Decision.objects.filter(registration=world.dan, seq=2).delete()
    assert not records_verify(anchor_files=[saved]).ok
    assert errors == [], errors
    context.close()


@pytest.mark.django_db
def test_the_api_gives_the_same_heads_and_the_same_refusals(world: World) -> None:
    from assay.accounts.services import token_create

    assessed(world)

    def api(username: str) -> Any:
        token = token_create(user=world.user(username), name="t")[1]
        return Client().get(
            f"/api/v1/centres/{world.north.pk}/anchors", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    heads = api("eve").json()["items"]
    page = [json.loads(line) for line in body(download(world, "eve")).decode().splitlines()]
    assert [(h["chain"], h["length"], h["hash"]) for h in heads] == [
        (h["chain"], h["length"], h["hash"]) for h in page
    ]
    assert api("alice").status_code == 403 and api("sue").status_code == 404


@pytest.mark.django_db
def test_the_download_reads_the_centre_a_chunk_at_a_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of one registration give the same heads as one chunk of all of them."""
    from assay.portfolios import anchors

    assessed(world)
    whole = sorted(body(download(world, "carol")).decode().splitlines())
    monkeypatch.setattr(anchors, "CHUNK", 1)
    chunked = sorted(body(download(world, "carol")).decode().splitlines())
    north = Registration.objects.filter(centre=world.north).count()
    assert len(whole) == north + 1 and _chains(chunked) == _chains(whole)


def _chains(lines: list[str]) -> list[tuple[str, int, str]]:
    return sorted((h["chain"], h["length"], h["hash"]) for h in map(json.loads, lines))
