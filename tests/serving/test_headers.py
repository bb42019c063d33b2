"""What every answer carries: a request id, the CSP, Permissions-Policy, and no-store when the
answer is private (signed in, or the API); the probes answer before the host check."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

import assay.config.health as health
from assay.config.logs import JsonFormatter, RequestIdFilter
from assay.config.middleware import PERMISSIONS_POLICY
from tests.world import World

pytestmark = pytest.mark.django_db


def _signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_healthz_answers_without_the_database_or_a_known_host(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        answer = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert "no-store" in answer["Cache-Control"]


def test_readyz_checks_database_migrations_and_storage(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # not there yet: its parent is writable
    answer = Client(HTTP_HOST="10.0.0.7").get("/readyz")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
    }


def test_readyz_is_503_with_unapplied_migrations(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", False)
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes()[0]
    pending = [(executor.loader.graph.nodes[leaf], False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)
    with caplog.at_level(logging.WARNING, logger="assay.readyz"):
        answer = Client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"] == "failed"
    assert f"1 not applied: {leaf[0]}.{leaf[1]}" in caplog.text  # the reason: in the log only


def test_readyz_is_503_when_storage_is_not_writable(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    answer = Client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "migrations": "ok", "storage": "failed"}


def test_readyz_is_503_when_the_database_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise health.__dict__["connection"].Database.OperationalError("gone")

    monkeypatch.setattr(health.connection, "cursor", broken)
    answer = Client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["database"] == "failed"


def test_public_page_headers(world: World) -> None:
    answer = Client().get("/catalogue/")
    assert answer.status_code == 200
    assert answer["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "microphone=()" in PERMISSIONS_POLICY
    policy = answer["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "no-store" not in answer.get("Cache-Control", "")  # public reference data


def test_signed_in_pages_and_api_answers_are_no_store(world: World) -> None:
    carol = _signed_in(world, "carol")
    for path in ("/catalogue/", f"/centres/{world.north.pk}/"):
        answer = carol.get(path)
        assert answer.status_code == 200, path
        assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    api = Client().get("/api/v1/catalogue/qualifications")
    assert "no-store" in api["Cache-Control"], api.status_code


def test_static_files_keep_their_cache() -> None:
    answer = Client().get("/static/web/assay.css")
    assert answer.status_code == 200
    assert "no-store" not in answer.get("Cache-Control", "")


def test_request_id_is_made_or_kept_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="assay.request"):
        made = Client().get("/nos/")
        kept = Client(HTTP_X_REQUEST_ID="proxy-abc.123").get("/nos/")
        nonsense = Client(HTTP_X_REQUEST_ID="bad id\u202e").get("/nos/")
    assert len(made["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "proxy-abc.123"
    assert nonsense["X-Request-ID"] != "bad id\u202e" and len(nonsense["X-Request-ID"]) == 32
    lines = [r for r in caplog.records if r.name == "assay.request"]
    assert [r.request_id for r in lines] == [  # type: ignore[attr-defined]
        made["X-Request-ID"],
        "proxy-abc.123",
        nonsense["X-Request-ID"],
    ]
    entry = json.loads(JsonFormatter().format(lines[1]))
    assert entry["request_id"] == "proxy-abc.123" and entry["logger"] == "assay.request"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/nos/", 200)
    assert isinstance(entry["duration_ms"], float)


def test_json_formatter_outside_a_request() -> None:
    record = logging.getLogger("assay.x").makeRecord(
        "assay.x", logging.INFO, __file__, 1, "hello %s", ("you",), None
    )
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["message"], entry["request_id"], entry["level"]) == ("hello you", "-", "INFO")


def test_probes_answer_every_role_alike_and_carry_no_private_data(world: World) -> None:
    """Role matrix of the probes: no object, no role; every role (and nobody) gets the same."""
    from tests.world import ROLES

    for role, username in ROLES.items():
        client = Client()
        if username:
            client.force_login(world.user(username))
        assert client.get("/healthz").json() == {"status": "ok"}, role
        ready = client.get("/readyz")
        assert ready.status_code == 200, role
        assert set(ready.json()["checks"].values()) == {"ok"}, role
        assert client.post("/healthz").status_code == 200, role  # no CSRF, no state
