"""Background jobs: when to try a failed job again, how far along a job is, which nightly run
a day owns. Plain Python; ``assay.jobs`` adapts its rows to these."""

from assay.engines.jobs.rules import (
    GiveUp,
    Retry,
    nightly_key,
    percent,
    retry_after,
)

__all__ = ["GiveUp", "Retry", "nightly_key", "percent", "retry_after"]
