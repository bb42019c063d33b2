"""``assay audits plan|programme|competence|competence-add|conflict``: an audit's planned
dates and audit time, a client's certification cycle, auditor competence and conflicts.

Writes need ``--as USERNAME``; errors (and refused assignments, with the engine's reasons)
are one line on stderr with exit status 2.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from assay.cli.acting import as_option
from assay.cli.audits import audits

if TYPE_CHECKING:
    from assay.audits.models import BodyMembership


def _day(value: str, name: str) -> dt.date:
    from assay.audits.planning import parse_day
    from assay.cli.output import fail

    try:
        return parse_day(value)
    except ValueError as exc:
        fail(f"{name}: {exc}")


@audits.command()
@click.argument("audit_id", type=int)
@click.option("--opening", help="The opening meeting (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--closing", help="The closing meeting.")
@click.option(
    "--fieldwork",
    multiple=True,
    metavar="OFFICE_ID=DAY[,DAY]",
    help="Fieldwork days at a sampled office (repeat per office).",
)
@click.option("--note", default="")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def plan(
    audit_id: int,
    opening: str | None,
    closing: str | None,
    fieldwork: tuple[str, ...],
    note: str,
    as_json: bool,
    as_user: str | None,
) -> None:
    """Show the audit's planned dates and man-days per sampled office (with the reasons);
    with --opening and --closing (and --as), set a new plan version first."""
    from assay.audits.planning import audit_plan, parse_days, plan_set, plan_text
    from assay.audits.selectors import audit_get
    from assay.cli.acting import acting, domain_errors, user_named
    from assay.cli.output import emit_json, fail

    with domain_errors():
        if opening or closing or fieldwork:
            if not (opening and closing):
                fail("give both --opening and --closing")
            if not as_user:
                fail("setting the plan needs --as USERNAME")
            user = user_named(as_user)
            days: dict[int, list[dt.date]] = {}
            for item in fieldwork:
                office, _, when = item.partition("=")
                if not office.strip().isdigit() or not when:
                    fail(f"--fieldwork {item!r}: use OFFICE_ID=DAY[,DAY]")
                try:
                    days.setdefault(int(office), []).extend(parse_days(when))
                except ValueError as exc:
                    fail(f"--fieldwork: {exc}")
            plan_set(
                by=user,
                audit=audit_get(user, audit_id),
                opening_on=_day(opening, "--opening"),
                closing_on=_day(closing, "--closing"),
                fieldwork=days,
                note=note,
            )
        answer = audit_plan(acting(as_user), audit_id)
    if as_json:
        emit_json(answer)
        return
    for line in plan_text(answer):
        click.echo(line)


@audits.command()
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def programme(reference: str, as_json: bool, as_user: str | None) -> None:
    """The client's audit programme: each certification-cycle year, its audit and state, and
    the next re-certification due (before the certificate expires)."""
    from assay.audits.calendar import programme_answer
    from assay.audits.selectors import organisation_by_reference
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json
    from assay.engines.dates import ddmmyyyy

    with domain_errors():
        user = acting(as_user)
        answer = programme_answer(user, organisation_by_reference(user, reference).pk)
    if as_json:
        emit_json(answer)
        return
    click.echo(f"{answer.name}: audit programme")
    for r in answer.rows:
        audit = f"audit {r.audit}" if r.audit else "not planned"
        dates = ""
        if r.opening_on and r.closing_on:
            dates = f" {ddmmyyyy(r.opening_on)}-{ddmmyyyy(r.closing_on)}"
        flag = " OVERDUE" if r.overdue else ""
        click.echo(f"  year {r.year} {r.kind}: {audit} {r.state}{dates}{flag} ({r.reason})")


def _membership(user: Any, body: str, username: str) -> BodyMembership:
    from assay.audits.competence import auditor_membership, membership_get
    from assay.audits.selectors import body_get
    from assay.cli.acting import user_named
    from assay.errors import NotFound

    found = body_get(user, int(body) if body.isdigit() else body)
    m = auditor_membership(found.pk, user_named(username).pk)
    if m is None:
        raise NotFound(f"{username} is not an auditor of {found.name}")
    return membership_get(user, m.pk)


@audits.command()
@click.argument("username")
@click.option("--body", required=True, help="The certifying body's reference or id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def competence(username: str, body: str, as_json: bool, as_user: str | None) -> None:
    """An auditor's qualifications (standard versions), training, observed audits and
    declared conflicts of interest."""
    from assay.audits.competence import competence_answer
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json

    with domain_errors():
        answer = competence_answer(_membership(acting(as_user), body, username))
    if as_json:
        emit_json(answer)
        return
    click.echo(f"{answer.name} ({answer.username})")
    click.echo("  qualified for: " + (", ".join(answer.qualified_for) or "nothing yet"))
    for r in answer.records:
        what = r.standard or r.title
        click.echo(f"  {r.on:%d/%m/%Y} {r.kind}: {what} {r.note}".rstrip())
    for c in answer.conflicts:
        click.echo(
            f"  conflict with {c.organisation_name} declared {c.declared_on:%d/%m/%Y}: {c.reason}"
        )


@audits.command(name="competence-add")
@click.argument("username")
@click.option("--body", required=True, help="The certifying body's reference or id.")
@click.option("--kind", required=True, type=click.Choice(["standard", "training", "observed"]))
@click.option("--on", "on_text", required=True, help="When (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--standard", help="For --kind standard: the standard's code.")
@click.option("--version", type=int, help="For --kind standard: its version (default newest).")
@click.option("--title", default="", help="For --kind training: its title.")
@click.option("--note", default="")
@as_option(required=True)
def competence_add(
    username: str,
    body: str,
    kind: str,
    on_text: str,
    standard: str | None,
    version: int | None,
    title: str,
    note: str,
    as_user: str,
) -> None:
    """Record an auditor's qualification, training or observed audit (never edited)."""
    from assay.audits.competence import competence_record
    from assay.audits.selectors import standard_get
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        membership = _membership(user, body, username)
        row = standard_get(standard, version) if standard else None
        competence_record(
            by=user,
            membership=membership,
            kind=kind,
            on=_day(on_text, "--on"),
            standard=row,
            title=title,
            note=note,
        )
    click.echo(f"{username}: {kind} recorded")


@audits.command()
@click.argument("username")
@click.option("--body", required=True, help="The certifying body's reference or id.")
@click.option("--organisation", required=True, help="The client's reference.")
@click.option("--reason", required=True)
@as_option(required=True)
def conflict(username: str, body: str, organisation: str, reason: str, as_user: str) -> None:
    """Declare an auditor's conflict of interest with a client: they are never assigned to
    its audits."""
    from assay.audits.competence import conflict_declare
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import InvalidInput

    with domain_errors():
        user = user_named(as_user)
        membership = _membership(user, body, username)
        org = membership.body.organisations.filter(reference=organisation).first()
        if org is None:
            raise InvalidInput({"organisation": f"no client {organisation!r} of this body"})
        conflict_declare(by=user, membership=membership, organisation=org, reason=reason)
    click.echo(f"{username}: conflict with {organisation} declared")
