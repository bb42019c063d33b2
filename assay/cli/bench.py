"""``assay bench``: measured figures, not timed assertions in tests."""

from __future__ import annotations

import sys

import click


@click.group()
def bench() -> None:
    """Benchmarks that print their figures."""


@bench.command()
@click.option(
    "--plans", "n_plans", type=click.IntRange(min=1), default=1_000_000, show_default=True
)
@click.option("--qualification", "quals", multiple=True, help="Code or id (repeat); default all.")
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--rounds", type=click.IntRange(min=1), default=7, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help="Threads for the products (OpenBLAS); default: as NumPy started.",
)
def rules(
    n_plans: int, quals: tuple[str, ...], seed: int, rounds: int, threads: int | None
) -> None:
    """Decide N random plans per qualification; compare with a credit-sum-only pass (the floor).

    The floor converts each block of plans to float32 and sums its credits in one product;
    the full decision applies every rule of combination, exactly, on the same 4,096-row
    blocks. Decision and floor run in turn for --rounds rounds; the figures are medians (the
    ratio is the median of each round's ratio). Prints the threads the products used.
    """
    from assay.bench.blas import blas_threads, set_blas_threads
    from assay.catalogue.selectors import (
        qualification_engine_spec,
        qualification_get,
        qualification_list,
    )
    from assay.cli.output import fail
    from assay.engines.combination.batch import CHUNK
    from assay.engines.combination.batch import bench as run_bench
    from assay.errors import NotFound

    try:
        targets = [qualification_get(q) for q in quals] if quals else qualification_list()
    except NotFound as exc:
        fail(str(exc))
    if not targets:
        fail("no qualifications imported; run `assay catalogue import --library`")
    if threads is not None and not set_blas_threads(threads):
        fail("cannot set the BLAS threads here (not OpenBLAS); use OPENBLAS_NUM_THREADS")
    used = blas_threads()
    click.echo(
        f"threads: {used if used is not None else 'unknown'} for the products (OpenBLAS), "
        f"1 for the element-wise steps; blocks of {CHUNK:,} plans; {rounds} rounds"
    )
    for qual in targets:
        result = run_bench(qualification_engine_spec(qual), n_plans, seed, rounds)
        click.echo(
            f"{qual.code}: {result.n:,} plans; full decision {result.decide_seconds:.4f} s "
            f"({result.plans_per_second:,.0f} decisions/s); credit-sum floor "
            f"{result.floor_seconds:.4f} s; median ratio {result.ratio:.2f}x; "
            f"{result.achieved:,} achieved"
        )


@bench.command()
@click.option("--items", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--factor", type=click.IntRange(min=2), default=10, show_default=True)
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def portfolio(items: int, factor: int, repeat: int) -> None:
    """Time the real portfolio pages at N evidence items and N × factor: the web portfolio
    page and unit page as the assessor and as the candidate, and the API's portfolio read,
    through Django's test client (middleware and sessions), each with its queries, answer size
    and ratio.

    The portfolio (every 4430-04 unit with criteria, N items mapped three ways each) is built
    in a transaction that is rolled back: the database is left as it was. Issue 12's target is
    a ratio of at most 1.5 for 1,000 → 10,000 items.
    """
    from assay.bench.portfolio import TARGET_RATIO, portfolio_bench
    from assay.cli.output import fail
    from assay.errors import NotFound

    try:
        r = portfolio_bench(items, factor, repeat)
    except NotFound as exc:
        fail(f"{exc} (run `assay catalogue import --library` first)")
    except RuntimeError as exc:
        fail(str(exc))
    small, large = r.items
    click.echo(
        f"portfolio on {connection_vendor()}: {r.units} units, {r.targets} criteria and range "
        f"items; {small:,} items ({r.mappings[0]:,} mappings) → {large:,} items "
        f"({r.mappings[1]:,} mappings), best of {repeat}"
    )
    click.echo(
        f"  {'page':<28} {'ms at ' + format(small, ','):>13} {'ms at ' + format(large, ','):>13}"
        f" {'ratio':>6} {'queries':>9} {'KB':>15}"
    )
    for p in r.pages:
        queries = (
            f"{p.small.queries}"
            if p.small.queries == p.large.queries
            else f"{p.small.queries}→{p.large.queries}"
        )
        click.echo(
            f"  {p.name:<28} {p.small.seconds * 1000:13.1f} {p.large.seconds * 1000:13.1f} "
            f"{p.ratio:5.2f}x {queries:>9} {p.small.size / 1000:7.1f}→{p.large.size / 1000:.1f}"
        )
    equal = all(p.small.queries == p.large.queries for p in r.pages)
    click.echo(
        f"  worst ratio {r.worst:.2f}x for {large / small:.0f}x items (target ≤ {TARGET_RATIO}x); "
        f"queries {'equal' if equal else 'DIFFER'}"
    )


def connection_vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


@bench.command()
@click.option("--size", default="1G", show_default=True, help="Bytes, or with K/M/G (binary).")
@click.option(
    "--server",
    type=click.Choice(["gunicorn"]),
    default="gunicorn",
    show_default=True,
    help="The server `assay serve` starts (gunicorn, one worker).",
)
@click.option(
    "--endpoint",
    type=click.Choice(["web", "api"]),
    default="web",
    show_default=True,
    help="The portfolio page's attach form (session) or the API (bearer token).",
)
@click.option(
    "--storage",
    type=click.Choice(["disk", "s3"]),
    default="disk",
    show_default=True,
    help="Store on the local disk, or on a throwaway SeaweedFS (S3) started on loopback.",
)
@click.option("--keep", is_flag=True, help="Keep the throwaway data folder (for a look).")
def upload(size: str, server: str, endpoint: str, storage: str, keep: bool) -> None:
    """Upload one SIZE file through the real server and watch the server's memory.

    A throwaway data folder (SQLite, media) is prepared in a child process, `assay serve`
    starts on a free 127.0.0.1 port, and the candidate's multipart POST of a WAV file is
    generated on the fly and hashed as it is sent. The server's RSS (with any children) is
    sampled before and during the upload; the upload plus an fsync of the stored file is then
    compared with `cp` of the same bytes plus an fsync of the copy, on the same disk. Exits 1
    when the upload fails or the stored file's SHA-256 differs from the one sent; prints
    whether the peak stayed under 100 MB and whether the server has loaded NumPy. With
    `--storage s3` the server stores to a SeaweedFS started for the run (the dev extras' `weed`)
    and the stored SHA-256 is that of the object read back from the bucket.
    """
    from assay.bench.upload import LIMIT_BYTES, parse_size, upload_bench
    from assay.cli.output import fail

    try:
        n_bytes = parse_size(size)
    except ValueError as exc:
        fail(str(exc))
    try:
        r = upload_bench(n_bytes, server=server, endpoint=endpoint, keep=keep, storage=storage)
    except RuntimeError as exc:
        fail(str(exc))
    mb = 1000 * 1000
    click.echo(
        f"upload: {r.size:,} bytes ({r.size / 1024**3:.2f} GiB) via {endpoint} on {server}, "
        f"stored on {storage}"
    )
    click.echo(f"  response:        HTTP {r.status}{' ' + r.message if r.message else ''}")
    click.echo(f"  time:            {r.seconds:.1f} s ({r.throughput / mb:.0f} MB/s)")
    click.echo(f"  with fsync:      {r.synced_seconds:.1f} s (the answer, then the stored file's)")
    click.echo(f"  server CPU:      {r.cpu_seconds:.1f} s (user + system, during the upload)")
    click.echo(
        f"  cp + fsync:      {r.copy_seconds:.1f} s ({r.size / r.copy_seconds / mb:.0f} MB/s); "
        f"the upload + fsync at {r.share_of_copy:.1%} of its speed"
    )
    click.echo(
        f"  server RSS:      {r.baseline_rss / mb:.1f} MB before, peak {r.peak_rss / mb:.1f} MB"
    )
    click.echo(f"  RSS growth:      {r.growth / mb:.1f} MB")
    click.echo(f"  NumPy loaded:    {'yes' if r.numpy_loaded else 'no'}")
    click.echo(f"  client SHA-256:  {r.client_sha256}")
    click.echo(f"  stored SHA-256:  {r.stored_sha256 or '(no file stored)'}")
    click.echo(f"  hash matches:    {'yes' if r.hash_matches else 'NO'}")
    verdict = "yes" if r.under_limit else "NO"
    click.echo(f"  peak under {LIMIT_BYTES // mb} MB: {verdict}")
    if not r.ok:
        sys.exit(1)


def _office_counts(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter("give office counts per state, e.g. 60,45,30") from None
    if not 1 <= len(counts) <= 8 or min(counts) < 1:
        raise click.BadParameter("1 to 8 states, each with at least one office")
    return counts


@bench.command()
@click.option("--attributes", type=click.IntRange(min=12), default=40, show_default=True)
@click.option(
    "--offices",
    "counts",
    default="60,45,30,25,15,12,8,5",
    show_default=True,
    callback=_office_counts,
    help="Offices per state (NSW, VIC, QLD, WA, SA, TAS, ACT, NT in turn).",
)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option(
    "--db", is_flag=True, help="Also run it through the services in a throwaway SQLite folder."
)
@click.option(
    "--http",
    "over_http",
    is_flag=True,
    help="Also run it over the JSON API only, against gunicorn on loopback (throwaway folder).",
)
@click.option("--here", is_flag=True, hidden=True, help="(--db's child: use this database)")
def audits(
    attributes: int, counts: tuple[int, ...], seed: int, db: bool, over_http: bool, here: bool
) -> None:
    """One certification audit at size: standard, offices, sample, scores, decision, report.

    Prints the sample per state and the time of each step (perf_counter): first through the
    engine and the report renderers alone; with --db, then again through the audit services
    (import, organisation, audit, self-assessment, sample, scores, decision, report built
    from stored data) in a fresh SQLite data folder that is removed afterwards; with --http,
    the same work over the JSON API only (tokens from POST /api/v1/auth/login) against
    `assay serve` (gunicorn) on a loopback port, in another throwaway folder.
    """
    from assay.bench import audits as audit_bench
    from assay.cli.output import fail

    if here:
        import tempfile

        from django.core.management import call_command

        with tempfile.TemporaryDirectory() as workdir:
            result = audit_bench.db_bench(
                attributes,
                counts,
                seed,
                workdir=workdir,
                migrate=lambda: call_command("migrate", verbosity=0, interactive=False),
            )
        for line in audit_bench.report_lines(result, "database services"):
            click.echo(line)
        return
    for line in audit_bench.report_lines(
        audit_bench.engine_bench(attributes, counts, seed), "engine and renderers"
    ):
        click.echo(line)
    if db:
        status, out, err = audit_bench.db_bench_throwaway(attributes, counts, seed)
        if status != 0:
            fail(f"the database run failed (exit {status}): {err.strip()[-2000:]}")
        click.echo(out, nl=False)
    if over_http:
        from assay.bench.audits_http import StepFailed, http_bench, http_report_lines

        try:
            over = http_bench(attributes, counts, seed)
        except StepFailed as exc:
            fail(f"the HTTP run failed: {exc}")
        for line in http_report_lines(over):
            click.echo(line)


@bench.command("import")
@click.option("--rows", "n_rows", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--qualification", default="4430-04", show_default=True, help="Code or id.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--plan-units",
    "units",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Then plan this many units for every learner (bulk plans, timed apart).",
)
@click.option(
    "--assessors",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Assessors sharing the learners (with --plan-units).",
)
@click.option(
    "--keep",
    is_flag=True,
    help="Commit the bench centre and its registrations (then `assay records verify`).",
)
def import_cmd(
    n_rows: int, qualification: str, fmt: str, units: int, assessors: int, keep: bool
) -> None:
    """Register ROWS candidates from one file through the bulk import, on the configured
    database: rows, seconds, rows/s, CPU time, queries and peak RSS.

    A centre approved for the qualification and its administrator are made through the
    services, an N-row file in the import's columns is written to a temporary file (not
    timed), and `register bulk`'s service reads and imports it (the clock is pinned to
    2013-03-01, inside the seed handbooks' registration window). Peak RSS is the process's
    ru_maxrss (getrusage), printed with its value before the import. With --plan-units K,
    A assessors (--assessors) get an A1 and every learner a plan of K units with one of them
    as assessor, in bulk (what `bench scale` needs; the import's columns hold no plan).
    Without --keep it all
    happens in a transaction that is rolled back (the database is left as it was, and the
    final COMMIT is not timed); with --keep the import commits as it does for a user.
    """
    from assay.bench.bulk_import import import_bench
    from assay.cli.output import fail
    from assay.errors import InvalidInput, NotFound

    try:
        result = import_bench(
            n_rows,
            qualification=qualification,
            fmt="xlsx" if fmt == "xlsx" else "csv",
            keep=keep,
            units=units,
            assessors=assessors,
        )
    except NotFound as exc:
        fail(f"{exc} (run `assay catalogue import --library` first)")
    except InvalidInput as exc:
        fail("; ".join(f"{where}: {message}" for where, message in list(exc.errors.items())[:5]))
    except ValueError as exc:
        fail(str(exc))
    for line in result.lines():
        click.echo(line)


@bench.command("iqa")
@click.option("--candidates", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--assessors", type=click.IntRange(min=1), default=40, show_default=True)
@click.option("--verifiers", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--units", type=click.IntRange(min=1, max=8), default=8, show_default=True)
@click.option(
    "--signed",
    type=click.IntRange(min=1, max=8),
    default=3,
    show_default=True,
    help="Units of each learner signed off during the year.",
)
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def iqa_cmd(
    candidates: int, assessors: int, verifiers: int, units: int, signed: int, repeat: int
) -> None:
    """Draw a year's IQA sample for a centre of CANDIDATES learners and ASSESSORS assessors
    (4430-04, 01/03/2012-28/02/2013), then open the centre's IQA page and an IV's queue: each
    timed (best of REPEAT) with its queries. Built in a transaction that is rolled back: the
    database is left as it was."""
    from assay.bench.iqa import iqa_bench, report
    from assay.cli.output import fail
    from assay.errors import NotFound

    if signed > units:
        fail("--signed cannot exceed --units")
    try:
        result = iqa_bench(candidates, assessors, verifiers, units, signed, repeat)
    except NotFound as exc:
        fail(f"{exc} (run `assay catalogue import --library` first)")
    except RuntimeError as exc:
        fail(str(exc))
    for line in report(result):
        click.echo(line)


@bench.command("records")
@click.option("--chains", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--per-chain", type=click.IntRange(min=1), default=50, show_default=True)
def records_cmd(chains: int, per_chain: int) -> None:
    """Time `records verify` and `records checkpoint` over CHAINS chains of PER-CHAIN records
    (written in a transaction that is rolled back; the database is left as it was)."""
    from assay.bench.records import records_bench

    result = records_bench(chains, per_chain)
    total = chains * per_chain
    click.echo(f"{chains:,} chains × {per_chain} records = {total:,} records")
    for name, seconds in result.seconds.items():
        rate = f" ({total / seconds:,.0f} records/s)" if name.startswith("verify") else ""
        click.echo(f"{name}: {seconds:.2f} s{rate}")
    if result.problems:
        click.echo(f"{result.problems} problems found (expected none)")


@bench.command()
@click.option("--users", type=click.IntRange(min=1), default=8, show_default=True)
@click.option(
    "--seconds",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Stop after this long...",
)
@click.option(
    "--requests",
    "limit",
    type=click.IntRange(min=2),
    default=None,
    help="...or after this many requests, whichever comes first.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="App server processes (`assay serve`, each on its own port; users spread over them).",
)
@click.option(
    "--postgres",
    metavar="URL",
    default=None,
    help="A PostgreSQL server (postgres://user@host:port): a throwaway database is made there "
    "for the run and dropped after. Default: SQLite in the throwaway folder.",
)
@click.option(
    "--storage",
    type=click.Choice(["disk", "s3"]),
    default="disk",
    show_default=True,
    help="Where evidence goes: the folder's disk, or a throwaway SeaweedFS (S3) on loopback.",
)
@click.option(
    "--worker",
    is_flag=True,
    help="Start `assay worker` too; the users' export jobs are then waited for and counted.",
)
@click.option("--keep", is_flag=True, help="Keep the throwaway data folder (for a look).")
def load(
    users: int,
    seconds: float,
    limit: int | None,
    processes: int,
    postgres: str | None,
    storage: str,
    worker: bool,
    keep: bool,
) -> None:
    """N concurrent users against the real server on 127.0.0.1, for a bounded time or count.

    A throwaway data folder gets the demo data (`assay demo`); your own database is not
    touched. `assay serve` starts on a free loopback port; each user signs in through the
    login form as the assessor Alice, then repeats: caseload, portfolio and unit screen pages,
    the API's caseload and centre registration list, an upload of a 16 KiB file of its own to
    an evidence item, a request for the portfolio's ZIP export (a background job), and a
    criterion judgement (not yet met, with feedback) through the API. Prints requests, errors
    and p50/p95/max latency per endpoint and overall, the background jobs by state, and how
    many "database is locked" lines the processes logged. Errors are requests that failed and
    answers other than the expected one (200; the sign-in's and the export's 302; the
    upload's and the judgement's 201), so every 4xx and 5xx; exits 1 when there is any, or
    when a job failed, or when the database was locked.
    """
    from assay.bench.load import load_bench
    from assay.cli.output import fail

    try:
        result = load_bench(
            users,
            seconds,
            limit,
            keep=keep,
            processes=processes,
            database_url=postgres,
            storage=storage,
            worker=worker,
        )
    except RuntimeError as exc:
        fail(str(exc))
    for line in result.lines():
        click.echo(line)
    if result.total.errors or result.locked or result.jobs.get("failed"):
        sys.exit(1)


@bench.command()
@click.option(
    "--registrations",
    "n",
    type=click.IntRange(min=10),
    default=2000,
    show_default=True,
    help="Learners at the first measurement; the second is N × factor.",
)
@click.option("--factor", type=click.IntRange(min=2), default=10, show_default=True)
@click.option(
    "--evidence",
    type=click.IntRange(min=0),
    default=6,
    show_default=True,
    help="Evidence items each learner's assessor adds.",
)
@click.option(
    "--judged",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Criteria judged per learner.",
)
@click.option(
    "--units",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Units on each learning plan.",
)
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
@click.option(
    "--in-transaction",
    is_flag=True,
    help="Build inside one rolled-back transaction of the configured database instead of a "
    "scratch database (needs the catalogue imported; no VACUUM possible).",
)
def scale(
    n: int, factor: int, evidence: int, judged: int, units: int, repeat: int, in_transaction: bool
) -> None:
    """Build a centre of N learners through the real services (bulk import included), then
    N × factor, and time every list page, API list and export at both sizes.

    Each read is requested through Django's test client as a user opens it: its median time,
    its queries and the peak memory it allocated (tracemalloc), then the ratio between the two
    sizes. Runs on the configured database server (DATABASE_URL) in a scratch database of its
    own (migrated, the library's catalogue imported, VACUUM ANALYZE after each build as
    autovacuum would, dropped at the end): nothing is left behind.
    """
    from assay.bench.scale import report, scale_bench
    from assay.cli.output import fail
    from assay.errors import NotFound

    try:
        result = scale_bench(
            n,
            factor,
            evidence,
            judged,
            units,
            repeat,
            say=click.echo,
            scratch=not in_transaction,
        )
    except NotFound as exc:
        fail(f"{exc} (run `assay catalogue import --library` first)")
    for line in report(result):
        click.echo(line)


@bench.command("credentials")
@click.option("--count", "n", type=click.IntRange(min=1), default=1000, show_default=True)
def credentials_(n: int) -> None:
    """Sign N Open Badges 3.0 credentials (eddsa-rdfc-2022) and verify each; print the rates."""
    from assay.bench.credentials import credentials_bench

    result = credentials_bench(n)
    click.echo(
        f"signed {result.n:,} credentials in {result.sign_seconds:.2f} s "
        f"({result.signed_per_second:,.0f}/s); verified in {result.verify_seconds:.2f} s "
        f"({result.verified_per_second:,.0f}/s); {result.valid:,} valid"
    )
    if result.valid != result.n:
        sys.exit(1)
