"""``assay plan``: check a set of units against the rules, or complete it optimally."""

from __future__ import annotations

import click

OBJECTIVES = ["fewest-glh", "fewest-units"]


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
    from assay.catalogue.selectors import NotFound, qualification_get
    from assay.cli.main import emit_json, fail

    try:
        result = plan_check(qualification_get(qual), units)
    except NotFound as exc:
        fail(str(exc))
    if as_json:
        emit_json(result)
        return
    click.echo(result["summary"])
    for rule in result["rules"]:
        click.echo(f"  [{'x' if rule['met'] else ' '}] {rule['rule']}: {rule['explanation']}")


@plan.command()
@click.argument("qual")
@click.option("--have", multiple=True, help="A unit already achieved or in progress (repeat).")
@click.option("--exclude", multiple=True, help="A unit the candidate cannot take (repeat).")
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="fewest-glh",
    show_default=True,
    help="fewest-glh falls back to fewest units where the source gives no hours.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def complete(
    qual: str, have: tuple[str, ...], exclude: tuple[str, ...], objective: str, as_json: bool
) -> None:
    """Find the optimal units to add so that QUAL is achieved, or say why it cannot be."""
    from assay.catalogue.planning import plan_complete
    from assay.catalogue.selectors import NotFound, qualification_get
    from assay.cli.main import emit_json, fail

    try:
        result = plan_complete(
            qualification_get(qual), have=have, exclude=exclude, objective=objective
        )
    except NotFound as exc:
        fail(str(exc))
    if as_json:
        emit_json({k: result[k] for k in ("feasible", "add", "added_glh", "reason", "objective")})
        return
    if not result["feasible"]:
        click.echo(f"Cannot be completed: {result['reason']}")
        return
    added = ", ".join(result["add"]) or "nothing"
    glh = "" if result["added_glh"] is None else f" ({result['added_glh']} GLH)"
    click.echo(f"Add {added}{glh}")
