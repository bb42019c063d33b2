"""A certificate as a one-page A4 PDF: fpdf2 with DejaVu Sans (Unicode as stored: a name like
"Zoë Łukasiewicz" prints as written, never transliterated), the candidate, the qualification
with its accreditation number, each unit with its level and credit, the centre, the date of
issue, the number, and a QR code of the certificate's public verify page
(``ASSAY_SITE_URL + "/verify/" + number``, drawn from segno's module matrix as filled squares).

A revoked certificate's PDF says so across its top; a replacement names the one it replaces.
The font is required: without DejaVu Sans no certificate is drawn (RuntimeError), since a core
font would have to transliterate.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from assay.engines.dates import ddmmyyyy

from .models import Certificate

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def verify_url(number: str) -> str:
    return f"{settings.ASSAY_SITE_URL.rstrip('/')}/verify/{number}"


def certificate_pdf(cert: Certificate, *, font_dir: Path = FONT_DIR) -> bytes:
    import segno
    from fpdf import FPDF

    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise RuntimeError(f"DejaVu Sans is needed to draw certificates ({font_dir})")
    candidate = cert.registration.candidate
    name = f"{candidate.first_name} {candidate.last_name}"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(f"Certificate {cert.number}")
    pdf.set_creator("Assay")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    if cert.revoked_on is not None:
        pdf.set_font("DejaVu", "B", 14)
        pdf.set_text_color(180, 0, 0)
        pdf.multi_cell(
            0,
            7,
            f"REVOKED on {ddmmyyyy(cert.revoked_on)} ({cert.get_revoked_kind_display()}): "
            f"{cert.revoked_reason}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "B", 22)
    title = "Certificate of Unit Credit" if cert.kind == "unit" else "Certificate"
    pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(0, 8, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    what = "has achieved" if cert.kind == "qualification" else "has achieved credit towards"
    pdf.cell(0, 8, what, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(
        0,
        8,
        f"{cert.qualification_title} ({cert.qualification_code})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 10)
    if cert.accreditation_number:
        pdf.cell(
            0,
            6,
            f"Qualification accreditation number {cert.accreditation_number}",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 10)
    widths = (22, 118, 20, 20)
    for width, head in zip(widths, ("Unit", "Title", "Level", "Credit"), strict=True):
        pdf.cell(width, 7, head, border="B")
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    total = 0
    for unit in cert.units.order_by("position"):
        total += unit.credit
        pdf.cell(widths[0], 6, unit.unit_code)
        pdf.cell(widths[1], 6, unit.unit_title[:80])
        pdf.cell(widths[2], 6, str(unit.level))
        pdf.cell(widths[3], 6, str(unit.credit), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(sum(widths[:3]), 7, "Total credit", border="T")
    pdf.cell(widths[3], 7, str(total), border="T", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    lines = [
        f"Centre: {cert.centre.name} ({cert.centre.number})",
        f"Date of issue: {ddmmyyyy(cert.issued_on)}",
        f"Certificate number: {cert.number}",
    ]
    if cert.replaces_id is not None and cert.replaces is not None:
        lines.append(f"This certificate replaces certificate {cert.replaces.number}.")
    url = verify_url(cert.number)
    lines.append(f"Check this certificate: {url}")
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    size, module = 35.0, 35.0 / (len(qr.matrix) + 8)
    x0, y0 = pdf.w - pdf.r_margin - size, pdf.get_y() + 4
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(qr.matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x0 + (c + 4) * module, y0 + (r + 4) * module, module, module, style="F")
    return bytes(pdf.output())
