"""Where chains come from: each domain app registers its chains and its reconciliation here,
so ``records verify`` covers every chain without this app importing the domain apps (which
would make audits depend on portfolios)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assay.engines.records import chain


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing ``records verify`` found: the chain it concerns and what is wrong."""

    chain: str
    message: str


@dataclass(frozen=True, slots=True)
class Checked:
    """A source's verification: how many chains and records were recomputed, what failed."""

    chains: int
    records: int
    problems: list[Problem]


Heads = dict[str, tuple[int, str]]
"""chain name -> (length, hash of the last record)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A table of chained rows. ``check(only)`` recomputes every chain (or the one named) and
    reconciles the rows the app reads with them; ``heads`` and ``hash_at`` feed the anchors."""

    name: str
    prefixes: tuple[str, ...]
    check: Callable[[str | None], Checked]
    heads: Callable[[], Heads]
    hash_at: Callable[[Sequence[tuple[str, int]]], dict[tuple[str, int], str]]
    files: Callable[[], list[Problem]] | None = None
    """Re-hash the stored bytes of every file the chains vouch for (``verify --files``)."""
    lengths_of: Callable[[Sequence[str]], dict[str, int]] | None = None
    """The length of each named chain this source holds (a centre's anchor download)."""


Reconciler = Callable[[Mapping[str, Sequence[chain.Record]], str | None], list[Problem]]
"""Given the verified generic chains of one prefix (and the one chain asked for, if any),
compare the rows the app reads (scores, statuses) with what the chain says."""

SOURCES: dict[str, Source] = {}
RECONCILERS: dict[str, Reconciler] = {}


def source_register(source: Source) -> None:
    SOURCES[source.name] = source


def reconciler_register(prefix: str, reconcile: Reconciler) -> None:
    """Reconcile the generic chains named ``prefix:<id>`` (called from an app's ``ready``)."""
    RECONCILERS[prefix] = reconcile


def prefix_of(name: str) -> str:
    return name.split(":", 1)[0]


def subject_id(name: str) -> int | None:
    """The id a chain name carries ("audit:3" -> 3); None when it carries none."""
    tail = name.split(":", 1)[1] if ":" in name else ""
    return int(tail) if tail.isdigit() else None


def only_id(only: str | None) -> int | None:
    """The subject a verification is narrowed to: None for every one, -1 (matches nothing)
    for a name without an id."""
    if only is None:
        return None
    found = subject_id(only)
    return -1 if found is None else found


def moment_text(value: dt.datetime | None) -> str | None:
    """A stored moment as UTC ISO text, so the same instant always reads (and hashes) the same."""
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def day_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
