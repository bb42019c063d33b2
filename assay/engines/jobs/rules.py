"""The rules of background work, each a small pure function that says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 6 * 60 * 60


@dataclass(frozen=True, slots=True)
class Retry:
    """Try again after ``delay_seconds``."""

    delay_seconds: int
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class GiveUp:
    """Stop: the job failed for good and its error stays on record."""

    code: str
    reason: str


def retry_after(
    attempt: int,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    base_seconds: int = BASE_DELAY_SECONDS,
    cap_seconds: int = MAX_DELAY_SECONDS,
) -> Retry | GiveUp:
    """After failed attempt number ``attempt`` (1 for the first): wait twice as long as the
    time before (1, 2, 4 … minutes, never more than ``cap_seconds``), and give up once
    ``max_attempts`` have failed, so a mail server that is gone for good is not tried forever."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    if attempt >= max_attempts:
        return GiveUp(
            "attempts_exhausted", f"failed {attempt} time(s); no more attempts after {max_attempts}"
        )
    delay = min(cap_seconds, base_seconds * 2 ** (attempt - 1))
    return Retry(delay, "backoff", f"attempt {attempt} of {max_attempts} failed; next in {delay}s")


def percent(done: int, total: int) -> int:
    """How far along, 0-100; an unknown total (0) is 0 until the job ends."""
    if total <= 0:
        return 0
    return max(0, min(100, (done * 100) // total))


def nightly_key(name: str, day: dt.date) -> str:
    """The one key a nightly job has on a day: scheduling it twice that day finds the key
    taken and adds nothing."""
    return f"nightly:{name}:{day.isoformat()}"


STALL_SECONDS = 30 * 60
STALLED = "the worker stopped while running this job; ask again"


@dataclass(frozen=True, slots=True)
class Stalled:
    """A running job nobody is working on any more: fail it with ``reason``."""

    code: str
    reason: str


def stalled(
    *,
    running: bool,
    heartbeat: dt.datetime | None,
    now: dt.datetime,
    timeout_seconds: int = STALL_SECONDS,
) -> Stalled | None:
    """A job still *running* whose worker has not said it is alive (its heartbeat: the start
    and each progress step) for more than ``timeout_seconds`` was left by a worker that was
    killed: the queue never hands a taken task to another worker, so it would stay running
    forever. None while it is not running or its heartbeat is recent enough."""
    if not running:
        return None
    if heartbeat is None:
        return Stalled("stalled", STALLED)
    if (now - heartbeat).total_seconds() > timeout_seconds:
        return Stalled("stalled", STALLED)
    return None
