"""``assay appeal lodge|decide|escalate|withdraw|list``: a candidate's appeal against an
assessment decision, through the same services (and refusals) as the web and the API."""

from __future__ import annotations

from typing import Any

import click

from assay.cli.acting import as_option


@click.group()
def appeal() -> None:
    """Appeals against assessment decisions (docs/appeals.md)."""


def _line(a: Any) -> str:
    due = f" due {a.due_on:%d/%m/%Y}" if a.due_on else ""
    return f"appeal {a.pk}: unit {a.unit_number}, {a.get_stage_display()}, {a.status}{due}"


@appeal.command("lodge")
@click.option("--registration", "registration_id", type=int, required=True, metavar="ID")
@click.option("--decision", "decision_id", type=int, required=True, metavar="ID")
@click.option("--grounds", required=True, help="Why the decision is wrong.")
@as_option(required=True)
def lodge(registration_id: int, decision_id: int, grounds: str, as_user: str) -> None:
    """The candidate appeals a judgement, rejected mapping or sign-off of their portfolio."""
    from assay.appeals.services import APPEALABLE, appeal_lodge
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import NotFound
    from assay.portfolios.models import Decision
    from assay.registrations.selectors import registration_get

    with domain_errors():
        user = user_named(as_user)
        registration = registration_get(user, registration_id)
        decision = Decision.objects.filter(
            pk=decision_id, registration=registration, kind__in=APPEALABLE
        ).first()
        if decision is None:
            raise NotFound(f"no appealable decision {decision_id} on this registration")
        made = appeal_lodge(by=user, registration=registration, decision=decision, grounds=grounds)
    click.echo(_line(made))


@appeal.command("decide")
@click.option("--appeal", "appeal_id", type=int, required=True, metavar="ID")
@click.option("--upheld/--dismissed", required=True)
@click.option("--reasons", required=True)
@as_option(required=True)
def decide(appeal_id: int, upheld: bool, reasons: str, as_user: str) -> None:
    """The current stage's reviewer upholds or dismisses the appeal."""
    from assay.appeals.services import appeal_decide, appeal_find
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        done = appeal_decide(
            by=user, appeal=appeal_find(user, appeal_id), upheld=upheld, reasons=reasons
        )
    click.echo(_line(done))


@appeal.command("escalate")
@click.option("--appeal", "appeal_id", type=int, required=True, metavar="ID")
@click.option("--reason", required=True)
@as_option(required=True)
def escalate(appeal_id: int, reason: str, as_user: str) -> None:
    """The candidate takes a dismissed appeal to the next stage."""
    from assay.appeals.services import appeal_escalate, appeal_find
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        done = appeal_escalate(by=user, appeal=appeal_find(user, appeal_id), reason=reason)
    click.echo(_line(done))


@appeal.command("withdraw")
@click.option("--appeal", "appeal_id", type=int, required=True, metavar="ID")
@click.option("--reason", required=True)
@as_option(required=True)
def withdraw(appeal_id: int, reason: str, as_user: str) -> None:
    """The candidate withdraws an open or dismissed appeal."""
    from assay.appeals.services import appeal_find, appeal_withdraw
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        done = appeal_withdraw(by=user, appeal=appeal_find(user, appeal_id), reason=reason)
    click.echo(_line(done))


@appeal.command("list")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def list_(centre_key: str, as_json: bool, as_user: str | None) -> None:
    """A centre's appeals, newest first, read a page at a time."""
    from assay.appeals.services import NEWEST_FIRST, centre_appeals
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json, every_row
    from assay.keyset import paginate
    from assay.registrations.dashboard import centre_find

    with domain_errors():
        user = acting(as_user)
        appeals = centre_appeals(user, centre_find(user, centre_key))
        rows = every_row(lambda cursor, size: paginate(appeals, NEWEST_FIRST, cursor, size))
        if as_json:
            emit_json(
                [
                    {
                        "id": a.pk,
                        "registration": a.registration_id,
                        "unit": a.unit_number,
                        "stage": a.stage,
                        "status": a.status,
                        "due_on": a.due_on,
                    }
                    for a in rows
                ]
            )
            return
        for a in rows:
            click.echo(_line(a))
