"""An ICSS certificate as a one-page A4 PDF (the pattern of ``assay/claims/pdf.py``): fpdf2 with
DejaVu Sans (Unicode as stored: "Café Zoë Łódź Pty" prints as written, never transliterated),
the organisation, scope, states and territories, standard, dates (issued, valid through, by the
one-year rule), the certifying body, the number, its status on the day printed, and a QR code of
the certificate's public register entry (``ASSAY_SITE_URL + "/register/certificates/?number="
+ number``, drawn from segno's module matrix as filled squares).

A withdrawn or expired certificate's PDF says so across its top and carries no mark. Without
DejaVu Sans no certificate is drawn (RuntimeError): a core font would have to transliterate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

from assay import clock
from assay.audits.certificates import MARK, mark_entitled, status_of
from assay.audits.models import Certificate
from assay.engines.dates import ddmmyyyy

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def register_url(number: str) -> str:
    """The absolute address of ``number``'s entry in the public register."""
    base = settings.ASSAY_SITE_URL.rstrip("/")
    return f"{base}/register/certificates/?number={quote(number)}"


def certificate_pdf(
    certificate: Certificate, *, today: dt.date | None = None, font_dir: Path = FONT_DIR
) -> bytes:
    import segno
    from fpdf import FPDF

    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise RuntimeError(f"DejaVu Sans is needed to draw certificates ({font_dir})")
    c = certificate
    today = clock.today() if today is None else today
    status = status_of(c, today)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(f"Certificate {c.number}")
    pdf.set_creator("Assay")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    if status != "valid":
        pdf.set_font("DejaVu", "B", 14)
        pdf.set_text_color(180, 0, 0)
        if c.withdrawn_on is not None and status == "withdrawn":
            banner = f"WITHDRAWN on {ddmmyyyy(c.withdrawn_on)}: {c.withdrawn_reason}"
        else:
            banner = f"This certificate is {status.upper()}."
        pdf.multi_cell(0, 7, banner, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "B", 22)
    pdf.cell(0, 14, "Certificate", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(0, 8, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, c.organisation.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(0, 8, "meets the requirements of", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, c.standard_title, align="C", new_x="LMARGIN", new_y="NEXT")
    if mark_entitled(c, today):
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(
            0,
            7,
            f"and is entitled to use the “{MARK}” mark while this certificate is valid.",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    lines = [
        f"Scope: {c.scope_text}",
        f"States and territories: {', '.join(c.states) or '—'}",
        f"Issued: {ddmmyyyy(c.issued_on)}",
        f"Valid through: {ddmmyyyy(c.valid_through)} (expired from {ddmmyyyy(c.expires_on)})",
        f"Certifying body: {c.audit.body.name}",
        f"Certificate number: {c.number}",
        f"Status on {ddmmyyyy(today)}: {status}",
    ]
    url = register_url(c.number)
    lines.append(f"Check this certificate on the public register: {url}")
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    size, module = 40.0, 40.0 / (len(qr.matrix) + 8)
    x0 = pdf.w - pdf.r_margin - size
    y0 = min(pdf.get_y() + 4, pdf.h - pdf.b_margin - size)  # on the page, whatever the text
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(qr.matrix):
        for col, dark in enumerate(row):
            if dark:
                pdf.rect(x0 + (col + 4) * module, y0 + (r + 4) * module, module, module, style="F")
    return bytes(pdf.output())
