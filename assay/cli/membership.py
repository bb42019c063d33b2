"""``assay membership``: the ICS membership grade and progression of a registration's
candidate (docs/membership.md)."""

from __future__ import annotations

import click

from assay.cli.acting import as_option


@click.group()
def membership() -> None:
    """Institute of Customer Service membership and what comes next."""


@membership.command("show")
@click.argument("registration_id", metavar="REGISTRATION", type=int)
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the API's answers).")
def show(registration_id: int, as_user: str | None, as_json: bool) -> None:
    """The ICS grade REGISTRATION's candidate is eligible for, what it rests on and why, and
    the next steps after the qualification."""
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json
    from assay.membership.selectors import membership_get, progression_get

    user = acting(as_user)
    with domain_errors():
        grade = membership_get(user, registration_id)
        steps = progression_get(user, registration_id)
    if as_json:
        emit_json({"membership": grade.model_dump(), "progression": steps.model_dump()})
        return
    click.echo(f"{grade.body}: {'eligible for ' + grade.grade if grade.grade else 'no grade yet'}")
    for reason in grade.reasons:
        click.echo(f"  - {reason}")
    click.echo(f"Next after {steps.qualification} {steps.title}:")
    for line in steps.employment:
        click.echo(f"  employment: {line}")
    for step in steps.steps:
        where = (
            f"in Assay's catalogue as {step.in_catalogue.code}"
            if step.in_catalogue
            else "not in Assay's catalogue"
        )
        extra = (
            f"; ICS {step.grade_on_completion} on completion" if step.grade_on_completion else ""
        )
        click.echo(f"  {step.target} ({where}{extra})")
        for carried in step.carried:
            click.echo(
                f"    counts again: {carried.unit.qualification} unit {carried.unit.number} as "
                f"{carried.target_unit} ({carried.basis})"
            )
