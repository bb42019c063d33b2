"""`assay bench rules`: the batch decisions against the credit-sum floor, with the threads."""

from __future__ import annotations

import re

import pytest

from assay.bench.blas import blas_threads, set_blas_threads
from tests.cli.helpers import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore_threads() -> object:
    before = blas_threads()
    yield before
    if before is not None:
        set_blas_threads(before)


def test_bench_rules_prints_the_median_ratio_and_the_threads(
    catalogue: None, restore_threads: int | None
) -> None:
    code, out, err = run(
        "bench", "rules", "--plans", "5000", "--qualification", "4430-04", "--rounds", "3",
        "--threads", "1",
    )  # fmt: skip
    assert code == 0, err
    assert "threads: 1 for the products (OpenBLAS)" in out
    assert "blocks of 4,096 plans; 3 rounds" in out
    line = next(line for line in out.splitlines() if line.startswith("4430-04:"))
    assert re.search(
        r"5,000 plans; full decision .* median ratio \d+\.\d\dx; [\d,]+ achieved", line
    )
    assert blas_threads() == 1


def test_bench_rules_refuses_an_unknown_qualification(catalogue: None) -> None:
    code, out, err = run("bench", "rules", "--plans", "10", "--qualification", "9999-99")
    assert (code, out) == (2, "")
    assert "9999-99" in err
