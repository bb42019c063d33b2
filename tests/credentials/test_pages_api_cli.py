"""The public verify page, the status list and issuer profile, the verify API, a candidate's
downloads (their own only), and ``assay credentials`` / ``assay bench credentials``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.credentials.keys import issuer
from assay.credentials.models import IssuedCredential
from assay.credentials.services import (
    CertificateInput,
    credentials_issue_for,
    credentials_revoke_for,
)
from tests.cli.helpers import run
from tests.factories import make_user

from .factory import facts

pytestmark = pytest.mark.django_db


def _issue(holder_id: int | None = None) -> list[IssuedCredential]:
    return credentials_issue_for(certificate=CertificateInput(17, facts(), holder_id))


def _outcome(body: str) -> str:
    return body.split('data-outcome="', 1)[1].split('"', 1)[0]


def test_verify_page_by_number_valid_then_revoked_and_unknown() -> None:
    _issue()
    client = Client()
    page = client.get("/verify/AS0000017K")
    body = page.content.decode()
    assert page.status_code == 200 and _outcome(body) == "valid"
    for said in ("Proof", "Issuer key", "Status", "Validity", "not revoked"):
        assert said in body
    assert 'name="viewport"' in body
    credentials_revoke_for(certificate=17, reason="Malpractice found at the centre")
    body = client.get("/verify/AS0000017K").content.decode()
    assert _outcome(body) == "revoked" and "Malpractice found at the centre" in body
    unknown = client.get("/verify/NOSUCH1").content.decode()
    assert "Unknown certificate" in unknown
    assert client.get("/verify/?number=AS0000017K")["Location"] == "/verify/AS0000017K"


def test_verify_page_paste_upload_and_altered() -> None:
    rows = _issue()
    client = Client()
    pasted = client.post("/verify/", {"credential": rows[1].document}).content.decode()
    assert _outcome(pasted) == "valid"
    altered = rows[1].document.replace("Northgate College", "Northgate Colleg3")
    body = client.post("/verify/", {"credential": altered}).content.decode()
    assert _outcome(body) == "altered" and "altered after signing" in body
    upload = SimpleUploadedFile("c.json", rows[0].document.encode(), "application/json")
    assert _outcome(client.post("/verify/", {"file": upload}).content.decode()) == "valid"
    for bad in ("[1, 2]", "not json", ""):
        answer = client.post("/verify/", {"credential": bad})
        assert answer.status_code == 400


def test_status_list_and_issuer_profile_are_public_json() -> None:
    rows = _issue()
    client = Client()
    listed = client.get(f"/credentials/status/{rows[0].status_list_id}")
    assert listed.status_code == 200
    document = json.loads(listed.content)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert (
        document["id"] == json.loads(rows[0].document)["credentialStatus"]["statusListCredential"]
    )
    assert client.get("/credentials/status/999").status_code == 404
    profile = json.loads(client.get("/credentials/issuer").content)
    assert profile["id"] == issuer().id
    assert profile["verificationMethod"][0]["publicKeyMultibase"] == issuer().public_key


def test_candidate_downloads_only_their_own_credentials() -> None:
    dan = make_user("dan")
    eve = make_user("eve")
    rows = _issue(holder_id=dan.pk)
    client = Client()
    url = f"/me/credentials/{rows[0].pk}.json"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(dan)
    got = client.get(url)
    assert got.status_code == 200 and got.content.decode() == rows[0].document
    assert "attachment" in got["Content-Disposition"]
    assert "Level 4 NVQ Diploma" in client.get("/me/credentials/").content.decode()
    client.force_login(eve)
    assert client.get(url).status_code == 404
    assert client.get("/me/credentials/999999.json").status_code == 404
    assert "no credentials yet" in client.get("/me/credentials/").content.decode()


def test_api_verify_by_number_and_by_body() -> None:
    rows = _issue()
    client = Client()
    answer = client.get("/api/v1/credentials/verify", {"number": "AS0000017K"}).json()
    assert answer["found"] and answer["outcome"] == "valid" and len(answer["credentials"]) == 3
    assert client.get("/api/v1/credentials/verify", {"number": "X"}).json()["outcome"] == "unknown"
    posted = client.post(
        "/api/v1/credentials/verify", rows[0].document, content_type="application/json"
    ).json()
    assert posted["ok"] and [c["name"] for c in posted["checks"]][2] == "proof"
    altered = rows[0].document.replace("500/8817/8", "500/8817/9")
    posted = client.post("/api/v1/credentials/verify", altered, content_type="application/json")
    assert posted.json()["outcome"] == "altered"


@pytest.mark.parametrize("body", ["[]", "42", "null", '"x"'])
def test_api_refuses_a_body_that_is_not_an_object(body: str) -> None:
    answer = Client().post("/api/v1/credentials/verify", body, content_type="application/json")
    assert answer.status_code == 422
    assert "must be a JSON object" in answer.json()["error"]["message"]
    not_json = Client().post("/api/v1/credentials/verify", "{", content_type="application/json")
    assert not_json.status_code == 400


def test_cli_verify_with_the_database_offline_and_with_a_status_list_file(tmp_path: Path) -> None:
    rows = _issue()
    file = tmp_path / "credential.json"
    file.write_text(rows[0].document)
    code, out, err = run("credentials", "verify", str(file))
    assert code == 0, err
    assert out.startswith("valid:") and "proof: passed" in out and "status: passed" in out
    # offline, no trusted key: the signature is still checked, the rest said plainly
    code, out, _ = run("credentials", "verify", str(file), "--offline")
    assert code == 0 and "issuer key: not checked" in out and "status: not checked" in out
    key = issuer().public_key
    credentials_revoke_for(certificate=17, reason="Issued in error")
    status = tmp_path / "status.json"
    status.write_text(
        Client().get(f"/credentials/status/{rows[0].status_list_id}").content.decode()
    )
    code, out, _ = run(
        "credentials", "verify", str(file), "--offline", "--key", key, "--status-list", str(status)
    )
    assert code == 1 and out.startswith("revoked:") and "issuer key: passed" in out
    file.write_text(rows[0].document.replace("Northgate", "Northgat3"))
    code, out, _ = run("credentials", "verify", str(file), "--offline", "--json")
    assert code == 1 and json.loads(out)["outcome"] == "altered"
    file.write_text("{nope")
    code, out, err = run("credentials", "verify", str(file))
    assert code == 2 and out == "" and "cannot read the credential" in err


def test_cli_show_key_prints_the_public_half_only() -> None:
    code, out, _ = run("credentials", "show-key")
    shown = json.loads(out)
    assert code == 0 and shown["public_key"].startswith("z6Mk")
    assert shown["verification_method"] == f"{shown['issuer']}#{shown['public_key']}"
    assert "key file" in shown["source"]
    assert "secret" not in out


def test_bench_credentials_prints_the_rates() -> None:
    code, out, err = run("bench", "credentials", "--count", "20")
    assert code == 0, err
    assert "signed 20 credentials" in out and "20 valid" in out and "/s" in out


def test_a_candidate_finds_my_credentials_in_the_nav(world: Any) -> None:
    client = Client()
    client.force_login(world.user("dan"))
    client.get("/me/")  # works out the nav links
    assert 'href="/me/credentials/"' in client.get("/me/credentials/").content.decode()
    client.force_login(world.user("alice"))
    client.get("/me/")
    assert 'href="/me/credentials/"' not in client.get("/catalogue/").content.decode()


def test_deeply_nested_input_is_refused_not_a_server_error() -> None:
    deep = '{"a":' * 50_000 + "1" + "}" * 50_000
    assert Client().post("/verify/", {"credential": deep}).status_code == 400
    answer = Client().post("/api/v1/credentials/verify", deep, content_type="application/json")
    assert answer.status_code in (400, 422)
