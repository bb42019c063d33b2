"""``POST /api/v1/standards``: the CLI's import over HTTP — created 201, the same content again
200 with the existing version, a new version beside the old, every error with its line, a dry
run that writes nothing, unsafe YAML and non-object JSON refused, and who may import."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.accounts.services import token_create
from assay.audits.models import StandardVersion
from tests.audits.mini import MINI
from tests.audits.world import ROLES, AuditWorld

pytestmark = pytest.mark.django_db
URL = "/api/v1/standards"


def upload(
    w: AuditWorld, role: str, text: str | bytes, *, name: str = "mini.yaml", dry_run: bool = False
) -> Any:
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + token_create(user=w[role])[1]
    data = text.encode() if isinstance(text, str) else text
    url = URL + ("?dry_run=true" if dry_run else "")
    return Client().post(url, {"file": SimpleUploadedFile(name, data)}, **headers)


def minis() -> int:
    return StandardVersion.objects.filter(code="mini").count()


def test_import_then_same_content_again_then_a_new_version(aw: AuditWorld) -> None:
    r = upload(aw, "operator", MINI)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["code"], body["version"], body["status"], body["dry_run"]) == (
        "mini",
        1,
        "created",
        False,
    )
    row = StandardVersion.objects.get(code="mini", version=1)
    assert body["sha256"] == row.sha256 and row.source_name == "mini.yaml"

    # The same content, re-formatted as JSON: the existing version, 200, nothing written.
    import yaml

    as_json = json.dumps(yaml.safe_load(MINI))
    again = upload(aw, "operator", as_json, name="mini.json")
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "unchanged" and again.json()["sha256"] == row.sha256
    assert minis() == 1

    v2 = upload(aw, "operator", MINI.replace("version: 1", "version: 2").replace("Two", "Deux"))
    assert v2.status_code == 201 and v2.json()["version"] == 2
    assert minis() == 2
    listed = Client().get(URL + "?size=50").json()["items"]
    assert {(i["code"], i["version"]) for i in listed} >= {("mini", 1), ("mini", 2)}


def test_same_version_with_other_content_is_refused(aw: AuditWorld) -> None:
    assert upload(aw, "operator", MINI).status_code == 201
    r = upload(aw, "operator", MINI.replace("Two", "Deux"))
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["path"] == "$.version"
    assert "give the changed file a new version" in r.json()["error"]["message"]
    assert StandardVersion.objects.get(code="mini").content["nodes"][0]["attributes"][1][
        "title"
    ] == ("Two")


def test_dry_run_writes_nothing(aw: AuditWorld) -> None:
    r = upload(aw, "operator", MINI, dry_run=True)
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["dry_run"]) == ("new", True)
    assert minis() == 0
    upload(aw, "operator", MINI)
    r = upload(aw, "operator", MINI, dry_run=True)
    assert (r.status_code, r.json()["status"]) == (200, "unchanged")


def test_every_validation_error_with_its_line(aw: AuditWorld) -> None:
    bad = MINI.replace("high: 10", "high: eleven").replace(
        "{code: A2, title: Two, category: desirable}", "{code: A1, title: Two, category: maybe}"
    )
    checked = upload(aw, "operator", bad, dry_run=True)
    assert checked.status_code == 200, checked.content
    assert (checked.json()["status"], checked.json()["code"]) == ("invalid", None)
    refused = upload(aw, "operator", bad)
    assert refused.status_code == 422, refused.content
    assert refused.json()["error"]["details"] == checked.json()["errors"]
    for details in (checked.json()["errors"], refused.json()["error"]["details"]):
        where = {(d["path"], d["line"]) for d in details}
        assert ("$.scale.bands[1].high", 10) in where
        assert ("$.nodes[0].attributes[1].category", 18) in where
        assert all(d["file"] == "mini.yaml" for d in details)
    assert minis() == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("base: &b {x: 1}\nother: *b\n", "anchors and aliases"),
        ("[1, 2, 3]", "must hold a mapping"),
        ('"just a string"', "must hold a mapping"),
        ("code: [unclosed\n", "not valid YAML"),
        ("code: a\ncode: b\n", "duplicate key"),
    ],
)
def test_unsafe_or_nonsense_documents_are_refused(aw: AuditWorld, text: str, says: str) -> None:
    before = StandardVersion.objects.count()
    r = upload(aw, "operator", text, dry_run=False)
    assert r.status_code == 422, r.content
    assert says in r.json()["error"]["message"]
    assert r.json()["error"]["details"][0]["line"] is not None
    assert StandardVersion.objects.count() == before


def test_not_utf8_is_refused(aw: AuditWorld) -> None:
    r = upload(aw, "operator", b"\xff\xfe\x00code")
    assert r.status_code == 422 and "not UTF-8" in r.json()["error"]["message"]


def test_too_big_is_refused_before_parsing(aw: AuditWorld, settings: Any) -> None:
    settings.ASSAY_REQUEST_MAX_BYTES = 20 * 1024**2
    r = upload(aw, "operator", "# " + "x" * (5 * 1024**2) + "\n" + MINI)
    assert r.status_code == 422 and "at most" in r.json()["error"]["message"]


def test_who_may_import(aw: AuditWorld) -> None:
    for role in ("anonymous", *ROLES):
        r = upload(aw, role, MINI, dry_run=True)
        expected = {"anonymous": 401}.get(role, 403)  # a body's administrator too
        assert r.status_code == expected, (role, r.content)
    assert upload(aw, "operator", MINI, dry_run=True).status_code == 200
    assert upload(aw, "decision_maker", MINI).status_code == 403
    assert upload(aw, "anonymous", MINI).status_code == 401
    assert minis() == 0


def test_a_read_only_token_may_not_import(aw: AuditWorld) -> None:
    raw = token_create(user=aw["operator"], scope="read")[1]
    r = Client().post(
        URL,
        {"file": SimpleUploadedFile("mini.yaml", MINI.encode())},
        HTTP_AUTHORIZATION="Bearer " + raw,
    )
    assert r.status_code == 403, r.content
    assert minis() == 0
