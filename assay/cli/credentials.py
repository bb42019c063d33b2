"""``assay credentials``: verify a credential file offline, and show the issuer's public key."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from assay.cli.output import emit_json, fail


@click.group()
def credentials() -> None:
    """Open Badges 3.0 credentials: verify one offline; show the signing key's public half."""


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read the {what} as JSON: {exc}")


def _database_keys_and_status() -> tuple[dict[str, set[str]] | None, Any]:
    """Trusted keys and the status lookup from the database, or (None, None) without one."""
    from django.db import DatabaseError

    try:
        from assay.credentials.keys import trusted_keys
        from assay.credentials.selectors import _status_lookup

        keys = trusted_keys()
    except (DatabaseError, RuntimeError, OSError):
        return None, None
    return keys, _status_lookup


@credentials.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--status-list",
    "status_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A saved status list credential (GET /credentials/status/<id>) to check revocation.",
)
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="z6Mk…",
    help="Trust this issuer public key (from `assay credentials show-key`); repeatable.",
)
@click.option("--offline", is_flag=True, help="Do not read this installation's database.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(
    file: Path, status_file: Path | None, keys: tuple[str, ...], offline: bool, as_json: bool
) -> None:
    """Verify a credential FILE: its form, issuer key, signature (offline: the JSON-LD contexts
    are bundled), status list (this database, or --status-list FILE) and dates. Exit status 0
    when valid, 1 when not, 2 when the file cannot be read."""
    from assay.engines.credentials import status_from_list_credential
    from assay.engines.credentials import verify as run

    credential = _read_json(file, "credential")
    trusted: dict[str, set[str]] | None = None
    lookup = None
    if not offline:
        trusted, lookup = _database_keys_and_status()
    if keys:
        issuer = credential.get("issuer") if isinstance(credential, dict) else None
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        trusted = dict(trusted or {})
        if isinstance(issuer_id, str):
            trusted[issuer_id] = set(trusted.get(issuer_id, set())) | set(keys)
    if status_file is not None:
        try:
            lookup = status_from_list_credential(
                _read_json(status_file, "status list"), trusted_keys=trusted
            )
        except ValueError as exc:
            fail(f"{status_file}: {exc}")
    from assay import clock

    result = run(credential, trusted_keys=trusted, status_lookup=lookup, today=clock.today())
    if as_json:
        emit_json(result.as_dict())
    else:
        click.echo(f"{result.outcome}: {result.summary}")
        for check in result.checks:
            mark = {True: "passed", False: "FAILED", None: "not checked"}[check.passed]
            click.echo(f"  {check.name}: {mark}: {check.detail}")
    sys.exit(0 if result.ok else 1)


@credentials.command("issue")
@click.argument("number")
def issue(number: str) -> None:
    """Issue the credentials of certificate NUMBER if they were not issued at approval
    (issuing again prints the ones already issued)."""
    from assay.credentials.receivers import credentials_issue_for_number
    from assay.errors import InvalidInput, NotFound

    try:
        rows = credentials_issue_for_number(number=number)
    except (NotFound, InvalidInput) as exc:
        fail(str(exc))
    emit_json(
        [{"id": r.pk, "kind": r.kind, "unit_code": r.unit_code, "sha256": r.sha256} for r in rows]
    )


@credentials.command("show-key")
def show_key() -> None:
    """Print the issuer profile's id and the public signing key (never the secret), and where
    the key comes from (ASSAY_CREDENTIAL_KEY or the key file, generated on first use)."""
    from assay.credentials.keys import CredentialKeyError, issuer, key_source

    try:
        profile = issuer()
    except CredentialKeyError as exc:
        fail(str(exc))
    emit_json(
        {
            "issuer": profile.id,
            "name": profile.name,
            "public_key": profile.public_key,
            "verification_method": profile.verification_method,
            "source": key_source(),
        }
    )
