"""The sandbox's minimal PDF writer: a structurally valid file that real tools can read."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from providers.sandbox.creditonamedida_pdf import PdfLine, render_pdf


def _objects_at_xref_offsets(pdf: bytes) -> list[bytes]:
    """What each in-use xref entry points at (should be 'N 0 obj' for object N)."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n \n", pdf[start:])
    return [pdf[int(offset) : int(offset) + 12].split(b"\n")[0] for offset in entries]


def test_render_pdf_has_header_trailer_and_exact_xref_offsets() -> None:
    pdf = render_pdf([PdfLine("Olá", 14, bold=True), PdfLine("linha")], title="T")

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    targets = _objects_at_xref_offsets(pdf)
    assert targets == [b"%d 0 obj" % n for n in range(1, len(targets) + 1)]
    assert b"/Size %d " % (len(targets) + 1) in pdf


def test_render_pdf_escapes_parentheses_backslashes_and_encodes_winansi() -> None:
    pdf = render_pdf([PdfLine("a (b) \\ c — ç")])

    assert b"(a \\(b\\) \\\\ c \x97 \xe7) Tj" in pdf


def test_render_pdf_breaks_long_reports_into_pages() -> None:
    one = render_pdf([PdfLine(f"linha {n}") for n in range(10)])
    two = render_pdf([PdfLine(f"linha {n}") for n in range(80)])

    assert b"/Count 1 " in one
    assert b"/Count 2 " in two


def test_render_pdf_text_is_extractable(tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(
        render_pdf(
            [PdfLine("Crédito na Medida — Relatório"), *(PdfLine(f"L{n}") for n in range(70))]
        )
    )

    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert text.splitlines()[0] == "Crédito na Medida — Relatório"
    assert "L0" in text and "L69" in text
