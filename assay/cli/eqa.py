"""``assay eqa``: external verification — record a visit, list visits, apply, lift and list
sanctions.

ID is the centre's awarding-body number or its id. Writes are the allocated external
verifier's (``--as``); applying or lifting asks for confirmation (``--yes`` to skip it).
"""

from __future__ import annotations

from typing import Any

import click

from assay.cli.acting import acting, as_option, date_option_value, domain_errors, user_named

LEVELS = ["action_plan", "claims_suspended", "registrations_suspended", "approval_withdrawn"]


@click.group()
def eqa() -> None:
    """External verification: visits, action points and sanctions."""


def _access(user: Any, centre_id: str) -> Any:
    from assay.eqa.access import eqa_access
    from assay.registrations.dashboard import centre_find

    with domain_errors():
        return eqa_access(user, centre_find(user, centre_id).pk)


def _point(value: str) -> Any:
    from assay.cli.output import fail
    from assay.eqa.services import ActionPointInput

    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 3:
        fail(f"--point: write it as 'TEXT|OWNER USERNAME|DUE DATE', not {value!r}")
    due = date_option_value(parts[2], "--point due date")
    assert due is not None
    return ActionPointInput(parts[0], parts[1], due)


@eqa.command()
@click.argument("centre_id", metavar="ID")
@click.option("--on", "on", required=True, help="The day of the visit.")
@click.option("--mode", type=click.Choice(["on_site", "remote"]), required=True)
@click.option("--status", type=click.Choice(["planned", "done"]), default="planned")
@click.option("--sample-request", default="", help="What the centre is to have ready.")
@click.option("--findings", default="", help="What the visit found (a visit done).")
@click.option("--risk", type=click.Choice(["low", "medium", "high"]), default=None)
@click.option("--risk-reasons", default="", help="Why that risk rating.")
@click.option("--point", "points", multiple=True, help="An action point: 'TEXT|OWNER|DUE'.")
@as_option(required=True)
def visit(
    centre_id: str,
    on: str,
    mode: str,
    status: str,
    sample_request: str,
    findings: str,
    risk: str | None,
    risk_reasons: str,
    points: tuple[str, ...],
    as_user: str,
) -> None:
    """Record a visit to the centre (its allocated external verifier)."""
    from assay.eqa.services import VisitInput, visit_record

    by = user_named(as_user)
    access = _access(by, centre_id)
    day = date_option_value(on, "--on")
    assert day is not None
    data = VisitInput(
        on=day,
        mode=mode,
        status=status,
        sample_request=sample_request,
        findings=findings,
        risk=risk or "",
        risk_reasons=risk_reasons,
        action_points=tuple(_point(p) for p in points),
    )
    with domain_errors():
        row = visit_record(by=by, centre=access.centre, data=data)
    click.echo(f"visit {row.pk}: {row.mode} {row.on} ({row.status}) at {access.centre.number}")


@eqa.command()
@click.argument("centre_id", metavar="ID")
@click.argument("visit_id", type=int)
@click.option("--findings", required=True, help="What the visit found.")
@click.option("--risk", type=click.Choice(["low", "medium", "high"]), required=True)
@click.option("--risk-reasons", required=True, help="Why that risk rating.")
@click.option("--point", "points", multiple=True, help="An action point: 'TEXT|OWNER|DUE'.")
@as_option(required=True)
def findings(
    centre_id: str,
    visit_id: int,
    findings: str,
    risk: str,
    risk_reasons: str,
    points: tuple[str, ...],
    as_user: str,
) -> None:
    """Record a planned visit's findings, risk rating and action points (once)."""
    from assay.eqa.selectors import visit_get
    from assay.eqa.services import visit_complete

    by = user_named(as_user)
    access = _access(by, centre_id)
    action_points = tuple(_point(p) for p in points)
    with domain_errors():
        row = visit_complete(
            by=by,
            visit=visit_get(access, visit_id),
            findings=findings,
            risk=risk,
            risk_reasons=risk_reasons,
            action_points=action_points,
        )
    click.echo(f"visit {row.pk}: done, risk {row.risk}")


@eqa.command()
@click.argument("centre_id", metavar="ID")
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def visits(centre_id: str, as_user: str | None, as_json: bool) -> None:
    """The centre's visits, newest first, with their action points."""
    from assay.api.eqa_schemas import VisitOut
    from assay.cli.output import emit_json, every_row
    from assay.eqa.selectors import visits_page

    access = _access(acting(as_user), centre_id)
    with domain_errors():
        rows = [
            VisitOut.of(v)
            for v in every_row(lambda cursor, size: visits_page(access.centre, cursor, size))
        ]
    if as_json:
        emit_json(rows)
        return
    for v in rows:
        risk = f" risk {v['risk']}" if v["risk"] else ""
        click.echo(f"{v['id']:>4}  {v['on']}  {v['mode']:<8} {v['status']:<8}{risk}")
        for p in v["action_points"]:
            state = f"done {p['done_at']:%Y-%m-%d}" if p["done_at"] else f"due {p['due_on']}"
            click.echo(f"        - {p['text']} ({p['owner']}, {state})")


@eqa.group()
def sanction() -> None:
    """Apply, lift and list sanctions."""


@sanction.command(name="apply")
@click.argument("centre_id", metavar="ID")
@click.option("--level", type=click.Choice(LEVELS), required=True)
@click.option("--reason", required=True, help="Why (every refusal quotes it).")
@click.option("--from", "applied", required=True, help="The day it applies from.")
@click.option("--qualification", default="", help="One qualification code (default: all).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def apply_(
    centre_id: str,
    level: str,
    reason: str,
    applied: str,
    qualification: str,
    yes: bool,
    as_user: str,
) -> None:
    """Apply a sanction to the centre (its allocated external verifier)."""
    from assay.eqa.services import sanction_apply

    by = user_named(as_user)
    access = _access(by, centre_id)
    day = date_option_value(applied, "--from")
    assert day is not None
    scope = qualification or "every qualification"
    confirmed = yes or click.confirm(
        f"Apply {level} at {access.centre.name} for {scope} from {day}?", err=True
    )
    with domain_errors():
        row = sanction_apply(
            by=by,
            centre=access.centre,
            level=level,
            reason=reason,
            applied_on=day,
            qualification_code=qualification,
            confirmed=confirmed,
        )
    click.echo(f"sanction {row.pk}: {row.level} at {access.centre.number} from {row.applied_on}")


@sanction.command()
@click.argument("centre_id", metavar="ID")
@click.argument("sanction_id", type=int)
@click.option("--on", "on", required=True, help="The day it no longer applies from.")
@click.option("--reason", required=True, help="Why it is lifted.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def lift(centre_id: str, sanction_id: int, on: str, reason: str, yes: bool, as_user: str) -> None:
    """Lift a sanction (its row and history stay)."""
    from assay.eqa.selectors import sanction_get
    from assay.eqa.services import sanction_lift

    by = user_named(as_user)
    access = _access(by, centre_id)
    day = date_option_value(on, "--on")
    assert day is not None
    with domain_errors():
        row = sanction_get(access, sanction_id)
    confirmed = yes or click.confirm(f"Lift {row.level} of {row.applied_on} from {day}?", err=True)
    with domain_errors():
        row = sanction_lift(by=by, sanction=row, lifted_on=day, reason=reason, confirmed=confirmed)
    click.echo(f"sanction {row.pk}: lifted from {row.lifted_on}")


@sanction.command(name="list")
@click.argument("centre_id", metavar="ID")
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(centre_id: str, as_user: str | None, as_json: bool) -> None:
    """The centre's sanctions, newest first, lifted ones included."""
    from assay.api.eqa_schemas import SanctionOut
    from assay.cli.output import emit_json
    from assay.eqa.selectors import sanctions_of

    access = _access(acting(as_user), centre_id)
    rows = [SanctionOut.of(s) for s in sanctions_of(access.centre)]
    if as_json:
        emit_json(rows)
        return
    for s in rows:
        scope = s["qualification_code"] or "all"
        lifted = f", lifted {s['lifted_on']}" if s["lifted_on"] else ", in force"
        click.echo(
            f"{s['id']:>4}  {s['applied_on']}  {s['level']:<24} {scope}{lifted}: {s['reason']}"
        )
