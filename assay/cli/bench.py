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
