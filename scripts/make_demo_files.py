#!/usr/bin/env python3
"""Write the small evidence files the demo portfolios upload (``assay/demo/files``).

Usage::

    python scripts/make_demo_files.py [OUTPUT_DIR]

Standard library only, and deterministic: running it again writes the same bytes, so the
shipped files (and their SHA-256 content addresses) only change when this script does.

* ``reflective-account-complaints-review.txt`` — a candidate's reflective account;
* ``customer-feedback-form.pdf`` — a valid one-page PDF 1.4 form (Helvetica, no fonts
  embedded), with a correct cross-reference table;
* ``complaint-volumes-2012.png`` — a bar chart of monthly complaint volumes, RGB, built
  with zlib and struct;
* ``professional-discussion-extract.wav`` — 1.5 s of 8 kHz mono speech-like sound (a
  voiced tone with harmonics, shaped into syllables), built with ``wave``.
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
import zlib
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "assay" / "demo" / "files"

TEXT_NAME = "reflective-account-complaints-review.txt"
PDF_NAME = "customer-feedback-form.pdf"
PNG_NAME = "complaint-volumes-2012.png"
WAV_NAME = "professional-discussion-extract.wav"

REFLECTIVE_ACCOUNT = """\
Reflective account: reviewing how we handle referred complaints
Priya Shah, Customer Service Manager, Harbour Retail Ltd
Period covered: October to December 2012

What happened
In October our complaint volumes at the Northgate store rose from about 40 a month to over 70,
mostly about late home deliveries after we changed courier. Front-line staff were escalating
almost every delivery complaint to me, and customers were waiting up to ten days for an answer.

What I did
I collected every complaint logged since July, both the numbers (volumes, time to resolve,
refunds given) and what customers actually said, and grouped them by cause. Three patterns
stood out: deliveries missed because the courier's time slots did not match ours, refunds held
up by our own approval limits, and customers not being told what was happening.

I met the courier's account manager and our logistics lead to agree new time slots, and I
proposed to the regional manager that team leaders may refund delivery charges up to 25 pounds
without referring the case to me. The proposal was approved in November. I briefed the team
leaders and front-line staff in two short sessions and we agreed that every customer with an
open delivery complaint gets a call or email at least every three working days.

One customer, Mrs Khan, did not accept our first offer of a redelivery and a refund of the
charge. I explained our options again, listened to why the missed delivery had mattered so
much (it was a birthday present), and agreed a goodwill voucher within my own authority. She
wrote to thank the team. Another customer wanted compensation beyond our policy; I explained
the limits, offered the escalation route to head office and kept him informed until it closed.

What I learned
Looking at trends rather than single cases showed that most complaints had one cause in our
own procedures. Giving team leaders clear authority cut the waiting time, and keeping customers
informed mattered as much to them as the solution itself. In December volumes fell to 38 and
the average time to resolve a complaint fell from nine days to four.

Next steps
I will review the refund limit with the regional manager in March and share the complaint
figures with the team every month.

I confirm that this account is my own work.
"""

FORM_LINES = [
    ("F2", 18, "Harbour Retail Ltd - Customer Feedback Form"),
    ("F1", 11, "Northgate store, Customer Service Desk          Form CS-7 (rev. 2012)"),
    ("F1", 11, ""),
    ("F2", 12, "About your visit"),
    ("F1", 11, "Date of visit:  14/11/2012          Served by:  Customer Service Desk"),
    ("F1", 11, "Reason for contact:  late home delivery (complaint reference HR-2012-1187)"),
    ("F1", 11, ""),
    ("F2", 12, "How did we do?   (1 = poor, 5 = excellent)"),
    ("F1", 11, "Staff were polite and helpful ...................................... 5"),
    ("F1", 11, "We explained clearly what would happen next ......................... 4"),
    ("F1", 11, "We kept you informed while your complaint was open .................. 5"),
    ("F1", 11, "The solution we agreed met your needs ............................... 4"),
    ("F1", 11, "Overall satisfaction with how your complaint was handled ............ 5"),
    ("F1", 11, ""),
    ("F2", 12, "Your comments"),
    ("F1", 11, "The manager, Priya, called me back the same day and again two days later"),
    ("F1", 11, "to say when the new delivery would come. I was annoyed at first but she"),
    ("F1", 11, "listened and sorted out a voucher for the delivery charge. Thank you."),
    ("F1", 11, ""),
    ("F2", 12, "May we contact you about this feedback?   Yes"),
    ("F1", 9, "Your details are kept for 12 months and used only to improve our service."),
]


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf() -> bytes:
    """One A4 page: the form as text lines in a ruled box. Offsets in the xref are exact."""
    ops = ["0.2 0.3 0.5 RG 1.2 w 50 80 495 700 re S", "0.9 0.93 0.97 rg 50 740 495 40 re f"]
    ops += ["0 0 0 rg", "BT", "62 752 Td"]
    leading = 0
    for font, size, text in FORM_LINES:
        step = -(size + 12) if leading else 0
        ops.append(f"/{font} {size} Tf 0 {step} Td ({_pdf_text(text)}) Tj")
        leading = 1
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Customer Feedback Form) /Author (Harbour Retail Ltd) "
        b"/Producer (Assay scripts/make_demo_files.py) /CreationDate (D:20121114120000Z) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# Complaints a month at the Northgate store in 2012 (the reflective account's story).
VOLUMES = [41, 38, 44, 39, 42, 40, 45, 47, 52, 71, 63, 38]
# A 3×5 pixel font for the few characters the chart labels need.
GLYPHS = {
    "J": "001001001101010", "F": "111100110100100", "M": "101111111101101",
    "A": "010101111101101", "S": "011100010001110", "O": "010101101101010",
    "N": "110101101101101", "D": "110101101101110", "0": "111101101101111",
    "2": "110001010100111", "4": "101101111001001", "6": "011100111101111",
    "8": "111101111101111", "1": "010110010010111", "7": "111001010010010",
    "C": "011100100100011", "P": "110101110100100", "L": "100100100100111",
    "I": "111010010010111", "T": "111010010010010", "E": "111100110100111",
    " ": "000000000000000",
}  # fmt: skip


def make_png(width: int = 360, height: int = 220) -> bytes:
    """A bar chart with a soft background gradient, grid lines, labels and shaded bars."""
    pixels = [
        [(250 - y // 12, 250 - y // 16, 252 - y // 24) for _ in range(width)] for y in range(height)
    ]
    left, bottom, top = 40, height - 30, 30

    def put(x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < width and 0 <= y < height:
            pixels[y][x] = colour

    def text(x: int, y: int, words: str, scale: int = 2) -> None:
        for i, char in enumerate(words):
            bits = GLYPHS[char]
            for row in range(5):
                for col in range(3):
                    if bits[row * 3 + col] == "1":
                        for dy in range(scale):
                            for dx in range(scale):
                                put(
                                    x + i * 4 * scale + col * scale + dx,
                                    y + row * scale + dy,
                                    (40, 40, 60),
                                )

    scale_y = (bottom - top) / 80
    for value in range(0, 81, 20):
        y = bottom - round(value * scale_y)
        for x in range(left, width - 10):
            put(x, y, (200, 205, 215) if value else (60, 60, 70))
        text(8, y - 5, f"{value:>2}", scale=2)
    for y in range(top, bottom + 1):
        put(left, y, (60, 60, 70))
    bar, gap = 18, 8
    for month, (value, label) in enumerate(zip(VOLUMES, "JFMAMJJASOND", strict=True)):
        x0 = left + 8 + month * (bar + gap)
        y0 = bottom - round(value * scale_y)
        peak = value > 60
        for y in range(y0, bottom):
            shade = (y - y0) * 40 // max(1, bottom - y0)
            colour = (200 - shade, 70, 60) if peak else (60, 110 + shade, 180 - shade // 2)
            for x in range(x0, x0 + bar):
                edge = x in (x0, x0 + bar - 1)
                put(x, y, tuple(c - 30 for c in colour) if edge else colour)  # type: ignore[arg-type]
        text(x0 + 6, bottom + 8, label, scale=2)
    text(left + 10, 8, "COMPLAINTS 2012", scale=3)
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def make_wav(path: Path, seconds: float = 1.5, rate: int = 8000) -> None:
    """Speech-like: a voiced tone (falling pitch, harmonics) shaped into four 'syllables'."""
    frames = bytearray()
    for n in range(int(seconds * rate)):
        t = n / rate
        pitch = 150 - 25 * t  # a speaking voice drifts down over a phrase
        phase = 2 * math.pi * (150 * t - 12.5 * t * t)
        voice = sum(math.sin(k * phase) / k for k in (1, 2, 3, 5)) * (pitch / 150)
        syllable = max(0.0, math.sin(math.pi * ((t * 2.8) % 1.0))) ** 1.5
        fade = min(1.0, t / 0.05, (seconds - t) / 0.05)
        sample = int(128 + 90 * 0.55 * voice * syllable * fade)
        frames.append(max(0, min(255, sample)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    write_all(parser.parse_args().output_dir)


def write_all(folder: Path) -> None:
    """Write the four files into ``folder`` and print their sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TEXT_NAME).write_text(REFLECTIVE_ACCOUNT, encoding="utf-8")
    (folder / PDF_NAME).write_bytes(make_pdf())
    (folder / PNG_NAME).write_bytes(make_png())
    make_wav(folder / WAV_NAME)
    for name in (TEXT_NAME, PDF_NAME, PNG_NAME, WAV_NAME):
        print(f"{folder / name}: {(folder / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
