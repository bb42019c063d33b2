"""The IQA report rendered: an A4 landscape PDF (fpdf2, DejaVu Sans as the audit report uses
when installed, else Latin-1 Helvetica) and an XLSX with one sheet per section (typed dates
and numbers through ``assay.spreadsheets``). Both libraries load only when a report is made.
"""

from __future__ import annotations

import datetime as dt
import io
from itertools import chain
from pathlib import Path

from assay.engines.dates import ddmmyyyy
from assay.spreadsheets import Cell
from assay.verification.report import IqaReport

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _text(value: Cell) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return ddmmyyyy(value)
    return str(value)


def render_pdf(report: IqaReport, *, font_dir: Path | None = FONT_DIR) -> bytes:
    """The report's PDF bytes; ``font_dir=None`` forces the Latin-1 core font."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from assay.audits.reports.pdf import latin1

    class Pdf(FPDF):
        unicode = False

        def normalize_text(self, text: str) -> str:
            return super().normalize_text(text if self.unicode else latin1(text))

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(face, "", 7.5)
            self.cell(0, 4, f"{report.title} | page {self.page_no()}/{{nb}}", align="C")

    pdf = Pdf(orientation="L", unit="mm", format="A4")
    regular = font_dir / "DejaVuSans.ttf" if font_dir else None
    bold = font_dir / "DejaVuSans-Bold.ttf" if font_dir else None
    if regular and bold and regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        face, pdf.unicode = "DejaVu", True
    else:
        face = "Helvetica"
    pdf.set_title(latin1(report.title))
    pdf.set_creator("Assay")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(face, "B", 15)
    pdf.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(face, "", 9)
    pdf.cell(0, 6, f"Made on {ddmmyyyy(report.made_on)}", new_x="LMARGIN", new_y="NEXT")
    head = FontFace(emphasis="BOLD", fill_color=(225, 230, 238))
    for section in report.sections():
        pdf.ln(3)
        pdf.set_font(face, "B", 12)
        pdf.cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(face, "", 7.5)
        rows = iter(section.rows)
        first = next(rows, None)
        if first is None:
            pdf.cell(0, 5, "None.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            col_widths=tuple(section.widths),
            headings_style=head,
            line_height=4,
            text_align="LEFT",
        ) as table:
            table.row(list(section.header))
            for row in chain([first], rows):
                table.row([_text(v) for v in row])
    return bytes(pdf.output())


def render_xlsx(report: IqaReport) -> bytes:
    """One sheet per section, header first; dates are dates and counts numbers."""
    from openpyxl import Workbook

    from assay.spreadsheets import add_sheet

    book = Workbook(write_only=True)
    for section in report.sections():
        add_sheet(book, section.title, chain([tuple(section.header)], section.rows))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
