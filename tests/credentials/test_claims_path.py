"""Through the real claim path: the IV agrees, the centre claims unit 403 and sends the batch,
the awarding body approves — the certificate's credentials are issued (the candidate's to
download) and verify; revoking the certificate revokes them with its reason; a replacement
gets credentials of its own naming the certificate it replaces."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from assay.claims.services import certificate_replace, certificate_revoke
from assay.credentials.models import IssuedCredential
from assay.credentials.records import credential_chain
from assay.credentials.selectors import certificate_verify, credential_verify
from assay.engines.credentials import Outcome
from assay.records.services import records_verify
from tests.claims.helpers import agreed, approved, awarding_body
from tests.world import World

pytestmark = pytest.mark.django_db


def test_approval_issues_credentials_and_revocation_revokes_them(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    awarding_body(world)
    agreed(world)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = approved(world)
    rows = list(IssuedCredential.objects.filter(certificate_id=certificate.pk))
    assert [(r.kind, r.unit_code) for r in rows] == [("unit", rows[0].unit_code)]
    assert rows[0].certificate_number == certificate.number
    document = json.loads(rows[0].document)
    assert "403" in document["name"]
    assert document["credentialSubject"]["achievement"]["alignment"][0]["targetCode"].endswith(
        "403"
    )
    assert credential_verify(document).ok
    assert certificate_verify(certificate.number).outcome is Outcome.VALID

    dan = Client()
    dan.force_login(world.user("dan"))
    download = dan.get(f"/me/credentials/{rows[0].pk}.json")
    assert download.status_code == 200 and download.content.decode() == rows[0].document
    alice = Client()
    alice.force_login(world.user("alice"))
    assert alice.get(f"/me/credentials/{rows[0].pk}.json").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            by=world.user("abby"),
            certificate=certificate,
            kind="malpractice",
            reason="Evidence was copied",
            confirmed=True,
        )
    check = certificate_verify(certificate.number)
    assert check.outcome is Outcome.REVOKED
    assert "Evidence was copied" in check.credentials[0][1].summary
    page = Client().get(f"/verify/{certificate.number}").content.decode()
    assert 'data-outcome="revoked"' in page and "Evidence was copied" in page
    assert records_verify(credential_chain(certificate.pk)).ok


def test_a_replacement_gets_its_own_credentials(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    awarding_body(world)
    agreed(world)
    with django_capture_on_commit_callbacks(execute=True):
        old = approved(world)
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_replace(
            by=world.user("abby"), certificate=old, reason="Name misspelt", confirmed=True
        )
    assert certificate_verify(old.number).outcome is Outcome.REVOKED
    fresh = certificate_verify(new.number)
    assert fresh.outcome is Outcome.VALID
    document = json.loads(fresh.credentials[0][0].document)
    assert f"It replaces certificate {old.number}." in document["description"]


def test_cli_issues_what_approval_did_not(world: World) -> None:
    from tests.cli.helpers import run

    awarding_body(world)
    agreed(world)
    certificate = approved(world)  # on-commit callbacks not run: no credentials yet
    assert not IssuedCredential.objects.filter(certificate_id=certificate.pk).exists()
    code, out, err = run("credentials", "issue", certificate.number.lower())
    assert code == 0, err
    assert [row["kind"] for row in json.loads(out)] == ["unit"]
    code, again, _ = run("credentials", "issue", certificate.number)
    assert code == 0 and json.loads(again) == json.loads(out)
    code, out, err = run("credentials", "issue", "NOPE")
    assert code == 2 and "no certificate NOPE" in err
