"""The portfolio endpoints end to end: evidence, upload, download, mapping, judging, record."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.portfolios.helpers import client_for

pytestmark = pytest.mark.django_db

TEXT = b"Reflective account: I briefed the senior team on the new returns policy.\n"


def test_candidate_and_assessor_through_the_api(world: dict[str, Any]) -> None:
    reg = world["reg"]
    dan, alice, bob = (client_for(world[n]) for n in ("dan", "alice", "bob"))
    base = f"/api/v1/registrations/{reg.pk}"

    item = dan.post(
        f"{base}/evidence",
        {
            "method": "reflective_account",
            "started_on": "2013-01-01",
            "ended_on": "2013-01-10",
            "description": "Briefing the senior team",
            "context": "real_job",
        },
        content_type="application/json",
    )
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]

    upload = SimpleUploadedFile("../etc/account.txt", TEXT, content_type="image/png")
    stored = dan.post(f"/api/v1/evidence/{item_id}/files", {"file": upload})
    assert stored.status_code == 201, stored.content
    row = stored.json()
    assert row["sha256"] == hashlib.sha256(TEXT).hexdigest()
    assert row["media_type"] == "text/plain" and row["original_name"] == "account.txt"

    download = alice.get(f"/api/v1/evidence/files/{row['id']}")
    assert download.status_code == 200 and download.streaming
    assert b"".join(download.streaming_content) == TEXT
    assert download["Content-Disposition"].startswith("attachment")
    assert bob.get(f"/api/v1/evidence/files/{row['id']}").status_code == 200  # 401's assessor

    mapping = dan.post(
        f"/api/v1/evidence/{item_id}/mappings",
        {"unit": "403", "target": "1.1"},
        content_type="application/json",
    )
    assert mapping.status_code == 201 and mapping.json()["status"] == "proposed"

    seq = dan.get(f"{base}/portfolio").json()["last_seq"]
    stale = alice.post(
        f"/api/v1/mappings/{mapping.json()['id']}/decision",
        {"confirm": True, "expected_seq": seq + 5},
        content_type="application/json",
    )
    assert stale.status_code == 422 and "expected_seq" in stale.json()["error"]["message"]
    confirmed = alice.post(
        f"/api/v1/mappings/{mapping.json()['id']}/decision",
        {"confirm": True, "expected_seq": seq},
        content_type="application/json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["kind"] == "mapping_confirmed"
    not_theirs = bob.post(
        f"{base}/units/403/judgements",
        {"criterion": "1.1", "met": True},
        content_type="application/json",
    )
    assert not_theirs.status_code == 403
    judged = alice.post(
        f"{base}/units/403/judgements",
        {"criterion": "1.1", "met": True, "expected_seq": seq + 1},
        content_type="application/json",
    )
    assert judged.status_code == 201, judged.content
    refused = alice.post(
        f"{base}/units/403/sign-off", {"expected_seq": seq + 2}, content_type="application/json"
    )
    assert refused.status_code == 422 and "not ready" in refused.json()["error"]["message"]

    portfolio = dan.get(f"{base}/portfolio").json()
    unit = next(u for u in portfolio["units"] if u["unit"] == "403")
    first = unit["criteria"][0]
    assert first["number"] == "1.1" and first["done"] and first["evidenced_by"] == [str(item_id)]
    assert unit["state"] == "in-progress" and unit["reasons"] and unit["ranges"]
    assert portfolio["last_seq"] == seq + 2 and portfolio["signed_off"] == []

    record = dan.get(f"{base}/decisions").json()["items"]
    assert [d["kind"] for d in record][-2:] == ["mapping_confirmed", "criterion_judged"]
    assert record[-1]["prev_hash"] == record[-2]["hash"]


def test_bad_uploads_and_strangers_change_nothing(world: dict[str, Any], settings: Any) -> None:
    from assay.portfolios.models import EvidenceFile
    from tests.portfolios.helpers import add

    item = add(world)
    dan = client_for(world["dan"])
    settings.ASSAY_EVIDENCE_MAX_BYTES = 64
    big = dan.post(
        f"/api/v1/evidence/{item.pk}/files", {"file": SimpleUploadedFile("a.txt", TEXT * 2)}
    )
    # Stopped while streaming (assay/web/upload_limits.py), before the view runs.
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert "larger than the limit of 64 bytes" in big.json()["error"]["message"]
    settings.ASSAY_EVIDENCE_MAX_BYTES = 10**6
    exe = SimpleUploadedFile("notes.txt", b"MZ\x90\x00" + bytes(300))
    wrong = dan.post(f"/api/v1/evidence/{item.pk}/files", {"file": exe})
    assert wrong.status_code == 422 and "content" in wrong.json()["error"]["message"]
    assert not EvidenceFile.objects.exists()

    ok = dan.post(f"/api/v1/evidence/{item.pk}/files", {"file": SimpleUploadedFile("a.txt", TEXT)})
    assert ok.status_code == 201
    stranger = get_user_model().objects.create_user(username="eve", password="x-eve")
    eve = client_for(stranger)
    assert eve.get(f"/api/v1/evidence/files/{ok.json()['id']}").status_code == 404
    assert eve.get(f"/api/v1/registrations/{world['reg'].pk}/portfolio").status_code == 404
    sneaky = eve.post(
        f"/api/v1/evidence/{item.pk}/mappings",
        {"unit": "403", "target": "1.1"},
        content_type="application/json",
    )
    assert sneaky.status_code == 404
    assert Client().get(f"/api/v1/evidence/files/{ok.json()['id']}").status_code == 401


def test_sign_off_lock_and_reopen_through_the_api(world: dict[str, Any]) -> None:
    from assay.portfolios.assessment import criterion_judge
    from tests.portfolios.helpers import CRITERIA_403, LOCKED, ready_portfolio

    w, reg = world, world["reg"]
    a, _ = ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
    alice, dan, lena = (client_for(w[n]) for n in ("alice", "dan", "lena"))
    base = f"/api/v1/registrations/{reg.pk}"
    seq = dan.get(f"{base}/portfolio").json()["last_seq"]
    span = alice.post(
        f"{base}/units/403/span",
        {"sufficient_days": 42, "expected_seq": seq},
        content_type="application/json",
    )
    assert span.status_code == 201
    signed = alice.post(
        f"{base}/units/403/sign-off", {"expected_seq": seq + 1}, content_type="application/json"
    )
    assert signed.status_code == 201 and signed.json()["kind"] == "unit_signed_off"
    portfolio = dan.get(f"{base}/portfolio").json()
    assert portfolio["signed_off"] == ["403"]
    assert next(u for u in portfolio["units"] if u["unit"] == "403")["state"] == "signed-off"

    locked = dan.post(
        f"/api/v1/evidence/{a.pk}/mappings",
        {"unit": "403", "target": "6c"},
        content_type="application/json",
    )
    assert locked.status_code == 422 and LOCKED in locked.json()["error"]["message"]
    not_lead = alice.post(
        f"{base}/units/403/reopen", {"reason": "typo"}, content_type="application/json"
    )
    assert not_lead.status_code == 403
    reopened = lena.post(
        f"{base}/units/403/reopen",
        {"reason": "sampling found a gap", "expected_seq": seq + 2},
        content_type="application/json",
    )
    assert reopened.status_code == 201 and reopened.json()["payload"]["reason"]
    assert dan.get(f"{base}/portfolio").json()["signed_off"] == []
