"""``assay centre competence|cpd|site-add``: A/V unit records, CPD entries and sites.

ID is the centre's awarding-body number or its id; USERNAME must hold a role there. Every
command acts as ``--as USERNAME`` (or ``ASSAY_AS``), who must be allowed to make the change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import click

from assay.cli.acting import as_option, date_option_value, domain_errors, user_named

COMPETENCE_ROLES = ["assessor", "internal_verifier", "external_verifier"]


def _person(by: Any, centre_id: str, username: str) -> tuple[Any, Any]:
    """The centre (as ``by`` sees it) and USERNAME among its people."""
    from assay.centres.selectors import person_at
    from assay.registrations.dashboard import centre_find

    person = user_named(username)
    with domain_errors():
        centre = centre_find(by, centre_id)
        return centre, person_at(centre, person.pk)


@click.group()
def competence() -> None:
    """Assessor/verifier (A/V) units: record one, mark one achieved."""


@competence.command(name="add")
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--role", type=click.Choice(COMPETENCE_ROLES), required=True)
@click.option("--unit", "av_unit", required=True, help="The A/V unit, e.g. A1 or V1.")
@click.option("--started", required=True, help="Started working with the standards.")
@click.option("--achieved", default=None, help="When the unit was achieved, if it was.")
@as_option(required=True)
def competence_add(
    centre_id: str,
    username: str,
    role: str,
    av_unit: str,
    started: str,
    achieved: str | None,
    as_user: str,
) -> None:
    """Record an A/V unit USERNAME holds or is working towards (a centre administrator; an
    external verifier's units: the awarding body). Prints the deadline."""
    from assay import clock
    from assay.centres.people import competence_record
    from assay.registrations.staff import CompetenceState

    by = user_named(as_user)
    centre, person = _person(by, centre_id, username)
    started_on = date_option_value(started, "--started")
    assert started_on is not None
    with domain_errors():
        row = competence_record(
            by=by,
            centre=centre,
            user=person,
            role=role,
            av_unit=av_unit,
            started_on=started_on,
            achieved_on=date_option_value(achieved, "--achieved"),
        )
    click.echo(f"{username} {row.av_unit} ({row.role}), record {row.pk}: ", nl=False)
    click.echo(CompetenceState.of(row, clock.today()).message)


@competence.command(name="achieved")
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--unit", "av_unit", required=True, help="The A/V unit, e.g. A1.")
@click.option("--role", type=click.Choice(COMPETENCE_ROLES), default=None, help="If ambiguous.")
@click.option("--on", "on", required=True, help="The day the unit was achieved.")
@as_option(required=True)
def competence_mark_achieved(
    centre_id: str, username: str, av_unit: str, role: str | None, on: str, as_user: str
) -> None:
    """Mark USERNAME's A/V unit achieved (once; not before they started, not after today)."""
    from assay.centres.people import competence_achieved
    from assay.centres.selectors import competence_find

    by = user_named(as_user)
    _, person = _person(by, centre_id, username)
    achieved_on = date_option_value(on, "--on")
    assert achieved_on is not None
    with domain_errors():
        row = competence_achieved(
            by=by, competence=competence_find(person, av_unit, role), achieved_on=achieved_on
        )
    click.echo(f"{username} {row.av_unit} ({row.role}): achieved {row.achieved_on}")


@click.command()
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--on", "on", required=True, help="The day of the activity (not after today).")
@click.option("--hours", required=True, help="More than 0, to one decimal place.")
@click.option("--activity", required=True, help="What was done.")
@as_option(required=True)
def cpd(centre_id: str, username: str, on: str, hours: str, activity: str, as_user: str) -> None:
    """Add an entry to USERNAME's CPD log (themselves, or a centre administrator)."""
    from assay.centres.people import cpd_record
    from assay.cli.output import fail

    by = user_named(as_user)
    _, person = _person(by, centre_id, username)
    day = date_option_value(on, "--on")
    assert day is not None
    try:
        amount = Decimal(hours)
    except InvalidOperation:
        fail(f"--hours: {hours!r} is not a number")
    with domain_errors():
        entry = cpd_record(by=by, user=person, on=day, hours=amount, activity=activity)
    click.echo(f"{username}: CPD {entry.hours} h on {entry.on}, entry {entry.pk}")


@click.command(name="site-add")
@click.argument("centre_id", metavar="ID")
@click.argument("name")
@click.option("--address", default="", help="The site's postal address.")
@as_option(required=True)
def site_add(centre_id: str, name: str, address: str, as_user: str) -> None:
    """Add a site NAME to the centre (a centre administrator)."""
    from assay.centres.services import site_add as add
    from assay.registrations.dashboard import centre_find

    by = user_named(as_user)
    with domain_errors():
        site = add(by=by, centre=centre_find(by, centre_id), name=name, address=address)
    click.echo(f"site {site.pk}: {site.name} at {site.centre.number}")
