"""What a production start needs from its environment, read before Django is set up.

``ASSAY_PRODUCTION=1`` makes settings refuse to load — so no server, worker or command starts —
while the installation would run on the secret key published in this repository, without the
host names it answers to, or in debug mode. The refusal names every problem and how to set it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Published in the repository: good for development and tests, refused in production.
DEVELOPMENT_SECRET_KEY = "assay-development-key-not-for-production-use-0123456789"
# Django's own bar (manage.py check --deploy, security.W009).
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE = 5

KEY_HINT = (
    "set ASSAY_SECRET_KEY to a random value of at least 50 characters, for example the output "
    'of `python3 -c "import secrets; print(secrets.token_urlsafe(50))"`, or name a file '
    "holding it in ASSAY_SECRET_KEY_FILE (keep it out of the repository and the same on every "
    "app process)"
)
HOSTS_HINT = (
    "set ASSAY_ALLOWED_HOSTS to the host names the site is reached by, comma-separated, for "
    "example ASSAY_ALLOWED_HOSTS=assay.example.org (not '*')"
)


def secret_key_from(env: Mapping[str, str]) -> str:
    """The secret key: ``ASSAY_SECRET_KEY``, else the first line of ``ASSAY_SECRET_KEY_FILE``
    (a systemd credential or container secret), else the development key."""
    if env.get("ASSAY_SECRET_KEY"):
        return env["ASSAY_SECRET_KEY"]
    path = env.get("ASSAY_SECRET_KEY_FILE", "")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"ASSAY_SECRET_KEY_FILE={path} cannot be read ({exc.strerror}); {KEY_HINT}"
            ) from exc
    return DEVELOPMENT_SECRET_KEY


def production_problems(secret_key: str, allowed_hosts: Sequence[str], debug: bool) -> list[str]:
    """Every reason this configuration may not face the world, each saying how to fix it."""
    problems: list[str] = []
    if secret_key == DEVELOPMENT_SECRET_KEY:
        problems.append(
            "the secret key is the development key published in the repository "
            f"(ASSAY_SECRET_KEY is not set): {KEY_HINT}"
        )
    elif (
        len(secret_key) < MIN_SECRET_KEY_LENGTH
        or len(set(secret_key)) < MIN_SECRET_KEY_UNIQUE
        or secret_key.startswith("django-insecure-")
    ):
        problems.append(f"the secret key is too short or too simple: {KEY_HINT}")
    if not allowed_hosts:
        problems.append(f"ASSAY_ALLOWED_HOSTS is empty: {HOSTS_HINT}")
    elif "*" in allowed_hosts:
        problems.append(f"ASSAY_ALLOWED_HOSTS lets any host name in ('*'): {HOSTS_HINT}")
    if debug:
        problems.append("ASSAY_DEBUG is on: unset it (debug pages show settings and code)")
    return problems


def refuse_unsafe_production(secret_key: str, allowed_hosts: Sequence[str], debug: bool) -> None:
    """Raises ImproperlyConfigured naming every problem; nothing when the start is safe."""
    problems = production_problems(secret_key, allowed_hosts, debug)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise ImproperlyConfigured(f"ASSAY_PRODUCTION=1 refuses to start:\n{lines}")


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``"X-Forwarded-Proto: https"`` (or just the header name, meaning "https") as Django's
    ``SECURE_PROXY_SSL_HEADER`` pair; empty means none."""
    if not value.strip():
        return None
    name, _, expected = value.partition(":")
    name = name.strip()
    if not name or not all(c.isalnum() or c == "-" for c in name):
        raise ImproperlyConfigured(
            f"ASSAY_PROXY_SSL_HEADER={value!r} is not a header: write it as "
            "'X-Forwarded-Proto: https'"
        )
    meta = "HTTP_" + name.upper().replace("-", "_")
    return meta, expected.strip() or "https"
