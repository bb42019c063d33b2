"""``assay audits``: standards, audits, the sample, site scores, decisions, certificates.

Writes need ``--as USERNAME`` (every change records who); reads without it run as the operator.
Errors are one line on stderr with exit status 2 (see ``assay.cli.acting``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

import click

from assay.cli.acting import as_option


@click.group()
def audits() -> None:
    """Organisational certification audits against a customer service standard (ICSS)."""


@audits.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check standard FILES; print every error with file, line and JSON path. Loads nothing."""
    from assay.audits.specfile import load_standard_file
    from assay.cli.catalogue import echo_validation

    echo_validation(files, load_standard_file)


@audits.command(name="import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--library", is_flag=True, help="Import the standards shipped with Assay.")
def import_(files: tuple[Path, ...], library: bool) -> None:
    """Import standard FILES in one transaction: all of them or, on any error, none.

    Re-importing a version already imported changes nothing; a new version is kept beside the
    old one; the same version with other content is refused.
    """
    from assay.audits.specfile import library_files
    from assay.audits.standards import StandardImportError, standard_import

    paths = list(files) + (library_files() if library else [])
    if not paths:
        raise click.UsageError("give FILES or --library")
    try:
        results = standard_import(paths=paths)
    except StandardImportError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(exc.errors)} error(s); nothing was imported", err=True)
        raise SystemExit(1) from exc
    for r in results:
        click.echo(f"{r.code} v{r.version}: {r.status}")


@audits.command()
def standards() -> None:
    """List the imported standards (every version), read a page at a time."""
    from assay.audits.selectors import standards_page
    from assay.cli.output import every_row

    for row in every_row(standards_page):
        mark = "  [illustrative]" if row.illustrative else ""
        click.echo(f"{row.code} v{row.version}  {row.title}{mark}")


@audits.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def list_(as_json: bool, as_user: str | None) -> None:
    """The audits you may see, newest first: id, organisation and scope, standard, kind,
    status. Read from the database a page at a time (the whole list is printed)."""
    from assay.audits.answers import audit_answer
    from assay.audits.selectors import audits_page
    from assay.cli.acting import acting
    from assay.cli.output import emit_json, every_row

    user = acting(as_user)
    rows = every_row(lambda cursor, size: audits_page(user, cursor, size))
    if as_json:
        emit_json([audit_answer(a) for a in rows])
        return
    for a in rows:
        click.echo(
            f"{a.pk}\t{a.scope_text}\t{a.standard.code} v{a.standard.version}\t{a.kind}\t{a.status}"
        )


@audits.command()
@click.option("--organisation", "reference", required=True, help="Organisation reference.")
@click.option("--standard", "code", required=True, help="Standard code.")
@click.option("--version", type=int, help="Standard version (default: the newest).")
@click.option("--division", help="Audit this autonomous division only (its name).")
@as_option(required=True)
def create(
    reference: str, code: str, version: int | None, division: str | None, as_user: str
) -> None:
    """Plan an initial audit of an organisation or one of its divisions."""
    from assay.audits.selectors import organisation_by_reference, standard_get
    from assay.audits.services import audit_create
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import InvalidInput

    with domain_errors():
        user = user_named(as_user)
        organisation = organisation_by_reference(user, reference)
        chosen = None
        if division is not None:
            chosen = organisation.divisions.filter(name=division).first()
            if chosen is None:
                raise InvalidInput(
                    {"division": f"{organisation.name} has no division {division!r}"}
                )
        audit = audit_create(
            by=user,
            organisation=organisation,
            standard=standard_get(code, version),
            division=chosen,
        )
    click.echo(f"audit {audit.pk}: {audit.scope_text}, {audit.standard}, planned")


@audits.command()
@click.argument("audit_id", type=int)
@as_option(required=True)
def recertify(audit_id: int, as_user: str) -> None:
    """Plan next year's re-certification audit from a decided one."""
    from assay.audits.selectors import audit_get
    from assay.audits.services import audit_recertify
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        audit = audit_recertify(by=user, previous=audit_get(user, audit_id))
    click.echo(f"audit {audit.pk}: re-certification of audit {audit_id}, planned")


@audits.command()
@click.argument("audit_id", type=int)
@click.option("--to", "to", required=True, type=click.Choice(["self_assessment", "fieldwork"]))
@click.option("--note", default="")
@as_option(required=True)
def advance(audit_id: int, to: str, note: str, as_user: str) -> None:
    """Move an audit on: planned → self_assessment → fieldwork."""
    from assay.audits.selectors import audit_get
    from assay.audits.services import audit_advance
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        audit = audit_advance(by=user, audit=audit_get(user, audit_id), to=to, note=note)
    click.echo(f"audit {audit.pk}: {audit.status}")


@audits.command()
@click.argument("audit_id", type=int)
@click.option("--auditor", required=True, metavar="USERNAME")
@as_option(required=True)
def assign(audit_id: int, auditor: str, as_user: str) -> None:
    """Assign an auditor of the certifying body to an audit."""
    from assay.audits.selectors import audit_get
    from assay.audits.services import auditor_assign
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        auditor_assign(by=user, audit=audit_get(user, audit_id), auditor=user_named(auditor))
    click.echo(f"audit {audit_id}: {auditor} assigned")


@audits.command()
@click.argument("audit_id", type=int)
@click.option("--seed", type=int, help="Draw with this seed (default: a fresh random one).")
@click.option(
    "--verify",
    is_flag=True,
    help="Re-draw from the stored seed and inputs and compare; check the audit's record chain.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def sample(
    audit_id: int, seed: int | None, verify: bool, as_json: bool, as_user: str | None
) -> None:
    """Draw the audit's sample of offices (once; needs --as) and print the picks with their
    reasons; when it is already drawn, print the stored one. --verify re-checks the draw."""
    from assay.audits.answers import CheckedSampleOut, SampleOut, sample_answer
    from assay.audits.selectors import audit_get, audit_sample, sample_checked
    from assay.audits.services import sample_draw
    from assay.cli.acting import acting, domain_errors, user_named
    from assay.cli.output import emit_json, fail

    with domain_errors():
        user = acting(as_user)
        draw = audit_sample(user, audit_id)
        if draw is None:
            if verify:
                fail(f"audit {audit_id} has no sample yet")
            if not as_user:
                fail("drawing the sample needs --as USERNAME")
            draw = sample_draw(by=user_named(as_user), audit=audit_get(user, audit_id), seed=seed)
        elif seed is not None:
            fail(f"audit {audit_id}'s sample is already drawn (seed {draw.seed}); it is drawn once")
        data: SampleOut = sample_checked(user, audit_id) if verify else sample_answer(draw)
    check = data.verify if isinstance(data, CheckedSampleOut) else None
    if as_json:
        emit_json(data)
    else:
        click.echo(f"audit {audit_id}: seed {draw.seed}, drawn on {draw.drawn_on:%d/%m/%Y}")
        click.echo(f"  rule: {data.rule.name} (version {data.rule.version})")
        for row in data.per_state:
            click.echo(f"  {row.state}: main office + {row.sampled} of {row.others} others")
        for p in data.picks:
            click.echo(f"{p.office}\t{p.state}\t{p.how}\t{p.name}\t{p.reason}")
        if check is not None:
            click.echo(("verified: " if check.same else "MISMATCH: ") + check.message)
            for problem in check.problems:
                click.echo(f"  {problem}")
    if check is not None and not check.same:
        raise SystemExit(1)


@audits.command(name="close")
@click.argument("audit_id", type=int)
@click.option("--summary", required=True, help="The report's summary of the fieldwork.")
@as_option(required=True)
def close(audit_id: int, summary: str, as_user: str) -> None:
    """Close fieldwork (the lead auditor): the report is submitted, the decision may follow."""
    from assay.audits.selectors import audit_get
    from assay.audits.services import fieldwork_close
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        report = fieldwork_close(by=user, audit=audit_get(user, audit_id), summary=summary)
    click.echo(f"audit {audit_id}: fieldwork closed on {report.submitted_on:%d/%m/%Y}")


@audits.command(name="sampling-rule")
@click.option("--body", "reference", required=True, help="Certifying body reference.")
@click.option(
    "--rule",
    type=click.Choice(["per-state-sqrt", "whole-organisation-sqrt"]),
    help="Choose this rule (a new version; needs --as and --note).",
)
@click.option("--random-percent", type=int, default=25, show_default=True)
@click.option("--note", default="", help="Why the body chose this rule.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@as_option(required=False)
def sampling_rule(
    reference: str,
    rule: str | None,
    random_percent: int,
    note: str,
    as_json: bool,
    as_user: str | None,
) -> None:
    """Print the body's sampling rule (name, source, every version); with --rule, choose a
    new one (the body's administrators)."""
    from assay.audits.selectors import body_get, sampling_rule_answer
    from assay.audits.services import sampling_policy_set
    from assay.cli.acting import acting, domain_errors, user_named
    from assay.cli.output import emit_json, fail

    with domain_errors():
        user = acting(as_user)
        if rule is not None:
            if not as_user:
                fail("choosing a sampling rule needs --as USERNAME")
            by = user_named(as_user)
            sampling_policy_set(
                by=by,
                body=body_get(by, reference),
                rule=rule,
                random_percent=random_percent,
                note=note,
            )
        data = sampling_rule_answer(user, reference)
    if as_json:
        emit_json(data)
        return
    current = data.current
    click.echo(
        f"{current.name} (rule version {current.version}; policy version "
        f"{current.policy_version or '0: the default'})"
    )
    click.echo(f"  {current.summary}")
    click.echo(f"  source: {current.source}")
    for v in data.history:
        click.echo(
            f"v{v.version}\t{v.rule}\t{v.random_percent} %\t{v.adopted_by}\t"
            f"{v.adopted_at:%d/%m/%Y %H:%M}\t{v.note}"
        )


@audits.command()
@click.argument("audit_id", type=int)
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@as_option(required=True)
def score(audit_id: int, csv_file: TextIO, as_user: str) -> None:
    """Record site scores from a CSV with columns office (id or name), attribute, score and
    optionally notes. All rows or none."""
    from assay.audits.models import Office
    from assay.audits.selectors import audit_get
    from assay.audits.services import SiteScoreInput, site_score_record
    from assay.cli.acting import domain_errors, user_named
    from assay.errors import InvalidInput

    with domain_errors():
        user = user_named(as_user)
        audit = audit_get(user, audit_id)
        names = dict(
            Office.objects.filter(organisation_id=audit.organisation_id).values_list("name", "pk")
        )
        entries, errors = [], {}
        for line, row in enumerate(csv.DictReader(csv_file), start=2):
            office, value = (row.get("office") or "").strip(), (row.get("score") or "").strip()
            office_id = int(office) if office.isdigit() else names.get(office)
            if office_id is None:
                errors[f"line {line}"] = f"unknown office {office!r}"
            elif not value.lstrip("-").isdigit():
                errors[f"line {line}"] = f"score {value!r} is not a whole number"
            else:
                entries.append(
                    SiteScoreInput(
                        office_id,
                        (row.get("attribute") or "").strip(),
                        int(value),
                        (row.get("notes") or "").strip(),
                    )
                )
        if errors:
            raise InvalidInput(errors)
        rows = site_score_record(by=user, audit=audit, entries=entries)
    click.echo(f"audit {audit_id}: {len(rows)} scores recorded")


@audits.command()
@click.argument("audit_id", type=int)
@click.option(
    "--verify",
    is_flag=True,
    help="Recompute the recorded decision from stored scores; check the audit's record chain.",
)
@click.option("--rationale", default="", help="Why, beside the engine's reasons (required).")
@click.option("--conditions", default="", help="Any conditions of the decision.")
@as_option(required=False)
def decide(
    audit_id: int, verify: bool, rationale: str, conditions: str, as_user: str | None
) -> None:
    """Record the certification decision (a decision maker who did not score the audit) and
    print every reason; --verify re-checks the recorded one instead."""
    from assay.audits.selectors import audit_get, decision_verify
    from assay.audits.services import decision_record
    from assay.cli.acting import acting, domain_errors, user_named
    from assay.cli.output import fail

    with domain_errors():
        if verify:
            check = decision_verify(acting(as_user), audit_id)
            click.echo(("agrees: " if check.agrees else "DISAGREES: ") + check.message)
            for problem in check.problems:
                click.echo(f"  {problem}")
            if not check.agrees:
                raise SystemExit(1)
            return
        if not as_user:
            fail("recording a decision needs --as USERNAME")
        user = user_named(as_user)
        decision = decision_record(
            by=user,
            audit=audit_get(user, audit_id),
            rationale=rationale,
            conditions=conditions,
        )
    verdict = "CERTIFIABLE" if decision.certifiable else "NOT CERTIFIABLE"
    click.echo(f"audit {audit_id}: {verdict}")
    for reason in decision.reasons:
        click.echo(f"  [{reason['code']}] {reason['text']}")


@audits.command()
@click.argument("audit_id", type=int)
@as_option(required=True)
def certificate(audit_id: int, as_user: str) -> None:
    """Issue the certificate of a certifiable audit (valid one year)."""
    from assay.audits.certificates import certificate_issue
    from assay.audits.selectors import audit_get
    from assay.cli.acting import domain_errors, user_named

    with domain_errors():
        user = user_named(as_user)
        issued = certificate_issue(by=user, audit=audit_get(user, audit_id))
    click.echo(
        f"{issued.number}: {issued.scope_text}, {', '.join(issued.states)}, "
        f"{issued.issued_on:%d/%m/%Y} to {issued.valid_through:%d/%m/%Y}"
    )


@audits.command()
@click.argument("number")
def check(number: str) -> None:
    """Check a certificate NUMBER on the public register (what anyone may see)."""
    from assay.audits.selectors import certificate_public
    from assay.cli.acting import domain_errors
    from assay.cli.output import emit_json

    with domain_errors():
        emit_json(certificate_public(number))


@audits.command()
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Print the register's fields as JSON.")
def register(query: str, as_json: bool) -> None:
    """The public register: every certificate (current, expired, withdrawn) whose
    organisation's name (capitals and accents ignored) or number contains QUERY; all of them
    without one. Read a page at a time, by organisation name then number."""
    from assay.audits.selectors import register_search
    from assay.cli.acting import domain_errors
    from assay.cli.output import emit_json, every_row

    with domain_errors():
        rows = list(every_row(lambda cursor, size: register_search(query, cursor, size)))
    if as_json:
        emit_json(rows)
        return
    for c in rows:
        click.echo(f"{c.number}\t{c.organisation}\t{c.valid_through:%d/%m/%Y}\t{c.status}")


@audits.command("certificate-pdf")
@click.argument("number")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
@as_option(required=False)
def certificate_pdf_command(number: str, output: Path, as_user: str | None) -> None:
    """Write certificate NUMBER as a printable PDF (a QR code to its register entry); for
    those who may see the certificate."""
    from assay.audits.pdf import certificate_pdf
    from assay.audits.selectors import certificate_get
    from assay.cli.acting import acting, domain_errors

    with domain_errors():
        content = certificate_pdf(certificate_get(acting(as_user), number))
    output.write_bytes(content)
    click.echo(f"{output}: {len(content):,} bytes")


@audits.command()
@click.option("--within", type=int, default=60, show_default=True, help="Days before expiry.")
@click.option(
    "--send",
    is_flag=True,
    help="Email the organisations' contacts (once each; the emails go out through "
    "`assay worker`, docs/jobs.md).",
)
@as_option(required=False)
def remind(within: int, send: bool, as_user: str | None) -> None:
    """List valid certificates expiring within --within days; --send emails reminders (queued
    for `assay worker`, which tries again when the mail server fails)."""
    from assay.audits.certificates import reminders_due, reminders_send
    from assay.cli.acting import acting, domain_errors

    with domain_errors():
        user = acting(as_user)
        rows = (
            reminders_send(by=user, within_days=within)
            if send
            else reminders_due(user, within_days=within)
        )
    for due in rows:
        c = due.certificate
        state = "sent" if send else ("already reminded" if due.already_sent else "due")
        to = ", ".join(due.recipients) or "no contact e-mail"
        click.echo(
            f"{c.number}\t{c.valid_through:%d/%m/%Y}\t{due.days_left} days\t"
            f"{c.scope_text}\t{to}\t{state}"
        )
    click.echo(
        f"{len(rows)} certificate(s) {'reminded' if send else 'expiring'} within {within} days"
    )


@audits.command()
@click.argument("audit_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "pdf", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the results on stdout; pdf: the audit report with its charts; xlsx: the scores.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for pdf/xlsx."
)
@as_option(required=False)
def report(audit_id: int, fmt: str, output: Path | None, as_user: str | None) -> None:
    """The audit's results: as JSON (per attribute, node and overall, per site and across
    sites, bands, gaps against the self-assessment, the decision and the change since last
    year), or the full report as PDF or the scores as XLSX written to ``-o FILE``."""
    from assay.audits.selectors import results_answer
    from assay.cli.acting import acting, domain_errors
    from assay.cli.output import emit_json

    if fmt != "json" and output is None:
        click.echo(f"error: --format {fmt} needs -o FILE", err=True)
        raise SystemExit(2)
    with domain_errors():
        user = acting(as_user)
        if fmt == "json":
            data = results_answer(user, audit_id)
        else:
            from assay.audits.reports.build import report_for

            built = report_for(user, audit_id)
    if fmt == "json":
        emit_json(data)
        return
    assert output is not None
    if fmt == "pdf":
        from assay.audits.reports.pdf import render_pdf

        content = render_pdf(built)
    else:
        from assay.audits.reports.xlsx import render_xlsx

        content = render_xlsx(built)
    output.write_bytes(content)
    click.echo(f"{output}: {len(content):,} bytes")
