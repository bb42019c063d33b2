"""Charts as SVG text: the perspective radar (management's expectation over actual delivery)
and grouped bars (a trend across annual audits, or a comparison of sites or divisions).

Pure functions returning a standalone ``<svg>`` document, so the web pages inline the same
chart the PDF report embeds, with no plotting library and no browser script. Every label is
XML-escaped: perspective titles and site names are data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

__all__ = ["PALETTE", "bars_svg", "radar_svg"]

PALETTE = ("#1f6feb", "#d9480f", "#2f9e44", "#862e9c", "#e8590c", "#0c8599")
"""Series colours in order (distinct under the common colour-vision deficiencies in pairs)."""

# Characters XML 1.0 cannot carry at all, even escaped: dropped from labels.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """Text for an element: XML-escaped, characters XML cannot hold dropped."""
    return _escape(_NOT_XML.sub("", text))


def quoteattr(text: str) -> str:
    """A quoted attribute value, escaped the same way."""
    return _quoteattr(_NOT_XML.sub("", text))


_SVG = 'xmlns="http://www.w3.org/2000/svg" role="img"'


def _num(x: float) -> str:
    return f"{x:.1f}"


def _clamp(value: float | None, high: float) -> float:
    return 0.0 if value is None else max(0.0, min(float(value), high))


def _value_text(value: float | None) -> str:
    return "no score" if value is None else f"{value:g}"


def _check(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
    if not axes:
        raise ValueError("a chart needs at least one axis")
    for name, values in series:
        if len(values) != len(axes):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(axes)} axes")


def radar_svg(
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    high: float = 10,
    size: int = 360,
    rings: Sequence[float] | None = None,
    title: str = "Perspective profile",
) -> str:
    """A radar chart: one spoke per axis (the perspectives), one ``<polygon>`` per series
    (e.g. "Management expectation", "Actual delivery"), values 0..``high`` (clamped; None is
    drawn at the centre and titled "no score"). ``rings`` marks values on every spoke (default
    quarters of ``high``; pass band boundaries such as (3, 6) to show the 3 I bands). A legend
    below names the series."""
    _check(axes, series)
    if high <= 0 or size <= 0:
        raise ValueError("high and size must be positive")
    n = len(axes)
    radius = size / 2 - max(48.0, size * 0.2)
    # Side labels ("Learning and Growth") are wider than the space beside the chart: widen the
    # canvas on both sides by what the longest one needs (about 7 px a character at 12 px).
    room = size / 2 - radius - 14
    side = max(0.0, max((7.0 * len(a) for a in axes), default=0.0) - room + 4)
    width = size + 2 * side
    cx, centre = width / 2, size / 2
    legend_h = 22 * len(series) + (8 if series else 0)

    def point(i: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return (
            cx + radius * fraction * math.cos(angle),
            centre + radius * fraction * math.sin(angle),
        )

    out = [
        f'<svg {_SVG} width="{_num(width)}" height="{size + legend_h}" '
        f'viewBox="0 0 {_num(width)} {size + legend_h}" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    marks = rings if rings is not None else [high * k / 4 for k in range(1, 5)]
    for mark in marks:
        if 0 < mark <= high:
            out.append(
                f'<circle class="ring" cx="{_num(cx)}" cy="{_num(centre)}" '
                f'r="{_num(radius * mark / high)}" fill="none" stroke="#ccc" />'
            )
    for i, label in enumerate(axes):
        x, y = point(i, 1.0)
        out.append(
            f'<line class="axis" x1="{_num(cx)}" y1="{_num(centre)}" '
            f'x2="{_num(x)}" y2="{_num(y)}" stroke="#999" />'
        )
        lx, ly = point(i, 1.0 + 14 / radius)
        dx = lx - cx
        anchor = "start" if dx > size * 0.05 else "end" if dx < -size * 0.05 else "middle"
        out.append(
            f'<text class="axis-label" x="{_num(lx)}" y="{_num(ly + 4)}" '
            f'text-anchor="{anchor}" font-size="12">{escape(label)}</text>'
        )
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(
            f"{_num(x)},{_num(y)}"
            for x, y in (point(i, _clamp(v, high) / high) for i, v in enumerate(values))
        )
        detail = "; ".join(
            f"{label}: {_value_text(v)}" for label, v in zip(axes, values, strict=True)
        )
        out.append(
            f'<polygon class="series" points="{points}" fill={quoteattr(colour)} '
            f'fill-opacity="0.2" stroke={quoteattr(colour)} stroke-width="2">'
            f"<title>{escape(f'{name} — {detail}')}</title></polygon>"
        )
    for k, (name, _) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        y = size + 8 + 22 * k
        out.append(
            f'<rect x="12" y="{y}" width="14" height="14" fill={quoteattr(colour)} />'
            f'<text class="legend" x="32" y="{y + 12}" font-size="12">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def bars_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    high: float = 10,
    width: int = 480,
    height: int = 240,
    title: str = "Trend",
) -> str:
    """Grouped bars: one group per label (e.g. perspectives), one bar per series in each
    group (e.g. the annual audits, or sites), heights 0..``high`` (clamped); a missing value
    draws no bar and is titled "no score"."""
    _check(labels, series)
    if high <= 0 or width <= 0 or height <= 0:
        raise ValueError("high, width and height must be positive")
    left, bottom, top = 28.0, 40.0, 10.0
    legend_h = 22 * len(series)
    plot_h = height - bottom - top
    group_w = (width - left - 8) / len(labels)
    bar_w = group_w * 0.8 / max(1, len(series))
    out = [
        f'<svg {_SVG} width="{width}" height="{height + legend_h}" '
        f'viewBox="0 0 {width} {height + legend_h}" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(0, 5):
        tick = high * k / 4
        y = top + plot_h * (1 - k / 4)
        out.append(
            f'<line class="grid" x1="{_num(left)}" y1="{_num(y)}" x2="{width - 8}" '
            f'y2="{_num(y)}" stroke="#ddd" />'
            f'<text x="{_num(left - 4)}" y="{_num(y + 4)}" text-anchor="end" '
            f'font-size="10">{tick:g}</text>'
        )
    for g, label in enumerate(labels):
        gx = left + group_w * g + group_w * 0.1
        for k, (name, values) in enumerate(series):
            value = values[g]
            if value is None:
                continue
            h = plot_h * _clamp(value, high) / high
            out.append(
                f'<rect class="bar" x="{_num(gx + bar_w * k)}" y="{_num(top + plot_h - h)}" '
                f'width="{_num(bar_w * 0.9)}" height="{_num(h)}" '
                f"fill={quoteattr(PALETTE[k % len(PALETTE)])}>"
                f"<title>{escape(f'{name}, {label}: {_value_text(value)}')}</title></rect>"
            )
        out.append(
            f'<text class="bar-label" x="{_num(left + group_w * (g + 0.5))}" '
            f'y="{_num(height - bottom + 16)}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    for k, (name, _) in enumerate(series):
        y = height + 22 * k
        out.append(
            f'<rect x="12" y="{y}" width="14" height="14" '
            f"fill={quoteattr(PALETTE[k % len(PALETTE)])} />"
            f'<text class="legend" x="32" y="{y + 12}" font-size="12">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
