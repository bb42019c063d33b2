"""ASSAY_PRODUCTION=1 refuses an unsafe configuration: each refusal in a fresh interpreter that
imports the settings with the environment under test (docs/deploy.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assay.config.production import (
    DEVELOPMENT_SECRET_KEY,
    production_problems,
    proxy_ssl_header,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "a1B2c3D4e5" * 6
SETTINGS_IMPORT = "import assay.config.settings as s; print(s.SECRET_KEY == s.SECRET_KEY)"


def _environ(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ASSAY_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ASSAY_DATA_DIR=str(tmp_path / "data"), ASSAY_PRODUCTION="1", **values)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(env, "-c", SETTINGS_IMPORT)


def test_no_secret_key_of_its_own_is_refused_saying_how_to_set_it(tmp_path: Path) -> None:
    done = _import_settings(_environ(tmp_path, ASSAY_ALLOWED_HOSTS="assay.example.org"))
    assert done.returncode != 0
    assert "ImproperlyConfigured: ASSAY_PRODUCTION=1 refuses to start" in done.stderr
    assert "development key published in the repository" in done.stderr
    assert "set ASSAY_SECRET_KEY to a random value of at least 50 characters" in done.stderr
    assert "ASSAY_ALLOWED_HOSTS" not in done.stderr.split("refuses to start")[1]


def test_the_published_key_given_explicitly_is_refused_too(tmp_path: Path) -> None:
    env = _environ(
        tmp_path, ASSAY_SECRET_KEY=DEVELOPMENT_SECRET_KEY, ASSAY_ALLOWED_HOSTS="assay.example.org"
    )
    done = _import_settings(env)
    assert done.returncode != 0 and "development key published" in done.stderr


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    env = _environ(tmp_path, ASSAY_SECRET_KEY="short-key", ASSAY_ALLOWED_HOSTS="a.example.org")
    done = _import_settings(env)
    assert done.returncode != 0 and "too short or too simple" in done.stderr


def test_no_allowed_hosts_is_refused_saying_how_to_set_them(tmp_path: Path) -> None:
    done = _import_settings(_environ(tmp_path, ASSAY_SECRET_KEY=GOOD_KEY))
    assert done.returncode != 0
    assert "ASSAY_ALLOWED_HOSTS is empty: set ASSAY_ALLOWED_HOSTS to the host names" in done.stderr
    assert "secret key" not in done.stderr.split("refuses to start")[1]


def test_any_host_and_debug_are_refused(tmp_path: Path) -> None:
    env = _environ(tmp_path, ASSAY_SECRET_KEY=GOOD_KEY, ASSAY_ALLOWED_HOSTS="*", ASSAY_DEBUG="1")
    done = _import_settings(env)
    assert done.returncode != 0
    assert "lets any host name in" in done.stderr and "ASSAY_DEBUG is on" in done.stderr


def test_everything_missing_is_said_at_once(tmp_path: Path) -> None:
    done = _import_settings(_environ(tmp_path))
    assert "development key" in done.stderr and "ASSAY_ALLOWED_HOSTS is empty" in done.stderr


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(GOOD_KEY + "\n")
    env = _environ(
        tmp_path, ASSAY_SECRET_KEY_FILE=str(key_file), ASSAY_ALLOWED_HOSTS="assay.example.org"
    )
    done = _run(env, "-c", "import assay.config.settings as s; print(s.SECRET_KEY)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == GOOD_KEY
    missing = _environ(
        tmp_path, ASSAY_SECRET_KEY_FILE=str(tmp_path / "nope"), ASSAY_ALLOWED_HOSTS="a.example.org"
    )
    refused = _import_settings(missing)
    assert refused.returncode != 0 and "cannot be read" in refused.stderr


def test_the_cli_says_it_in_lines_not_a_traceback(tmp_path: Path) -> None:
    done = _run(
        _environ(tmp_path),
        "-c",
        "from assay.cli.main import main; main()",
        "serve",
        "--addr",
        "127.0.0.1:1",
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("assay: error: ASSAY_PRODUCTION=1 refuses to start:")
    assert "Traceback" not in done.stderr


def test_a_safe_production_configuration_passes_check_deploy(tmp_path: Path) -> None:
    env = _environ(
        tmp_path,
        ASSAY_SECRET_KEY=GOOD_KEY,
        ASSAY_ALLOWED_HOSTS="assay.example.org",
        ASSAY_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )
    done = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    shown = _run(
        env,
        "-c",
        "import assay.config.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)",
    )
    assert shown.stdout.split(" ", 4) == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("X-Forwarded-Proto: https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Scheme:on", ("HTTP_X_SCHEME", "on")),
    ],
)
def test_proxy_header_forms(value: str, expected: tuple[str, str] | None) -> None:
    assert proxy_ssl_header(value) == expected


def test_proxy_header_nonsense_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto: https"):
        proxy_ssl_header("X Forwarded\n: https")


def test_problems_are_pure_and_complete() -> None:
    assert production_problems(GOOD_KEY, ["a.example.org"], False) == []
    assert len(production_problems(DEVELOPMENT_SECRET_KEY, [], True)) == 3
    assert production_problems("django-insecure-" + GOOD_KEY, ["a"], False)
    assert production_problems("ab" * 30, ["a"], False)  # 2 distinct characters


def test_default_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    from assay.cli import server

    monkeypatch.delenv("ASSAY_WORKERS", raising=False)
    monkeypatch.setattr(server.os, "cpu_count", lambda: 2)
    assert server.default_workers() == 5
    monkeypatch.setattr(server.os, "cpu_count", lambda: 32)
    assert server.default_workers() == server.MAX_DEFAULT_WORKERS
    monkeypatch.setenv("ASSAY_WORKERS", "12")
    assert server.default_workers() == 12
    options = server.gunicorn_options("unix:/run/assay.sock", 3, 2)
    assert (options["worker_class"], options["threads"], options["preload_app"]) == (
        "gthread",
        2,
        True,
    )
