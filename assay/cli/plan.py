"""``assay plan``: check a set of units against the rules, or complete it optimally."""

from __future__ import annotations

import click

from assay.cli.acting import as_option

OBJECTIVES = ["fewest-glh", "fewest-units", "most-reuse"]


@click.group()
def plan() -> None:
    """Rules of combination: check and complete unit plans."""


@plan.command()
@click.argument("qual")
@click.argument("units", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(qual: str, units: tuple[str, ...], as_json: bool) -> None:
    """Decide whether UNITS achieve QUAL, with every rule's state and reason."""
    from assay.catalogue.planning import plan_check
    from assay.catalogue.selectors import qualification_get
    from assay.cli.output import emit_json, fail
    from assay.errors import NotFound

    try:
        result = plan_check(qualification_get(qual), units)
    except NotFound as exc:
        fail(str(exc))
    if as_json:
        emit_json(result)
        return
    click.echo(result.summary)
    for rule in result.rules:
        click.echo(f"  [{'x' if rule.met else ' '}] {rule.rule}: {rule.explanation}")


@plan.command()
@click.argument("qual")
@click.option("--have", multiple=True, help="A unit already achieved or in progress (repeat).")
@click.option("--exclude", multiple=True, help="A unit the candidate cannot take (repeat).")
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="fewest-glh",
    show_default=True,
    help=(
        "fewest-glh falls back to fewest units where the source gives no hours; most-reuse "
        "prefers units the registration's portfolio already evidences (needs --registration)."
    ),
)
@click.option(
    "--registration",
    "registration_id",
    type=int,
    help="Registration whose portfolio evidence most-reuse builds on.",
)
@click.option(
    "--allow-without-content",
    is_flag=True,
    help="Also suggest units whose content is not in the catalogue (credit transfer only).",
)
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def complete(
    qual: str,
    have: tuple[str, ...],
    exclude: tuple[str, ...],
    objective: str,
    registration_id: int | None,
    allow_without_content: bool,
    as_user: str | None,
    as_json: bool,
) -> None:
    """Find the optimal units to add so that QUAL is achieved, or say why it cannot be."""
    from assay.catalogue.planning import plan_complete
    from assay.catalogue.selectors import qualification_get
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json, fail

    if objective == "most-reuse" and registration_id is None:
        fail("--objective most-reuse needs --registration ID")
    with domain_errors():
        qualification = qualification_get(qual)
        reuse = None
        if registration_id is not None:
            from assay.portfolios.selectors import portfolio_reuse
            from assay.registrations.selectors import registration_get

            user = acting(as_user)
            registration = registration_get(user, registration_id)
            if registration.qualification_id != qualification.pk:
                fail(f"registration {registration_id} is not for {qualification.code}")
            reuse = portfolio_reuse(user, registration_id)
        result = plan_complete(
            qualification,
            have=have,
            exclude=exclude,
            objective=objective,
            reuse=reuse,
            allow_without_content=allow_without_content,
        )
    if as_json:
        keys = ("feasible", "add", "added_glh", "reason", "objective")
        emit_json({k: getattr(result, k) for k in keys})
        return
    if not result.feasible:
        click.echo(f"Cannot be completed: {result.reason}")
        return
    added = ", ".join(result.add) or "nothing"
    glh = "" if result.added_glh is None else f" ({result.added_glh} GLH)"
    click.echo(f"Add {added}{glh}")
