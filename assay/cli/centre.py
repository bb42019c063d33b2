"""``assay centre``: list centres, show a dashboard, record approvals, grant roles.

ID is the centre's awarding-body number or its id. A/V units, CPD and sites are in
``centre_people.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from assay.cli.acting import acting, as_option, date_option_value, domain_errors, user_named

if TYPE_CHECKING:
    from assay.registrations.dashboard import CentreDashboard

APPROVAL_STATUSES = ["approved", "suspended", "withdrawn"]
ROLES = [
    "centre_admin",
    "tutor",
    "assessor",
    "internal_verifier",
    "lead_iqa",
    "external_verifier",
    "employer_contact",
    "candidate",
]


@click.group()
def centre() -> None:
    """Centres: approvals per qualification, people and roles, dashboard figures."""


@centre.command(name="list")
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_user: str | None, as_json: bool) -> None:
    """List the centres (those USERNAME works at, with --as), by name. Read from the database
    a page at a time (the whole list is printed)."""
    from assay.cli.output import emit_json, every_row
    from assay.registrations.dashboard import centre_page

    user = acting(as_user)
    rows = every_row(lambda cursor, size: centre_page(user, cursor, size))
    if as_json:
        emit_json(list(rows))
        return
    for row in rows:
        roles = f"  [{', '.join(row.roles)}]" if row.roles else ""
        click.echo(f"{row.id:>4}  {row.number:<10} {row.name}{roles}")


@centre.command()
@click.argument("centre_id", metavar="ID")
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(centre_id: str, as_user: str | None, as_json: bool) -> None:
    """Dashboard figures: candidates by status, approvals, sites, staff A/V deadlines."""
    from assay.cli.output import emit_json
    from assay.registrations.dashboard import centre_dashboard, centre_find

    user = acting(as_user)
    with domain_errors():
        data = centre_dashboard(user, centre_find(user, centre_id))
    if as_json:
        emit_json(data)
        return
    _print_dashboard(data)


def _print_dashboard(data: CentreDashboard) -> None:
    c, counts = data.centre, data.registrations
    click.echo(f"{c.name} ({c.number}), id {c.id}; today {data.today.isoformat()}")
    by_status = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.by_status.items())
    click.echo(f"Candidates: {counts.total} ({by_status})")
    click.echo("Approvals:")
    for a in data.approvals:
        decided = a.status or "none yet"
        since = f" since {a.since.isoformat()}" if a.since else ""
        until = f" until {a.until.isoformat()}" if a.until else ""
        reason = f" ({a.reason})" if a.reason else ""
        flag = "in force" if a.in_force else "NOT in force"
        click.echo(f"  {a.qualification:<20} {decided}{since}{until}{reason} [{flag}]")
    click.echo("Sites:" if data.sites else "Sites: none recorded")
    for site in data.sites:
        click.echo(f"  {site.name}" + (f", {site.address}" if site.address else ""))
    click.echo("Staff:")
    for member in data.staff:
        click.echo(f"  {member.person.name} ({', '.join(member.roles)})")
        for state in member.competence:
            click.echo(f"    {state.av_unit}: {state.status}; {state.message}")
    for warning in data.warnings:
        click.echo(f"warning: {warning}")
    if data.refusals:
        click.echo(f"Refused registrations logged: {data.refusals}")
    if data.due_to_expire:
        click.echo(f"Registrations due to expire: {data.due_to_expire} (assay register expire)")


@centre.command()
@click.argument("centre_id", metavar="ID")
@click.argument("qual")
@click.option("--status", type=click.Choice(APPROVAL_STATUSES), required=True)
@click.option("--since", required=True, help="First day of the decision (YYYY-MM-DD).")
@click.option("--until", default=None, help="Last day, when the decision has one.")
@click.option("--reason", default="", help="Required for a suspension or withdrawal.")
@as_option(required=True)
def approve(
    centre_id: str,
    qual: str,
    status: str,
    since: str,
    until: str | None,
    reason: str,
    as_user: str,
) -> None:
    """Record the awarding body's decision on the centre offering QUAL (history is kept)."""
    from assay.catalogue.selectors import qualification_get
    from assay.centres.services import ApprovalInput, approval_record
    from assay.cli.output import fail
    from assay.registrations.dashboard import centre_find

    user = user_named(as_user)
    first = date_option_value(since, "--since")
    last = date_option_value(until, "--until")
    assert first is not None
    if last is not None and last < first:
        fail(f"--until {last} is before --since {first}")
    with domain_errors():
        row = approval_record(
            by=user,
            centre=centre_find(user, centre_id),
            approval=ApprovalInput(qualification_get(qual).code, status, first, last, reason),
        )
    click.echo(f"{row.centre.number} {row.qualification_code}: {row.status} from {row.since}")


@centre.command()
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--qualification", "qual", default=None, help="Only for this qualification.")
@as_option(required=True)
def grant(centre_id: str, username: str, role: str, qual: str | None, as_user: str) -> None:
    """Give USERNAME a ROLE at the centre (optionally for one qualification)."""
    from assay.catalogue.selectors import qualification_get
    from assay.centres.services import membership_grant
    from assay.registrations.dashboard import centre_find

    by = user_named(as_user)
    person = user_named(username)
    with domain_errors():
        code = qualification_get(qual).code if qual else ""
        membership = membership_grant(
            by=by,
            centre=centre_find(by, centre_id),
            user=person,
            role=role,
            qualification_code=code,
        )
    scope = f" for {code}" if code else ""
    click.echo(f"{username} is {membership.role}{scope} at {membership.centre.number}")
