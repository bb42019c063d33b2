"""Background jobs: when to try a failed job again, how far along a job is, which nightly run
a day owns, when a running job was left by a worker that stopped. Plain Python;
``assay.jobs`` adapts its rows to these."""

from assay.engines.jobs.rules import (
    STALL_SECONDS,
    STALLED,
    GiveUp,
    Retry,
    Stalled,
    nightly_key,
    percent,
    retry_after,
    stalled,
)

__all__ = [
    "STALLED",
    "STALL_SECONDS",
    "GiveUp",
    "Retry",
    "Stalled",
    "nightly_key",
    "percent",
    "retry_after",
    "stalled",
]
