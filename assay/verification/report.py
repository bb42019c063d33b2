"""The IQA report of a centre for a period, as sections of typed rows that the PDF and the
XLSX both render: the draws whose period overlaps it, their picks with reasons, the
verifications made in it with their outcomes, each assessor's agreement per quarter, the
standardisation activities held in it, the staff flagged on its last day, and the open action
points (IQA action required, standardisation actions not done).

Every section is a lazy iterator over a fixed number of queries (picks and verifications
stream in chunks), so the report's queries do not grow with the number of picks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from assay import clock
from assay.centres.models import Centre
from assay.engines.dates import ddmmyyyy
from assay.engines.verification import Period
from assay.errors import InvalidInput
from assay.spreadsheets import Cell
from assay.verification import quality, selectors
from assay.verification.models import (
    SampleDraw,
    SamplePick,
    StandardisationAction,
    StandardisationActivity,
    Verification,
)

EARLIEST = dt.date(1990, 1, 1)
MAX_DAYS = 3 * 366
CHUNK = 500


@dataclass(frozen=True)
class Section:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    widths: Sequence[float]  # relative column widths in the PDF


@dataclass(frozen=True)
class IqaReport:
    centre: Centre
    period: Period
    made_on: dt.date

    @property
    def title(self) -> str:
        return f"IQA report — {self.centre.name} — {self.period}"

    def sections(self) -> list[Section]:
        return [
            Section("Samples drawn", DRAW_HEAD, _draws(self), (8, 12, 12, 12, 12, 14, 12, 8)),
            Section("Picks", PICK_HEAD, _picks(self), (7, 5, 16, 6, 10, 12, 12, 12, 11, 11, 30)),
            Section(
                "Verifications",
                VERIFY_HEAD,
                _verifications(self),
                (6, 16, 6, 12, 12, 11, 12, 30, 11),
            ),
            Section("Agreement", AGREE_HEAD, _agreement(self), (16, 12, 12, 10, 12, 10)),
            Section("Standardisation", ACTIVITY_HEAD, _activities(self), (11, 14, 10, 30, 25, 25)),
            Section("Not standardised", FLAG_HEAD, _flags(self), (16, 16, 12, 50)),
            Section("Open action points", ACTION_HEAD, _actions(self), (16, 40, 16, 12, 16)),
        ]


def report_period(start: dt.date | None, end: dt.date | None) -> Period:
    """The period asked for (default: the last twelve months); InvalidInput when unusable."""
    default_start, default_end = selectors.default_period()
    start, end = start or default_start, end or default_end
    if end < start:
        raise InvalidInput({"to": f"the period ends ({ddmmyyyy(end)}) before it starts"})
    if start < EARLIEST:
        raise InvalidInput({"from": f"a report starts no earlier than {ddmmyyyy(EARLIEST)}"})
    if start > clock.today():
        raise InvalidInput({"from": "the period has not started yet"})
    if (end - start).days > MAX_DAYS:
        raise InvalidInput({"to": "a report covers at most three years"})
    return Period(start, end)


def report_of(centre: Centre, start: dt.date | None, end: dt.date | None) -> IqaReport:
    """The report of a centre the caller may open (``selectors.lead_centre``) for a period."""
    return IqaReport(centre, report_period(start, end), clock.today())


def _draws_of(report: IqaReport) -> QuerySet[SampleDraw]:
    return SampleDraw.objects.filter(
        centre=report.centre,
        period_start__lte=report.period.end,
        period_end__gte=report.period.start,
    )


DRAW_HEAD = ("Sample", "Qualification", "From", "To", "Seed", "Drawn by", "Drawn on", "Picks")


def _draws(report: IqaReport) -> Iterator[Sequence[Cell]]:
    rows = (
        _draws_of(report)
        .defer("gaps", "cells")
        .select_related("drawn_by")
        .annotate(n=Count("picks"))
        .order_by("drawn_at", "pk")
    )
    for d in rows.iterator(chunk_size=CHUNK):
        yield (
            d.pk,
            d.qualification_code,
            d.period_start,
            d.period_end,
            str(d.seed),
            d.drawn_by.get_username(),
            timezone.localtime(d.drawn_at).date(),
            d.n,
        )


PICK_HEAD = (
    "Sample",
    "#",
    "Candidate",
    "Unit",
    "Stage",
    "Assessor",
    "Verifier",
    "Due",
    "Outcome",
    "Dimension",
    "Reasons",
)


def _picks(report: IqaReport) -> Iterator[Sequence[Cell]]:
    rows = (
        selectors.with_outcome(SamplePick.objects.filter(draw__in=_draws_of(report)))
        .select_related("registration__candidate", "assessor", "verifier")
        .order_by("draw_id", "position")
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield (
            p.draw_id,
            p.position,
            str(p.registration.candidate),
            p.unit_number,
            p.stage,
            p.assessor.get_username() if p.assessor else "",
            p.verifier.get_username() if p.verifier else "unallocated",
            p.due_on,
            (getattr(p, "outcome", None) or "to verify").replace("_", " "),
            p.dimension,
            "; ".join([*p.reasons, *p.refusals]),
        )


VERIFY_HEAD = (
    "Pick",
    "Candidate",
    "Unit",
    "Assessor",
    "Verifier",
    "On",
    "Outcome",
    "Feedback",
    "Action due",
)


def _verifications(report: IqaReport) -> Iterator[Sequence[Cell]]:
    period = report.period
    rows = (
        Verification.objects.filter(
            pick__draw__centre=report.centre,
            at__date__gte=period.start - dt.timedelta(days=1),
            at__date__lte=period.end + dt.timedelta(days=1),
        )
        .select_related("pick__registration__candidate", "pick__assessor", "by")
        .order_by("at", "pk")
    )
    for v in rows.iterator(chunk_size=CHUNK):
        on = timezone.localtime(v.at).date()
        if on not in period:
            continue
        yield (
            v.pick_id,
            str(v.pick.registration.candidate),
            v.pick.unit_number,
            v.pick.assessor.get_username() if v.pick.assessor else "",
            v.by.get_username(),
            on,
            v.outcome.replace("_", " "),
            v.feedback,
            v.due_on,
        )


AGREE_HEAD = ("Assessor", "From", "To", "Agree", "Action required", "Agreement %")


def _agreement(report: IqaReport) -> Iterator[Sequence[Cell]]:
    for row in quality.agreement_of(report.centre, list(report.period.quarters())):
        for a in row.rows:
            rate = None if a.rate is None else round(float(a.rate) * 100, 1)
            yield (row.assessor, a.period.start, a.period.end, a.agreed, a.action_required, rate)


ACTIVITY_HEAD = ("Held on", "Kind", "Qualification", "Summary", "Decisions", "Attendees")


def _activities(report: IqaReport) -> Iterator[Sequence[Cell]]:
    from django.contrib.auth import get_user_model

    rows = (
        StandardisationActivity.objects.filter(
            centre=report.centre,
            held_on__gte=report.period.start,
            held_on__lte=report.period.end,
        )
        .prefetch_related(
            Prefetch("attendees", queryset=get_user_model().objects.order_by("username"))
        )
        .order_by("held_on", "pk")
    )
    for a in rows:
        yield (
            a.held_on,
            a.get_kind_display(),
            a.qualification_code or "all",
            a.summary,
            a.decisions,
            ", ".join(u.get_username() for u in a.attendees.all()),
        )


FLAG_HEAD = ("Staff", "Role", "Last standardised", "Flag")


def _flags(report: IqaReport) -> Iterator[Sequence[Cell]]:
    from django.contrib.auth import get_user_model

    found = quality.flags_of(report.centre, report.period.end)
    names = dict(
        get_user_model()
        .objects.filter(pk__in=[int(f.staff_id) for f in found])
        .values_list("pk", "username")
    )
    for f in found:
        yield (
            names.get(int(f.staff_id), f.staff_id),
            f.role.value.replace("_", " "),
            f.last_on,
            f.message,
        )


ACTION_HEAD = ("Source", "Action", "Owner", "Due", "Raised by")


def _actions(report: IqaReport) -> Iterator[Sequence[Cell]]:
    picks = (
        selectors.open_picks()
        .filter(Q(outcome="action_required"), draw__centre=report.centre)
        .select_related("registration__candidate", "assessor")
        .order_by("due_on", "pk")
    )
    latest = {
        v.pick_id: v
        for v in Verification.objects.filter(
            pick__draw__centre=report.centre, outcome="action_required"
        )
        .select_related("by")
        .order_by("pick_id", "at", "pk")
        .iterator(chunk_size=CHUNK)
    }
    for p in picks.iterator(chunk_size=CHUNK):
        v = latest.get(p.pk)
        yield (
            f"IQA pick {p.pk}: unit {p.unit_number} of {p.registration.candidate}",
            v.feedback if v else "",
            p.assessor.get_username() if p.assessor else "",
            v.due_on if v else None,
            v.by.get_username() if v else "",
        )
    actions = (
        StandardisationAction.objects.filter(
            activity__centre=report.centre,
            activity__held_on__lte=report.period.end,
            done_at__isnull=True,
        )
        .select_related("activity__created_by", "owner")
        .order_by("due_on", "pk")
    )
    for a in actions.iterator(chunk_size=CHUNK):
        yield (
            f"standardisation {ddmmyyyy(a.activity.held_on)}",
            a.text,
            a.owner.get_username(),
            a.due_on,
            a.activity.created_by.get_username(),
        )
