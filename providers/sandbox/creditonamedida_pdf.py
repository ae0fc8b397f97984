"""A minimal PDF 1.4 writer for the Crédito na Medida sandbox's consult report.

Just enough of the format for a real, valid file without extra dependencies: A4 pages of text
lines in the standard Helvetica fonts (WinAnsiEncoding, i.e. cp1252, which covers Portuguese),
one content stream per page, a classic cross-reference table and trailer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 50
LEADING = 1.45  # line height as a multiple of the font size


@dataclass(frozen=True)
class PdfLine:
    text: str
    size: int = 10
    bold: bool = False


def _literal(text: str) -> bytes:
    """A PDF literal string in WinAnsi: parentheses and backslashes escaped, controls dropped."""
    clean = "".join(ch for ch in text if ch >= " ")
    raw = clean.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(line: PdfLine) -> list[PdfLine]:
    # Helvetica averages about half an em per character: good enough to stay inside the margins.
    width = max(20, int((PAGE_WIDTH - 2 * MARGIN) / (line.size * 0.5)))
    parts = textwrap.wrap(line.text, width=width) or [""]
    return [PdfLine(part, line.size, line.bold) for part in parts]


def _paginate(lines: Sequence[PdfLine]) -> list[bytes]:
    """One content stream per page."""
    pages: list[bytes] = []
    ops: list[bytes] = []
    y = float(PAGE_HEIGHT - MARGIN)
    for line in (part for original in lines for part in _wrap(original)):
        step = line.size * LEADING
        if y - step < MARGIN and ops:
            pages.append(b"\n".join(ops))
            ops, y = [], float(PAGE_HEIGHT - MARGIN)
        y -= step
        font = b"/F2" if line.bold else b"/F1"
        ops.append(
            b"BT %s %d Tf 1 0 0 1 %d %.1f Tm %s Tj ET"
            % (font, line.size, MARGIN, y, _literal(line.text))
        )
    pages.append(b"\n".join(ops))
    return pages


def render_pdf(lines: Sequence[PdfLine], *, title: str = "") -> bytes:
    """A complete PDF document showing `lines` top to bottom, on as many pages as needed."""
    streams = _paginate(lines)
    first_page = 5  # objects 1-4: catalog, page tree, regular font, bold font
    page_refs = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(streams)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (page_refs, len(streams)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    for i, stream in enumerate(streams):
        contents = first_page + 2 * i + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, contents)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info_number = len(objects) + 1
    objects.append(b"<< /Producer (CreditCheck sandbox) /Title %s >>" % _literal(title))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # binary comment: marks the file as binary
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, info_number)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
