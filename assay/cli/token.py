"""``assay token``: API tokens for programs that call the JSON API as a person."""

from __future__ import annotations

import click

from assay.cli.acting import domain_errors, user_named


@click.group()
def token() -> None:
    """Bearer tokens for the JSON API (only their SHA-256 is stored)."""


@token.command()
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. 'payroll sync'.")
def create(username: str, name: str) -> None:
    """Create a token acting as USERNAME and print it once: it cannot be shown again."""
    from assay.accounts.services import token_create

    with domain_errors():
        row, plaintext = token_create(user=user_named(username), name=name)
    click.echo(plaintext)
    click.echo(
        f"token {row.key_prefix}… for {username} created; store it now, it is not shown again. "
        "Send it as 'Authorization: Bearer <token>'.",
        err=True,
    )


@token.command(name="list")
@click.argument("username")
def list_(username: str) -> None:
    """List USERNAME's tokens by prefix (never the tokens themselves)."""
    from assay.accounts.services import tokens_of

    for row in tokens_of(user_named(username)):
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"last used {row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        click.echo(f"{row.key_prefix}  {state:<18} {used:<28} {row.name}")


@token.command()
@click.argument("prefix")
def revoke(prefix: str) -> None:
    """Revoke the token whose printed prefix (first 8 characters) is PREFIX."""
    from assay.accounts.services import token_find, token_revoke
    from assay.cli.output import fail

    row = token_find(prefix)
    if row is None:
        fail(f"no single token with prefix {prefix!r}")
    token_revoke(token=row)
    click.echo(f"revoked {row.key_prefix}… of {row.user}")
