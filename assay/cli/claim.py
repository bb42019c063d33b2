"""``assay claim``: certification claims and certificates.

``ready``, ``create``, ``submit`` and ``answer`` are the centre administrator's; ``queue``,
``query``, ``approve``, ``reject``, ``revoke`` and ``replace`` the awarding body's;
``sample`` the centre's allocated external verifier's; ``pdf`` writes a certificate's PDF.
ID is the centre's awarding-body number or its id. Endings ask for confirmation (``--yes``).
A refused claim exits 2 with every reason, ``[code] text``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from assay.cli.acting import as_option, domain_errors, user_named


@click.group()
def claim() -> None:
    """Certification claims, the awarding body's decisions and certificates."""


@contextmanager
def _refusals() -> Iterator[None]:
    """A refused claim names every reason with its code; the rest as every command."""
    from assay.claims.services import ClaimRefused
    from assay.cli.output import fail

    try:
        yield
    except ClaimRefused as exc:
        fail("claim refused: " + " ".join(f"[{r.code}] {r.text}" for r in exc.reasons))


def _centre(user: Any, centre_id: str) -> Any:
    from assay.claims.selectors import centre_for_claims
    from assay.registrations.dashboard import centre_find

    with domain_errors():
        return centre_for_claims(user, centre_find(user, centre_id).pk)


def _claim(user: Any, claim_id: int) -> Any:
    from assay.claims.selectors import claim_get

    with domain_errors():
        return claim_get(user, claim_id)


@claim.command()
@click.argument("centre_id", metavar="ID")
@as_option(required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def ready(centre_id: str, as_user: str, as_json: bool) -> None:
    """The centre's registrations with units to claim, and what the rules say today."""
    from assay.claims.selectors import ready_page
    from assay.cli.output import emit_json, every_row

    by = user_named(as_user)
    centre = _centre(by, centre_id)
    with domain_errors():
        rows = list(every_row(lambda cursor, size: ready_page(centre, cursor, size)))
    data = [
        {
            "registration": r.registration.pk,
            "candidate": str(r.registration.candidate),
            "units": list(r.units),
            "units_reasons": [r2.text for r2 in r.unit_decision.reasons] if r.unit_decision else [],
            "qualification_allowed": r.qualification.allowed,
            "qualification_reasons": [r2.text for r2 in r.qualification.reasons],
        }
        for r in rows
    ]
    if as_json:
        emit_json(data)
        return
    for row in data:
        units = ", ".join(row["units"]) or "-"
        whole = "full qualification claimable" if row["qualification_allowed"] else ""
        click.echo(f"{row['registration']:>5}  {row['candidate']:<30} units {units}  {whole}")
        for reason in row["units_reasons"]:
            click.echo(f"       - {reason}")


@claim.command()
@click.argument("registration_id", type=int)
@click.option("--unit", "units", multiple=True, help="A unit to claim (repeat).")
@click.option("--qualification", "whole", is_flag=True, help="Claim the full qualification.")
@as_option(required=True)
def create(registration_id: int, units: tuple[str, ...], whole: bool, as_user: str) -> None:
    """A draft claim for a registration (its centre's administrator)."""
    from assay.claims.services import claim_create
    from assay.registrations.selectors import registration_get

    by = user_named(as_user)
    with domain_errors():
        registration = registration_get(by, registration_id)
    with domain_errors(), _refusals():
        row = claim_create(
            by=by,
            registration=registration,
            kind="qualification" if whole else "unit",
            units=list(units),
        )
    click.echo(f"claim {row.pk}: draft, {row.kind} {', '.join(row.units)}")


@claim.command()
@click.argument("centre_id", metavar="ID")
@click.argument("claim_ids", type=int, nargs=-1, required=True)
@as_option(required=True)
def submit(centre_id: str, claim_ids: tuple[int, ...], as_user: str) -> None:
    """Send draft claims to the awarding body in one batch."""
    from assay.claims.services import batch_submit

    by = user_named(as_user)
    centre = _centre(by, centre_id)
    claims = [_claim(by, pk) for pk in claim_ids]
    with domain_errors(), _refusals():
        batch = batch_submit(by=by, centre=centre, claims=claims)
    click.echo(f"batch {batch.pk}: {len(claims)} claim(s) sent on {batch.submitted_on}")


@claim.command()
@as_option(required=True)
def queue(as_user: str) -> None:
    """The awarding body's open claims, oldest first."""
    from assay.claims.access import require_ab
    from assay.claims.selectors import queue_page
    from assay.cli.output import every_row

    by = user_named(as_user)
    with domain_errors():
        require_ab(by)
        rows = list(every_row(lambda cursor, size: queue_page(by, cursor, size)))
    for c in rows:
        click.echo(
            f"{c.pk:>5}  {c.claim_on}  {c.centre.number}  {c.registration.candidate}  "
            f"{c.kind} {', '.join(c.units)}  {c.status}"
        )


@claim.command()
@click.argument("claim_id", type=int)
@click.option("--text", required=True, help="The question for the centre.")
@as_option(required=True)
def query(claim_id: int, text: str, as_user: str) -> None:
    """Query a claim (the awarding body)."""
    from assay.claims.services import claim_query

    by = user_named(as_user)
    with domain_errors():
        row = claim_query(by=by, claim=_claim(by, claim_id), text=text)
    click.echo(f"claim {row.pk}: {row.status}")


@claim.command()
@click.argument("claim_id", type=int)
@click.option("--text", required=True, help="The answer to the query.")
@as_option(required=True)
def answer(claim_id: int, text: str, as_user: str) -> None:
    """Answer a query (the centre's administrator)."""
    from assay.claims.services import claim_answer

    by = user_named(as_user)
    with domain_errors():
        row = claim_answer(by=by, claim=_claim(by, claim_id), text=text)
    click.echo(f"claim {row.pk}: {row.status}")


@claim.command(name="sample")
@click.argument("claim_id", type=int)
@click.option("--request", "request_text", default=None, help="Ask the EV to sample (AB).")
@click.option(
    "--outcome",
    type=click.Choice(["satisfactory", "unsatisfactory"]),
    default=None,
    help="Record the sample's outcome (the centre's EV).",
)
@click.option("--text", default="", help="The EV's findings.")
@as_option(required=True)
def sample(
    claim_id: int, request_text: str | None, outcome: str | None, text: str, as_user: str
) -> None:
    """Request an EV sample (awarding body) or record its outcome (the centre's EV)."""
    from assay.claims.services import sample_record, sample_request
    from assay.cli.output import fail

    by = user_named(as_user)
    claim_row = _claim(by, claim_id)
    with domain_errors():
        if request_text is not None:
            row = sample_request(by=by, claim=claim_row, text=request_text)
        elif outcome is not None:
            row = sample_record(by=by, claim=claim_row, outcome=outcome, text=text)
        else:
            fail("give --request TEXT or --outcome satisfactory|unsatisfactory")
    click.echo(f"claim {row.pk}: {row.status}")


@claim.command()
@click.argument("claim_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def approve(claim_id: int, yes: bool, as_user: str) -> None:
    """Approve a claim and issue its certificate (the awarding body)."""
    from assay.claims.services import claim_approve

    by = user_named(as_user)
    claim_row = _claim(by, claim_id)
    confirmed = yes or click.confirm(
        f"Approve claim {claim_id} and issue its certificate?", err=True
    )
    with domain_errors(), _refusals():
        cert = claim_approve(by=by, claim=claim_row, confirmed=confirmed)
    click.echo(f"claim {claim_id}: approved, certificate {cert.number}")


@claim.command()
@click.argument("claim_id", type=int)
@click.option("--reason", required=True, help="Why the claim is rejected.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def reject(claim_id: int, reason: str, yes: bool, as_user: str) -> None:
    """Reject a claim with its reasons (the awarding body; final)."""
    from assay.claims.services import claim_reject

    by = user_named(as_user)
    claim_row = _claim(by, claim_id)
    confirmed = yes or click.confirm(f"Reject claim {claim_id}? This is final.", err=True)
    with domain_errors():
        row = claim_reject(by=by, claim=claim_row, reason=reason, confirmed=confirmed)
    click.echo(f"claim {row.pk}: {row.status}")


def _certificate(by: Any, number: str) -> Any:
    from assay.claims.models import Certificate
    from assay.claims.selectors import certificate_get

    with domain_errors():
        found = Certificate.objects.filter(number=number.strip().upper()).values("pk").first()
        from assay.errors import NotFound

        if found is None:
            raise NotFound(f"no certificate {number}")
        return certificate_get(by, found["pk"])


@claim.command()
@click.argument("number")
@click.option("--kind", type=click.Choice(["malpractice", "issued_in_error"]), required=True)
@click.option("--reason", required=True, help="Why the certificate is revoked.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def revoke(number: str, kind: str, reason: str, yes: bool, as_user: str) -> None:
    """Revoke a certificate (the awarding body)."""
    from assay.claims.services import certificate_revoke

    by = user_named(as_user)
    cert = _certificate(by, number)
    confirmed = yes or click.confirm(f"Revoke certificate {cert.number}?", err=True)
    with domain_errors():
        row = certificate_revoke(
            by=by, certificate=cert, kind=kind, reason=reason, confirmed=confirmed
        )
    click.echo(f"certificate {row.number}: revoked on {row.revoked_on} ({row.revoked_kind})")


@claim.command()
@click.argument("number")
@click.option("--reason", required=True, help="Why the certificate is replaced.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def replace(number: str, reason: str, yes: bool, as_user: str) -> None:
    """Issue a replacement certificate linked to the one it replaces (the awarding body)."""
    from assay.claims.services import certificate_replace

    by = user_named(as_user)
    cert = _certificate(by, number)
    confirmed = yes or click.confirm(f"Replace certificate {cert.number}?", err=True)
    with domain_errors():
        row = certificate_replace(by=by, certificate=cert, reason=reason, confirmed=confirmed)
    click.echo(f"certificate {row.number}: replaces {cert.number}")


@claim.command()
@click.argument("number")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@as_option(required=True)
def pdf(number: str, out: Path, as_user: str) -> None:
    """Write a certificate's PDF."""
    from assay.claims.pdf import certificate_pdf

    by = user_named(as_user)
    cert = _certificate(by, number)
    out.write_bytes(certificate_pdf(cert))
    click.echo(f"{out}: certificate {cert.number}")
