"""The audit report as an A4 PDF (fpdf2), with the perspectives' radar chart.

Contents, in order: the title page with the executive summary (organisation, standard,
sites sampled and the sampling rule, the outcome with the engine's blocking reasons, findings
by kind, the decision, documents reviewed); the decision with every reason; the findings
register and the documents for review (when any); the sample with the reason for each site;
results across sites (perspective → element → attribute, with bands and each mandatory
attribute's weakest site); results per site (landscape matrices of at most ``SITES_PER_PAGE``
sites, cells shaded by band); the radar of management's expectation against actual delivery;
the largest gaps; desirable progress; year-on-year change. Each section starts on a new
page, or follows on the same page only with room below its heading (``_Pdf.section``); a
number or word in a table cell is never broken across lines (``_Pdf._fit``). Every page has
its number and, when the standard is illustrative, the illustrative notice in the footer.

Text is drawn in DejaVu Sans when the font is installed (any script DejaVu covers). Otherwise
the core Helvetica font is used, which only knows Latin-1: ``latin1`` then transliterates
(dashes → "-", curly quotes → straight ones, "…" → "...", accents outside Latin-1 dropped,
anything left → "?") so rendering never fails on a user's name.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace
from fpdf.util import Padding

from assay.audits.reports.report_data import AuditReport
from assay.audits.results_table import NodeRow
from assay.engines.audit.charts import radar_svg
from assay.engines.audit.model import Band
from assay.engines.audit.scoring import display_mean

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SITES_PER_PAGE = 20
LARGEST_GAPS = 15
GREY = (90, 90, 90)
HEAD_FILL = (225, 230, 238)
NODE_FILL = (242, 242, 242)
# Band shading from the lowest band (red) through the middle (amber) to the highest (green).
PALETTE = ((248, 210, 205), (252, 234, 196), (211, 236, 211))
GRID_PADDING = 0.8  # mm around a table cell's text
MIN_CELL_SIZE = 4.5  # pt: the smallest type a word is shrunk to so that it is never broken
KEEP_WITH_HEADING = 30.0  # mm: a heading with less room than this below it starts a new page

_LATIN1 = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2026": "...",
        "\u2022": "*",
        "\u2192": "->",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u00d7": "x",
        "\u20ac": "EUR",
        "\u2248": "~",
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u0131": "i",
    }
)


def latin1(text: str) -> str:
    """``text`` in Latin-1 for the core fonts: punctuation mapped to ASCII look-alikes, other
    letters decomposed and stripped of accents Latin-1 lacks (ő → o), the rest → "?"."""
    out = []
    for char in text.translate(_LATIN1):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if ord(c) < 256 and not unicodedata.combining(c)
        )
        out.append(base or "?")
    return "".join(out)


def _fill(report: AuditReport, band: Band | None) -> tuple[int, int, int] | None:
    if band is None:
        return None
    keys = [b.key for b in report.standard.scale.bands]
    if len(keys) == 1:
        return PALETTE[-1]
    pos = keys.index(band.key) * (len(PALETTE) - 1) / (len(keys) - 1)
    return PALETTE[round(pos)]


def _fmt(value: float | None, places: int = 1) -> str:
    """A mean rounded down (``display_mean``: the figure never shows a band not reached)."""
    return "-" if value is None else display_mean(value, places)


def _diff(value: float | None) -> str:
    """A signed difference (a gap or a change), rounded to one decimal."""
    return "-" if value is None else f"{value:+.1f}"


class _Pdf(FPDF):
    def __init__(self, report: AuditReport, font_dir: Path | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.unicode = False
        regular = font_dir / "DejaVuSans.ttf" if font_dir else None
        bold = font_dir / "DejaVuSans-Bold.ttf" if font_dir else None
        if regular and bold and regular.exists() and bold.exists():
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            self.face = "DejaVu"
            self.unicode = True
        else:
            self.face = "Helvetica"
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=22)
        self.set_title(latin1(f"Audit report: {report.organisation}"))
        self.set_creator("Assay")

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(text if self.unicode else latin1(text))

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(self.face, "", 8)
        self.set_text_color(*GREY)
        r = self.report
        self.cell(
            0, 5, f"{r.organisation} | {r.standard.code} v{r.standard.version} | {r.reference}"
        )
        self.ln(8)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(self.face, "", 7.5)
        self.set_text_color(*GREY)
        if self.report.illustrative:
            self.multi_cell(0, 3.5, self.report.notice, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, f"Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # Building blocks ---------------------------------------------------------------------

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(self.face, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(self.face, "", 9.5)

    def section(self, text: str, size: float = 12) -> None:
        """A heading that follows on the same page: a new page first when less than
        ``KEEP_WITH_HEADING`` mm would be left below it, so a heading never sits alone at the
        foot of a page."""
        if self.y + size * 0.5 + KEEP_WITH_HEADING > self.page_break_trigger:
            self.add_page()
        self.heading(text, size)

    def para(self, text: str, *, bold: bool = False, size: float = 9.5, h: float = 5) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        self.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.face, "", 9.5)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[tuple[str, FontFace | None]]],
        widths: Sequence[float],
        *,
        size: float = 8,
    ) -> None:
        """A bordered table from the left margin, the header repeated on every page it spans.

        Drawn cell by cell rather than through ``FPDF.table``, which line-breaks every cell
        twice (to measure, then to draw) and breaks a word wider than its cell mid-word: here a
        cell whose text fits its width on one line (every figure, most codes) is one ``cell``
        call; a word (a number, "perspective") wider than its cell shrinks that cell's type
        until it fits (``_fit``) and only longer text wraps, between words.
        """
        line = size * 0.5
        head_style = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
        head = [(text, head_style) for text in header]
        head_lines = self._grid_lines(head, widths, size)
        # An all-blank header (a table of label and value) is not drawn.
        head_height = self._grid_height(head_lines, line) if any(header) else 0.0
        first = True
        for values in rows:
            lines = self._grid_lines(values, widths, size)
            height = self._grid_height(lines, line)
            if first or self.y + height > self.page_break_trigger:
                need = head_height + height if first else height
                if self.y + need > self.page_break_trigger:
                    self.add_page(orientation=str(self.cur_orientation.value))
                    first = True
                if first and head_height:
                    self._grid_row(head, head_lines, widths, head_height, line)
                first = False
            self._grid_row(values, lines, widths, height, line)
        if first and head_height:  # no rows: the header alone
            self._grid_row(head, head_lines, widths, head_height, line)
        self.ln(3)
        self.set_font(self.face, "", 9.5)

    def _grid_font(self, style: FontFace | None, size: float) -> None:
        bold = style is not None and style.emphasis is not None and "B" in style.emphasis.style
        self.set_font(self.face, "B" if bold else "", size)

    def _fit(self, text: str, style: FontFace | None, room: float, size: float) -> float:
        """The largest type size (at most ``size``, at least ``MIN_CELL_SIZE``) at which every
        word of ``text`` fits ``room``: a number or a word is never broken across lines."""
        self._grid_font(style, size)
        widest = max((self.get_string_width(w) for w in text.split()), default=0.0)
        if widest <= room:
            return size
        return max(MIN_CELL_SIZE, math.floor(size * room / widest * 4) / 4)

    def _grid_lines(
        self, values: Sequence[tuple[str, FontFace | None]], widths: Sequence[float], size: float
    ) -> list[tuple[list[str], float]]:
        """Each cell's text as the lines it is drawn in, and the type size it is drawn at."""
        out = []
        for (text, style), width in zip(values, widths, strict=True):
            room = width - 2 * GRID_PADDING
            fitted = self._fit(text, style, room, size)
            self._grid_font(style, fitted)
            if "\n" not in text and self.get_string_width(text) <= room:
                out.append(([text] if text else [], fitted))
            else:
                broken = self.multi_cell(
                    width,
                    fitted * 0.5,
                    text,
                    padding=Padding.new(GRID_PADDING),
                    dry_run=True,
                    output="LINES",
                )
                assert isinstance(broken, list)
                out.append((broken, fitted))
        return out

    @staticmethod
    def _grid_height(cells: Sequence[tuple[Sequence[str], float]], line: float) -> float:
        return max(1, *(len(lines) for lines, _size in cells)) * line + 2 * GRID_PADDING

    def _grid_row(
        self,
        values: Sequence[tuple[str, FontFace | None]],
        cells: Sequence[tuple[Sequence[str], float]],
        widths: Sequence[float],
        height: float,
        line: float,
    ) -> None:
        x, y = self.l_margin, self.y
        margin, self.c_margin = self.c_margin, 0  # the padding is the only space in a cell
        for (_text, style), (cell_lines, size), width in zip(values, cells, widths, strict=True):
            fill = style.fill_color if style is not None else None
            if fill is not None:
                self.set_fill_color(fill)
            self.rect(x, y, width, height, style="DF" if fill is not None else "D")
            self._grid_font(style, size)
            top = y + (height - len(cell_lines) * line) / 2  # centred, as fpdf2's tables are
            for number, text_line in enumerate(cell_lines):
                self.set_xy(x + GRID_PADDING, top + number * line)
                self.cell(width - 2 * GRID_PADDING, line, text_line)
            x += width
        self.c_margin = margin
        self.set_xy(self.l_margin, y + height)


def _plain(*texts: str) -> list[tuple[str, FontFace | None]]:
    return [(t, None) for t in texts]


# Sections -------------------------------------------------------------------------------


def _title_page(pdf: _Pdf) -> None:
    r = pdf.report
    std = r.standard
    pdf.add_page()
    pdf.heading("Certification audit report", 20)
    pdf.para(r.organisation, bold=True, size=14, h=7)
    pdf.para(r.scope)
    pdf.ln(2)
    facts = [
        ("Standard", f"{std.code} version {std.version}: {std.title}"),
        ("Audit", f"{r.reference} ({r.kind})" if r.reference else r.kind),
        *((label, day.strftime("%d/%m/%Y")) for label, day in r.dates),
        ("Sites assessed", str(len(r.sites))),
        ("Auditors", ", ".join(r.auditors) or "-"),
        ("Decision maker", r.decision_maker or "no decision recorded yet"),
    ]
    for label, value in facts:
        pdf.set_font(pdf.face, "B", 9.5)
        pdf.cell(38, 5.5, label)
        pdf.set_font(pdf.face, "", 9.5)
        pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")
    if r.illustrative:
        pdf.ln(2)
        pdf.set_text_color(150, 60, 0)
        pdf.para(r.notice, bold=True)
        pdf.set_text_color(0, 0, 0)
    _summary(pdf)


SUMMARY_REASONS = 8  # blocking reasons the executive summary lists before "and N more"


def _summary(pdf: _Pdf) -> None:
    """The executive summary: who, against what, where, the outcome with the engine's
    blocking reasons, the findings by kind, the decision if any, the documents reviewed."""
    r = pdf.report
    std = r.standard
    pdf.ln(3)
    pdf.section("Executive summary", 14)
    if r.sample is not None:
        rule = r.sample.rule
        sampled = f"{len(r.sites)}, drawn under {rule.name} (version {rule.version})"
    else:
        sampled = f"{len(r.sites)} (no recorded draw)"
    blocking = [reason for reason in r.decision.reasons if reason.blocking]
    counts = r.finding_counts()
    findings = (
        "; ".join(f"{kind}: {n}" for kind, n in counts)
        if r.findings
        else "none raised (" + ", ".join(f"{kind}: 0" for kind, _n in counts) + ")"
    )
    if r.decided:
        when = f" on {r.decided_on:%d/%m/%Y}" if r.decided_on else ""
        decision = f"{r.outcome}, recorded by {r.decision_maker}{when}"
        if r.conditions:
            decision += " with conditions"
    else:
        decision = "none recorded yet: the outcome is the engine's provisional result"
    documents = len({(d.name, d.sha256) for d in r.documents})
    reviewed = (
        f"{documents} given for review, supporting "
        f"{len({d.attribute for d in r.documents})} attributes"
        if documents
        else "none given for review"
    )
    rows = [
        ("Organisation", f"{r.organisation}: {r.scope}"),
        ("Standard", f"{std.code} version {std.version}: {std.title}"),
        ("Sites sampled", sampled),
        ("Overall outcome", f"{r.outcome} ({len(blocking)} blocking reasons)"),
        ("Findings", findings),
        ("Decision", decision),
        ("Documents", reviewed),
    ]
    pdf.grid(
        ("", ""),
        [[(label, FontFace(emphasis="BOLD")), (value, None)] for label, value in rows],
        (38, 142),
        size=9,
    )
    if blocking:
        pdf.section("Why it is not certifiable (the engine's reasons)", 11)
        for number, reason in enumerate(blocking[:SUMMARY_REASONS], start=1):
            pdf.set_font(pdf.face, "", 9)
            pdf.cell(8, 4.8, f"{number}.")
            pdf.multi_cell(0, 4.8, reason.text, new_x="LMARGIN", new_y="NEXT")
        if len(blocking) > SUMMARY_REASONS:
            pdf.para(f"and {len(blocking) - SUMMARY_REASONS} more: see Decision and reasons.")


def _decision(pdf: _Pdf) -> None:
    """The decision with every reason, the rationale and any conditions."""
    r = pdf.report
    pdf.add_page()
    green, red = (20, 110, 40), (170, 30, 30)
    pdf.set_text_color(*(green if r.decision.certifiable else red))
    pdf.heading(f"Decision: {r.outcome}", 16)
    pdf.set_text_color(0, 0, 0)
    pdf.section("Reasons", 12)
    for number, reason in enumerate(r.decision.reasons, start=1):
        pdf.set_font(pdf.face, "", 9)
        pdf.cell(8, 4.8, f"{number}.")
        pdf.multi_cell(0, 4.8, reason.text, new_x="LMARGIN", new_y="NEXT")
    if not r.decision.reasons:
        pdf.para("The engine gave no reasons.")
    if r.rationale:
        pdf.section("The decision maker's rationale", 12)
        pdf.para(r.rationale)
    if r.conditions:
        pdf.section("Conditions", 12)
        pdf.para(r.conditions)


def _documents(pdf: _Pdf) -> None:
    """Document review: each attribute's documents (only when any were given)."""
    r = pdf.report
    if not r.documents:
        return
    pdf.add_page()
    pdf.heading("Documents for review")
    pdf.para(
        "Documents given before fieldwork, under each attribute they support (a document "
        "supporting several attributes is listed under each); SHA-256 shortened to 12 characters."
    )
    pdf.ln(1)
    rows = [
        _plain(d.attribute, d.name, d.short_sha, d.uploaded_by, f"{d.uploaded_on:%d/%m/%Y}")
        for d in r.documents
    ]
    pdf.grid(
        ("Attribute", "Document", "SHA-256", "Uploaded by", "Date"), rows, (20, 70, 30, 38, 22)
    )


def _findings(pdf: _Pdf) -> None:
    """The findings register: every finding with its corrective action (only when any)."""
    r = pdf.report
    if not r.findings:
        return
    pdf.add_page()
    pdf.heading("Findings register")
    rows = [
        _plain(
            f.ref,
            f.grade,
            f"{f.attribute} at {f.site}",
            f.summary,
            "-"
            if f.action is None
            else f"{f.action}, due {f.due_on:%d/%m/%Y}" + (f"; {f.owner}" if f.owner else "")
            if f.due_on
            else f.action,
        )
        for f in r.findings
    ]
    pdf.grid(("#", "Grade", "Where", "Finding", "Corrective action"), rows, (10, 34, 34, 58, 44))


def _sample_section(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.add_page()
    pdf.heading("The sample")
    sample = r.sample
    if sample is None:
        pdf.para("Sites were chosen without a recorded draw.")
        rows = [_plain(s.name, s.state, "main office" if s.is_main else "") for s in r.sites]
        pdf.grid(("Site", "State", ""), rows, (100, 40, 40))
        return
    stage = "re-certification" if sample.recertification else "first certification"
    rule = sample.rule
    pdf.para(
        f"Rule: {rule.name} (version {rule.version}). Drawn for {stage} with random seed "
        f"{sample.seed}: {rule.summary} (risk: complaints, low previous score, longest since "
        "the last visit). The same seed, offices and rule give the same sample."
    )
    pdf.para(f"Source: {rule.source}.")
    pdf.ln(2)
    per_state = [
        _plain(state, str(others), str(n), str(n + 1)) for state, others, n in sample.per_state
    ]
    pdf.grid(
        ("State", "Other offices", "Sampled beyond main", "Sites"), per_state, (45, 35, 45, 25)
    )
    picks = [
        _plain(f"S{i}", r.site_name(p.office_id), p.state, p.how, p.reason)
        for i, p in enumerate(sample.picks, start=1)
    ]
    pdf.grid(("#", "Site", "State", "How", "Reason"), picks, (10, 50, 22, 16, 82))


def _across_sites(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.add_page()
    pdf.heading("Results across sites")
    bands = ", ".join(f"{b.label} {b.low}-{b.high}" for b in r.standard.scale.bands)
    pdf.para(
        f"Scale: {bands}. Means are over every assessed site; a mandatory attribute's band "
        "for the decision is the band of its weakest site."
    )
    pdf.ln(2)
    table = r.table
    rows: list[list[tuple[str, FontFace | None]]] = []
    overall = table.overall.across
    bold = FontFace(emphasis="BOLD", fill_color=NODE_FILL)
    rows.append(
        [
            ("", bold),
            ("Whole standard", bold),
            ("", bold),
            (_fmt(overall.value), bold),
            (overall.band.label if overall.band else "-", bold),
            (f"{overall.scored}/{overall.total} scored", bold),
        ]
    )
    for item in table.tree:
        indent = "   " * item.depth
        if isinstance(item, NodeRow):
            res = item.across
            style = FontFace(emphasis="BOLD", fill_color=NODE_FILL)
            rows.append(
                [
                    (item.code, style),
                    (indent + item.title, style),
                    (item.level, style),
                    (_fmt(res.value), style),
                    (res.band.label if res.band else "-", style),
                    (f"{res.scored}/{res.total} scored", style),
                ]
            )
            continue
        band = item.band
        weakest = (
            f"{item.weakest.value} at {r.site_name(item.weakest_site)}"
            if item.weakest.value is not None and item.weakest_site
            else "-"
        )
        rows.append(
            [
                (item.code, None),
                (indent + item.title, None),
                ("mandatory" if item.mandatory else "desirable", None),
                (_fmt(item.mean.value), None),
                (
                    band.label if band else "not scored everywhere",
                    FontFace(fill_color=_fill(r, band)),
                ),
                (weakest, None),
            ]
        )
    pdf.grid(
        ("Code", "Title", "Kind", "Mean", "Band", "Weakest site"), rows, (14, 64, 24, 12, 26, 40)
    )


def _per_site(pdf: _Pdf) -> None:
    r = pdf.report
    if not r.sites:
        return
    chunks = [r.sites[i : i + SITES_PER_PAGE] for i in range(0, len(r.sites), SITES_PER_PAGE)]
    for chunk_no, chunk in enumerate(chunks):
        first = chunk_no * SITES_PER_PAGE + 1
        pdf.add_page(orientation="L")
        pdf.heading(
            f"Results per site (sites S{first}-S{first + len(chunk) - 1} of {len(r.sites)})"
        )
        legend = "; ".join(f"{b.label} {b.low}-{b.high}" for b in r.standard.scale.bands)
        pdf.para(
            "Scores per attribute and mean per perspective and element; shading by band "
            f"({legend}; no shading = not scored)."
        )
        key = ", ".join(f"S{first + i} {s.name} ({s.state})" for i, s in enumerate(chunk))
        pdf.para(key, size=7.5, h=3.8)
        pdf.ln(1)
        header = ("Code", *(f"S{first + i}" for i in range(len(chunk))))
        rows = []
        for item in r.table.tree:
            cells: list[tuple[str, FontFace | None]]
            if isinstance(item, NodeRow):
                cells = [(item.code, FontFace(emphasis="BOLD", fill_color=NODE_FILL))]
                at = {m.site: m for m in item.by_site}
                for site in chunk:
                    res = at.get(site.id)
                    cells.append(
                        (
                            _fmt(res.value if res else None),
                            FontFace(
                                emphasis="BOLD", fill_color=_fill(r, res.band if res else None)
                            ),
                        )
                    )
            else:
                mark = "*" if item.mandatory else ""
                cells = [(f"{item.code}{mark}", None)]
                scored = {m.site: m for m in item.by_site}
                for site in chunk:
                    score = scored.get(site.id)
                    cells.append(
                        (
                            score.text if score and score.value is not None else "-",
                            FontFace(fill_color=_fill(r, score.band if score else None)),
                        )
                    )
            rows.append(cells)
        pdf.grid(header, rows, (22, *(12.0,) * len(chunk)), size=7)
        pdf.para("* mandatory attribute", size=7.5)


def _radar(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.add_page()
    pdf.heading("Management expectation and actual delivery")
    pdf.para(
        "The self-assessment (management's expectation) against the auditors' scores, as "
        "means per perspective."
    )
    if r.profile:
        axes = [r.title_of(code) for code, _e, _a in r.profile]
        series = [
            ("Management expectation", [e for _c, e, _a in r.profile]),
            ("Actual", [a for _c, _e, a in r.profile]),
        ]
        svg = radar_svg(axes, series, high=r.standard.scale.high)
        svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.S)  # fpdf2 warns on <title>
        try:
            pdf.image(io.BytesIO(svg.encode("utf-8")), x=(pdf.w - 130) / 2, w=130)
        except Exception as exc:  # a chart fpdf2 cannot draw must not cost the whole report
            pdf.para(f"(The chart could not be drawn: {exc}.)")
        pdf.ln(4)
        rows = [
            _plain(
                code,
                r.title_of(code),
                _fmt(e),
                _fmt(a),
                _diff(None if e is None or a is None else e - a),
            )
            for code, e, a in r.profile
        ]
        pdf.grid(("Code", "Perspective", "Expected", "Actual", "Gap"), rows, (16, 84, 25, 25, 25))


def _gaps(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.section("Largest gaps", 12)
    shown = [g for g in r.gaps if g.gap is not None][:LARGEST_GAPS]
    if not shown:
        pdf.para("No attribute has both a self-assessment and a score.")
        return
    pdf.para(f"The {len(shown)} attributes where delivery falls furthest from expectation.")
    rows = [
        _plain(g.attribute, r.title_of(g.attribute), str(g.expected), _fmt(g.actual), _diff(g.gap))
        for g in shown
    ]
    pdf.grid(("Code", "Attribute", "Expected", "Actual", "Gap"), rows, (16, 99, 20, 20, 20))


def _desirable(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.section("Desirable attributes: progress towards best practice", 12)
    labels = {b.key: b.label for b in r.standard.scale.bands}
    rows = [
        _plain(code, r.title_of(code), labels.get(key, key)) for code, key in r.decision.desirable
    ]
    if rows:
        pdf.grid(("Code", "Attribute", "Band reached"), rows, (16, 124, 35))
    else:
        pdf.para("The standard has no desirable attributes.")


def _change(pdf: _Pdf) -> None:
    r = pdf.report
    pdf.section("Year on year", 12)
    if not r.change:
        pdf.para("First certification: there is no earlier audit to compare with.")
        return
    pdf.para(f"Mean score per attribute, {r.previous or 'previous audit'} against this audit.")
    rows = [
        _plain(
            code,
            r.title_of(code),
            _fmt(before),
            _fmt(after),
            _diff(None if before is None or after is None else after - before),
        )
        for code, before, after in r.change
    ]
    pdf.grid(("Code", "Attribute", "Before", "After", "Change"), rows, (16, 99, 20, 20, 20))


def render_pdf(report: AuditReport, *, font_dir: Path | None = FONT_DIR) -> bytes:
    """The report's PDF bytes; ``font_dir=None`` forces the Latin-1 core font."""
    pdf = _Pdf(report, font_dir)
    _title_page(pdf)
    _decision(pdf)
    _findings(pdf)
    _documents(pdf)
    _sample_section(pdf)
    _across_sites(pdf)
    _per_site(pdf)
    _radar(pdf)
    pdf.ln(4)
    _gaps(pdf)
    _desirable(pdf)
    _change(pdf)
    return bytes(pdf.output())
