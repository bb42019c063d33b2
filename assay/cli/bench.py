"""``assay bench``: measured figures, not timed assertions in tests."""

from __future__ import annotations

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
def rules(n_plans: int, quals: tuple[str, ...], seed: int) -> None:
    """Decide N random plans per qualification; compare with a credit-sum-only pass (the floor).

    The floor is one vectorised pass that only sums each plan's credits; the full decision
    applies every rule of combination, exactly. Times are the best of three runs.
    """
    from assay.catalogue.selectors import (
        NotFound,
        qualification_engine_spec,
        qualification_get,
        qualification_list,
    )
    from assay.cli.main import fail
    from assay.engines.combination.batch import bench as run_bench

    try:
        targets = [qualification_get(q) for q in quals] if quals else qualification_list()
    except NotFound as exc:
        fail(str(exc))
    if not targets:
        fail("no qualifications imported; run `assay catalogue import --library`")
    for qual in targets:
        result = run_bench(qualification_engine_spec(qual), n_plans, seed)
        click.echo(
            f"{qual.code}: {result.n:,} plans; full decision {result.decide_seconds:.3f} s "
            f"({result.plans_per_second:,.0f} decisions/s); credit-sum floor "
            f"{result.floor_seconds:.3f} s; ratio {result.ratio:.2f}x; "
            f"{result.achieved:,} achieved"
        )


@bench.command()
@click.option("--items", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--factor", type=click.IntRange(min=2), default=10, show_default=True)
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def portfolio(items: int, factor: int, repeat: int) -> None:
    """Time the portfolio page's reads at N evidence items and N × factor, with query counts.

    The portfolio (every 4430-04 unit with criteria, N items mapped three ways each) is built
    in a transaction that is rolled back: the database is left as it was.
    """
    from assay.catalogue.selectors import NotFound
    from assay.cli.main import fail
    from assay.portfolios.bench import portfolio_bench

    try:
        result = portfolio_bench(items, factor, repeat)
    except NotFound as exc:
        fail(f"{exc} (run `assay catalogue import --library` first)")
    click.echo(f"portfolio: {result.units} units, {result.targets} criteria and range items")
    for m in (result.small, result.large):
        click.echo(
            f"  {m.items:>7,} items, {m.mappings:>7,} mappings: {m.seconds * 1000:9.1f} ms, "
            f"{m.queries} queries"
        )
    click.echo(
        f"  ratio {result.ratio:.2f}x time for {result.large.items / result.small.items:.0f}x "
        f"items; queries {'equal' if result.small.queries == result.large.queries else 'DIFFER'}"
    )
