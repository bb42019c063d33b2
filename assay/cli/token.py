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
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="write",
    show_default=True,
    help="read: GET only; write: everything USERNAME may do.",
)
@click.option(
    "--expires-days",
    type=int,
    default=None,
    help="Days until it stops working (default ASSAY_TOKEN_DAYS, 30; at most "
    "ASSAY_TOKEN_MAX_DAYS, 365).",
)
def create(username: str, name: str, scope: str, expires_days: int | None) -> None:
    """Create a token acting as USERNAME and print it once: it cannot be shown again."""
    from assay.accounts.services import token_create

    with domain_errors():
        row, plaintext = token_create(
            user=user_named(username), name=name, scope=scope, expires_in_days=expires_days
        )
    click.echo(plaintext)
    until = f"until {row.expires_at:%Y-%m-%d %H:%M}" if row.expires_at else "without expiry"
    click.echo(
        f"token {row.key_prefix}… ({row.scope}, {until}) for {username} created; store it now, "
        "it is not shown again. Send it as 'Authorization: Bearer <token>'.",
        err=True,
    )


@token.command(name="list")
@click.argument("username")
def list_(username: str) -> None:
    """List USERNAME's tokens by prefix (never the tokens themselves)."""
    from assay.accounts.services import tokens_of

    for row in tokens_of(user_named(username)):
        if row.revoked_at:
            state = f"revoked {row.revoked_at:%Y-%m-%d}"
        elif row.expires_at is None:
            state = "active, no expiry"
        else:
            verb = "expires" if row.state() == "active" else "expired"
            state = f"{verb} {row.expires_at:%Y-%m-%d}"
        used = f"last used {row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        click.echo(f"{row.key_prefix}  {row.scope:<5}  {state:<18} {used:<28} {row.name}")


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
