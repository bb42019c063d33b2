"""``assay records verify``: recompute every registration's decision chain and name the first
broken link of each (exit status 1 when any chain is broken)."""

from __future__ import annotations

import sys

import click


@click.group()
def records() -> None:
    """Tamper-evident decision records (assessment judgements, sign-offs, reopenings)."""


@records.command("verify")
@click.option("--registration", "registration_id", type=int, default=None, metavar="ID")
def verify(registration_id: int | None) -> None:
    """Recompute the hash chains; print "ok" or the first broken link per registration."""
    from assay.portfolios.records import chains_verify

    results = chains_verify(registration_id)
    broken = [(pk, v) for pk, v in results if not v.ok]
    if not broken:
        total = sum(v.checked for _, v in results)
        click.echo(f"ok: {total} records in {len(results)} chains")
        return
    for pk, v in broken:
        click.echo(
            f"broken: registration {pk}, record {v.first_broken}: {v.reason} "
            f"({v.checked} records before it check out)"
        )
    sys.exit(1)
