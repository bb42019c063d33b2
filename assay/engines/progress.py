"""Red/amber/green: is a candidate on course to finish before their registration ends?

An assessor's caseload is sorted by this status so the candidates who need attention come
first. The rule (ADR 0008) compares how much of the work is done with how much of the
registration period has gone, and looks at the target dates the learning plan (and, later,
the assessment plan's activities) set. Every status comes with every reason that made it,
as text a person can act on, so a colour is never shown without its "why".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from .coverage.words import NO_CONTENT
from .dates import ddmmyyyy

__all__ = [
    "AMBER_BEHIND",
    "DUE_SOON_DAYS",
    "END_SOON_DAYS",
    "RED_BEHIND",
    "TARGET_RED_DAYS",
    "Progress",
    "Rag",
    "RagStatus",
    "UnitTarget",
    "elapsed_fraction",
    "progress_fraction",
    "rag_status",
    "rag_valid_until",
]

# Points (as a fraction) by which the work done may trail the period gone before it shows.
AMBER_BEHIND = Fraction(10, 100)
RED_BEHIND = Fraction(25, 100)
# A target missed by more than this many days is red; missed by fewer, amber.
TARGET_RED_DAYS = 28
# A target falling due within this many days (today included) is amber: act now.
DUE_SOON_DAYS = 14
# The registration ends within this many days and the work is not finished: amber.
END_SOON_DAYS = 60


class Rag(StrEnum):
    """The caseload colour, plus the two states that need no chasing."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"
    CLOSED = "closed"

    @property
    def rank(self) -> int:
        """Sort key: red first, closed last. Also the order "worse → better" for the open
        states (closed is outside that order)."""
        return _RANK[self]


_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.COMPLETE: 3, Rag.CLOSED: 4}


@dataclass(frozen=True, slots=True)
class UnitTarget:
    """A unit on the learning plan, not yet signed off, and the date it should be done by."""

    unit: str
    due: date


@dataclass(frozen=True, slots=True)
class Progress:
    """What is known about one registration on ``today``.

    ``closed`` names a status that ends assessment (withdrawn, transferred, expired,
    completed) or is None while the registration is open. Credits count signed-off (and
    credited) units against the credits of the planned units; criteria count judged-met
    criteria (all of a signed-off unit's) against the criteria of the planned units.
    ``not_assessable`` names planned units whose content is not in the catalogue and that
    are not credited (ADR 0010): they have no criteria to count, and each is a reason.
    """

    today: date
    start: date
    end: date
    criteria_met: int = 0
    criteria_planned: int = 0
    credits_signed_off: int = 0
    credits_planned: int = 0
    units_signed_off: int = 0
    units_planned: int = 0
    unit_targets: tuple[UnitTarget, ...] = ()
    activity_targets: tuple[date, ...] = ()
    closed: str | None = None
    not_assessable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RagStatus:
    """The colour and every reason for it (never empty)."""

    status: Rag
    reasons: tuple[str, ...]


def _share(part: int, whole: int) -> Fraction:
    return min(Fraction(max(part, 0), whole), Fraction(1)) if whole > 0 else Fraction(0)


def progress_fraction(p: Progress) -> Fraction:
    """The better of criteria met and credits signed off (0..1, exact so that a boundary
    case is decided the same on every machine).

    Credits move only at sign-off, criteria every time an assessor judges one, so a candidate
    who is ahead on either measure is not flagged for the lag of the other.
    """
    return max(
        _share(p.criteria_met, p.criteria_planned), _share(p.credits_signed_off, p.credits_planned)
    )


def elapsed_fraction(p: Progress) -> Fraction:
    """How much of the registration period has gone on ``today`` (0..1)."""
    length = (p.end - p.start).days
    if length <= 0:
        return Fraction(1 if p.today >= p.end else 0)
    return min(max(Fraction((p.today - p.start).days, length), Fraction(0)), Fraction(1))


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _complete(p: Progress) -> bool:
    return (
        p.units_planned > 0
        and p.units_signed_off >= p.units_planned
        and p.credits_signed_off >= p.credits_planned
    )


def _target(label: str, due: date, today: date) -> tuple[Rag, str] | None:
    late = (today - due).days
    when = ddmmyyyy(due)
    if late > TARGET_RED_DAYS:
        return Rag.RED, f"{label} target date {when} passed {_days(late)} ago"
    if late > 0:
        return Rag.AMBER, f"{label} target date {when} passed {_days(late)} ago"
    if -late < DUE_SOON_DAYS:
        return Rag.AMBER, f"{label} due {'today' if late == 0 else 'in ' + _days(-late)} ({when})"
    return None


def rag_status(p: Progress) -> RagStatus:
    """Red, amber or green with every reason; "complete" once every planned unit is signed
    off, "closed" when the registration's status ends assessment. See ADR 0008."""
    if p.closed:
        return RagStatus(Rag.CLOSED, (f"registration {p.closed}: nothing to chase",))
    if _complete(p):
        return RagStatus(Rag.COMPLETE, (f"all {p.units_planned} planned units signed off",))
    done, gone = progress_fraction(p), elapsed_fraction(p)
    found: list[tuple[Rag, str]] = []
    pace = f"{_measure(p)} at {_pct(gone)} of the registration period"
    behind = gone - done
    if behind > RED_BEHIND:
        found.append((Rag.RED, f"{pace}: more than {_points(RED_BEHIND)} behind"))
    elif behind > AMBER_BEHIND:
        found.append((Rag.AMBER, f"{pace}: more than {_points(AMBER_BEHIND)} behind"))
    else:
        found.append((Rag.GREEN, pace))
    left = (p.end - p.today).days
    if left < 0:
        found.append(
            (
                Rag.RED,
                f"registration period ended {ddmmyyyy(p.end)}, {_days(-left)} ago, "
                "and assessment is not complete",
            )
        )
    elif left < END_SOON_DAYS:
        when = "today" if left == 0 else f"in {_days(left)}"
        found.append((Rag.AMBER, f"registration ends {ddmmyyyy(p.end)}, {when}"))
    if p.units_planned == 0:
        found.append((Rag.AMBER, "no units on the learning plan"))
    # Not red: nothing is late yet, but the unit needs the centre to act before it can count.
    found += [(Rag.AMBER, f"unit {unit}: {NO_CONTENT}") for unit in sorted(p.not_assessable)]
    for t in sorted(p.unit_targets, key=lambda t: (t.due, t.unit)):
        hit = _target(f"unit {t.unit}", t.due, p.today)
        if hit:
            found.append(hit)
    for due in sorted(p.activity_targets):
        hit = _target("planned activity", due, p.today)
        if hit:
            found.append(hit)
    status = min((rag for rag, _ in found), key=lambda r: r.rank)
    # Worst reasons first; green keeps its one line of pace.
    ordered = sorted(found, key=lambda f: f[0].rank)
    return RagStatus(status, tuple(text for _, text in ordered))


def _pct(fraction: Fraction) -> str:
    """A share as a whole percentage, rounded down so that 99.6% never reads as done."""
    return f"{int(fraction * 100)}%"


def _points(fraction: Fraction) -> str:
    return f"{round(fraction * 100)} points"


def _measure(p: Progress) -> str:
    """The measure ``progress_fraction`` took, in words."""
    criteria = _share(p.criteria_met, p.criteria_planned)
    credits = _share(p.credits_signed_off, p.credits_planned)
    if credits > criteria:
        return f"{_pct(credits)} of planned credits signed off"
    return f"{_pct(criteria)} of criteria met"


def _plus(day: date, days: int) -> date | None:
    """``day`` moved by ``days``, or None past the calendar's ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _pace_crossings(p: Progress) -> list[date | None]:
    """The first days on which the lag (period gone minus work done) exceeds AMBER_BEHIND and
    RED_BEHIND: gone = (d - start) / length, so lag > x from the first whole day after
    start + length * (done + x) — solved exactly, never by stepping through days."""
    length = (p.end - p.start).days
    if length <= 0:
        return []  # the period counts as all gone from the end date on: a candidate below
    done = progress_fraction(p)
    out: list[date | None] = []
    for limit in (AMBER_BEHIND, RED_BEHIND):
        edge = length * (done + limit)
        out.append(_plus(p.start, edge.numerator // edge.denominator + 1))
    return out


def rag_valid_until(p: Progress) -> date | None:
    """The last day on which ``rag_status`` gives the colour it gives on ``p.today`` when only
    the date moves on (the inputs fixed); None when it never changes.

    With fixed inputs a colour only gets worse with time: the lag behind the period grows, and
    target and end dates come closer and then pass. So it can change only on the days a rule's
    outcome changes — a target entering its DUE_SOON_DAYS, passing, passing by TARGET_RED_DAYS;
    the end entering END_SOON_DAYS and passing; the lag crossing AMBER_BEHIND or RED_BEHIND —
    and the first of those days (after today) whose colour differs ends the stored one (found by
    bisection: once a day's colour differs, every later one does). A
    materialised colour (``assay.progress``) is recomputed once this day has gone.
    """
    if p.closed or _complete(p):
        return None
    status = rag_status(p).status
    dues = [t.due for t in p.unit_targets] + list(p.activity_targets)
    candidates: list[date | None] = []
    for due in dues:
        candidates += [
            _plus(due, -DUE_SOON_DAYS + 1),
            _plus(due, 1),
            _plus(due, TARGET_RED_DAYS + 1),
        ]
    candidates += [_plus(p.end, -END_SOON_DAYS + 1), p.end, _plus(p.end, 1), *_pace_crossings(p)]
    days = sorted({d for d in candidates if d is not None and d > p.today})
    # Worse once means worse after: "changed" is false then true along the days, so a binary
    # search finds the first change in a handful of evaluations instead of one per day.
    lo, hi = 0, len(days)
    while lo < hi:
        mid = (lo + hi) // 2
        if rag_status(replace(p, today=days[mid])).status is not status:
            hi = mid
        else:
            lo = mid + 1
    return days[lo] - timedelta(days=1) if lo < len(days) else None
