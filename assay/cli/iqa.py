"""``assay iqa``: internal quality assurance — draw a centre's sample, list your queue,
verify a pick (docs/iqa.md)."""

from __future__ import annotations

import click

from assay.cli.acting import as_option


@click.group()
def iqa() -> None:
    """Internal quality assurance: samples, the IV's queue and verifications."""


@iqa.command("draw")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option("--qualification", required=True, metavar="CODE", help="e.g. 4430-04")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="Period start.")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Period end.")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Redraw with this seed.")
@as_option(required=True)
def draw(
    centre_key: str, qualification: str, start: str, end: str, seed: int | None, as_user: str
) -> None:
    """Draw and store the sample of a period (a lead IQA or centre administrator), allocated
    to the centre's internal verifiers; print every pick with its reasons."""
    from assay.cli.acting import date_option_value, domain_errors, user_named
    from assay.cli.output import every_row
    from assay.registrations.dashboard import centre_find
    from assay.verification.selectors import picks_page
    from assay.verification.services import sample_draw

    period_start = date_option_value(start, "--from")
    period_end = date_option_value(end, "--to")
    assert period_start is not None and period_end is not None
    with domain_errors():
        user = user_named(as_user)
        row = sample_draw(
            by=user,
            centre=centre_find(user, centre_key),
            qualification=qualification,
            period_start=period_start,
            period_end=period_end,
            seed=seed,
        )
    click.echo(f"sample {row.pk}: {row.picks.count()} pick(s), seed {row.seed}")
    for pick in every_row(lambda cursor, size: picks_page(row, cursor, size)):
        who = pick.verifier.get_username() if pick.verifier else "UNALLOCATED"
        click.echo(
            f"  pick {pick.pk}: unit {pick.unit_number} of {pick.registration.candidate} "
            f"({pick.stage}) -> {who}, due {pick.due_on:%d/%m/%Y}"
        )
        for reason in [*pick.reasons, *pick.refusals]:
            click.echo(f"      {reason}")


@iqa.command("queue")
@as_option(required=True)
def queue(as_user: str) -> None:
    """The picks allocated to you still to verify, oldest due first."""
    from assay.cli.acting import domain_errors, user_named
    from assay.cli.output import every_row
    from assay.verification.selectors import queue_page

    with domain_errors():
        user = user_named(as_user)
        rows = list(every_row(lambda cursor, size: queue_page(user, cursor, size)))
    for pick in rows:
        status = "action required" if pick.outcome == "action_required" else "to verify"
        click.echo(
            f"pick {pick.pk}: due {pick.due_on:%d/%m/%Y} unit {pick.unit_number} of "
            f"{pick.registration.candidate} ({pick.stage}, {status})"
        )
    click.echo(f"{len(rows)} pick(s) to verify")


@iqa.command("verify")
@click.argument("pick_id", type=int, metavar="PICK")
@click.option("--agree", "outcome", flag_value="agree", help="Agree with the assessment.")
@click.option(
    "--action-required",
    "outcome",
    flag_value="action_required",
    help="Action required (reopens a signed-off unit; needs --due).",
)
@click.option("--feedback", required=True, help="Feedback to the assessor.")
@click.option("--due", default=None, metavar="YYYY-MM-DD", help="By when action is due.")
@as_option(required=True)
def verify(pick_id: int, outcome: str | None, feedback: str, due: str | None, as_user: str) -> None:
    """Record your verification of a pick as a chained decision on the registration."""
    from assay.cli.acting import date_option_value, domain_errors, user_named
    from assay.cli.output import fail
    from assay.verification.selectors import pick_get
    from assay.verification.services import unit_verify

    if outcome is None:
        fail("say --agree or --action-required")
    due_on = date_option_value(due, "--due")
    with domain_errors():
        user = user_named(as_user)
        pick = pick_get(user, pick_id)
        decision = unit_verify(
            by=user, pick=pick, outcome=outcome, feedback=feedback, due_on=due_on
        )
    said = "agreed" if outcome == "agree" else "action required"
    click.echo(f"pick {pick_id}: {said} (decision #{decision.seq})")


@iqa.command("strategy")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option("--qualification", required=True, metavar="CODE", help="e.g. 4430-04")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="NAME=RATE",
    help="base=10%, or a risk: trainee, new, new_to_qualification, action_points (repeatable).",
)
@click.option(
    "--standardisation-months",
    type=int,
    default=None,
    help="Flag staff not standardised in this many months (default 12).",
)
@as_option(required=True)
def strategy(
    centre_key: str,
    qualification: str,
    rates: tuple[str, ...],
    standardisation_months: int | None,
    as_user: str,
) -> None:
    """Set a qualification's sampling strategy (a lead IQA or centre administrator); risks
    not named keep their defaults. Every problem is named and nothing is saved."""
    from assay.cli.acting import domain_errors, user_named
    from assay.cli.output import fail
    from assay.registrations.dashboard import centre_find
    from assay.verification.services import strategy_set

    data: dict[str, object] = {}
    rules: dict[str, str] = {}
    for given in rates:
        name, sep, rate = given.partition("=")
        if not sep or not name.strip() or not rate.strip():
            fail(f"--rate {given!r}: write NAME=RATE, e.g. trainee=100%")
        if name.strip() in ("base", "base_rate"):
            data["base_rate"] = rate.strip()
        else:
            rules[name.strip()] = rate.strip()
    if rules:
        data["rules"] = rules
    if standardisation_months is not None:
        data["standardisation_months"] = standardisation_months
    with domain_errors():
        user = user_named(as_user)
        row = strategy_set(
            by=user,
            centre=centre_find(user, centre_key),
            qualification=qualification,
            data=data,
        )
    click.echo(f"strategy {row.pk} for {qualification} set: {row.data}")


@iqa.command("report")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option("--from", "start", default=None, metavar="YYYY-MM-DD", help="Period start.")
@click.option("--to", "end", default=None, metavar="YYYY-MM-DD", help="Period end.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default="pdf")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@as_option(required=True)
def report(
    centre_key: str, start: str | None, end: str | None, fmt: str, out: str, as_user: str
) -> None:
    """Write the IQA report of a period (default the last twelve months) as PDF or XLSX: the
    draws and picks, verifications, agreement, standardisation and open action points."""
    from pathlib import Path

    from assay.cli.acting import date_option_value, domain_errors, user_named
    from assay.registrations.dashboard import centre_find
    from assay.verification.render import render_pdf, render_xlsx
    from assay.verification.report import report_of
    from assay.verification.selectors import lead_centre

    period_start = date_option_value(start, "--from")
    period_end = date_option_value(end, "--to")
    with domain_errors():
        user = user_named(as_user)
        centre = lead_centre(user, centre_find(user, centre_key).pk)
        made = report_of(centre, period_start, period_end)
        body = render_pdf(made) if fmt == "pdf" else render_xlsx(made)
    Path(out).write_bytes(body)
    click.echo(f"IQA report {made.period} of {centre.name}: {out} ({len(body)} bytes)")


@iqa.command("standardise")
@click.option("--centre", "centre_key", required=True, metavar="CODE", help="Centre number or id.")
@click.option("--on", "held", required=True, metavar="YYYY-MM-DD", help="The day it was held.")
@click.option(
    "--kind",
    type=click.Choice(["meeting", "evidence_comparison", "other"]),
    default="meeting",
    help="What kind of activity.",
)
@click.option("--summary", required=True, help="What was compared or discussed.")
@click.option("--decisions", default="", help="The decisions taken.")
@click.option("--qualification", default="", metavar="CODE", help="Empty: every qualification.")
@click.option(
    "--attendee", "attendees", multiple=True, metavar="USER", help="An assessor or IV (repeat)."
)
@click.option(
    "--action",
    "actions",
    multiple=True,
    metavar="TEXT|OWNER|YYYY-MM-DD",
    help="An action agreed, its owner and due date (repeatable).",
)
@as_option(required=True)
def standardise(
    centre_key: str,
    held: str,
    kind: str,
    summary: str,
    decisions: str,
    qualification: str,
    attendees: tuple[str, ...],
    actions: tuple[str, ...],
    as_user: str,
) -> None:
    """Record a standardisation activity (a lead IQA or centre administrator); every problem
    is named and nothing is saved."""
    from assay.cli.acting import date_option_value, domain_errors, user_named
    from assay.cli.output import fail
    from assay.registrations.dashboard import centre_find
    from assay.verification.standardisation import ActionInput, ActivityInput, activity_record

    held_on = date_option_value(held, "--on")
    assert held_on is not None
    agreed: list[ActionInput] = []
    for given in actions:
        parts = given.split("|")
        if len(parts) != 3:
            fail(f"--action {given!r}: write TEXT|OWNER|YYYY-MM-DD")
        due = date_option_value(parts[2].strip(), "--action")
        assert due is not None
        agreed.append(ActionInput(parts[0], parts[1], due))
    with domain_errors():
        user = user_named(as_user)
        row = activity_record(
            by=user,
            centre=centre_find(user, centre_key),
            data=ActivityInput(
                held_on=held_on,
                kind=kind,
                summary=summary,
                decisions=decisions,
                qualification=qualification,
                attendees=attendees,
                actions=agreed,
            ),
        )
    click.echo(
        f"standardisation {row.pk} on {held_on:%d/%m/%Y}: {len(attendees)} attendee(s), "
        f"{len(agreed)} action(s)"
    )
