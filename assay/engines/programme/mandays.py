"""Audit time per site (man-days) from the office's headcount: Assay's documented table.

The table is Assay's own (docs/audits.md, *Audit time*), built in the manner of IAF MD 5's
headcount bands (effective personnel -> audit days) but not a quote of MD 5, whose figures are
for a whole management-system audit, not for one office of a customer service audit. Time is
counted in half days so the arithmetic is exact; a re-certification takes two thirds of the
initial time, rounded up to the next half day, never below half a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["BANDS", "AuditTime", "Band", "Reason", "audit_time", "days_text"]


@dataclass(frozen=True, slots=True)
class Band:
    """Offices with ``low``..``high`` staff (``high`` None: no upper bound) take
    ``half_days`` / 2 man-days at initial certification."""

    low: int
    high: int | None
    half_days: int

    @property
    def label(self) -> str:
        return f"{self.low}+ staff" if self.high is None else f"{self.low}-{self.high} staff"


BANDS: tuple[Band, ...] = (
    Band(1, 5, 1),
    Band(6, 15, 2),
    Band(16, 45, 3),
    Band(46, 125, 4),
    Band(126, 275, 6),
    Band(276, 625, 8),
    Band(626, 1175, 10),
    Band(1176, None, 12),
)
"""Headcount -> initial-certification half days at one office (docs/audits.md)."""

RECERTIFICATION_SHARE = Fraction(2, 3)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class AuditTime:
    """The time for one site: ``half_days`` None when the headcount is unknown."""

    half_days: int | None
    band: Band | None
    reasons: tuple[Reason, ...]

    @property
    def man_days(self) -> Fraction | None:
        return None if self.half_days is None else Fraction(self.half_days, 2)

    @property
    def text(self) -> str:
        return "unknown" if self.half_days is None else days_text(self.half_days)


def days_text(half_days: int) -> str:
    """2 -> "1", 3 -> "1.5" (man-days as people read them)."""
    whole, half = divmod(half_days, 2)
    return f"{whole}.5" if half else str(whole)


def band_of(headcount: int) -> Band:
    for band in BANDS:
        if band.high is None or headcount <= band.high:
            return band
    raise AssertionError("the last band has no upper bound")


def audit_time(headcount: int | None, *, recertification: bool = False) -> AuditTime:
    """The man-days at one office of ``headcount`` staff, with the band used and each
    adjustment as a reason. Unknown (None) or zero headcount gives no figure, and says so."""
    if headcount is None:
        return AuditTime(
            None,
            None,
            (
                Reason(
                    "unknown_headcount",
                    "unknown headcount: record the office's staff number to compute its time",
                ),
            ),
        )
    if headcount < 1:
        return AuditTime(
            None,
            None,
            (Reason("no_staff", "no staff: an office with nobody in it has no audit time"),),
        )
    band = band_of(headcount)
    reasons = [
        Reason(
            "band",
            f"{headcount} staff falls in the band {band.label}: "
            f"{days_text(band.half_days)} man-days at initial certification",
        )
    ]
    half_days = band.half_days
    if recertification:
        reduced = -(
            -band.half_days * RECERTIFICATION_SHARE.numerator // RECERTIFICATION_SHARE.denominator
        )
        half_days = max(1, reduced)
        reasons.append(
            Reason(
                "recertification",
                f"re-certification: two thirds of the initial time, rounded up to the half day: "
                f"{days_text(half_days)} man-days",
            )
        )
    return AuditTime(half_days, band, tuple(reasons))
