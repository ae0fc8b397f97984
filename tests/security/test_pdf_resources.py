"""The PDF renderer loads our static files and nothing else: no network, no local files, no data:.

Every way HTML and CSS can name a resource points at a loopback server the test runs, or at a
local file, or carries the resource inline; the server must receive nothing, and the PDF must
come out without any of it.
"""

from __future__ import annotations

import base64
import io
import logging

import pypdf
import pytest
import requests
from PIL import Image

from creditcheck.core.pdf import html_to_pdf
from tests.security.conftest import LoopbackServer, Reply


def _png_data_url() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _hostile_html(server: str) -> tuple[str, list[str]]:
    """HTML naming resources every way it can, and the URLs the renderer must refuse."""
    protocol_relative = server.removeprefix("http:")
    data_url = _png_data_url()
    html = f"""<html><head>
<link rel="stylesheet" href="css/report.css">
<link rel="stylesheet" href="{server}/link.css">
<link rel="stylesheet" href="{protocol_relative}/protocol-relative.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>
@import url({server}/import.css);
@import "file:///etc/hostname";
body {{ background: url({server}/background.png) }}
h1 {{ background-image: url(file:///etc/hosts) }}
@font-face {{ font-family: Remote; src: url({server}/font.woff2) }}
p {{ font-family: Remote }}
</style></head><body>
<h1>Relatório</h1><p>Texto</p>
<img src="img/favicon.svg">
<img src="{server}/image.png">
<img src="{protocol_relative}/protocol-relative.png">
<img src="file:///etc/passwd">
<img src="/static//etc/passwd">
<img src="{data_url}">
<object data="{server}/object.png"></object>
<svg width="10" height="10"><image href="{server}/svg.png" width="10" height="10"/></svg>
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="{server}/attachment.txt">
</body></html>"""
    refused = [
        f"{server}/link.css",
        f"https:{protocol_relative}/protocol-relative.css",  # resolved against our https base
        "file:///etc/passwd",
        f"{server}/import.css",
        "file:///etc/hostname",
        f"{server}/background.png",
        "file:///etc/hosts",
        f"{server}/image.png",
        f"https:{protocol_relative}/protocol-relative.png",
        "https://static.creditcheck.invalid/static//etc/passwd",
        data_url,
        f"{server}/object.png",
        f"{server}/svg.png",
    ]
    return html, refused


def test_renderer_fetches_nothing_outside_our_static_files(
    loopback_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a loopback server that would serve anything (it answers us directly)
    loopback_server.replies["*"] = Reply(b"body { color: red }", "text/css")
    assert requests.get(f"{loopback_server.url}/reachable", timeout=5).status_code == 200
    loopback_server.requests.clear()
    html, refused = _hostile_html(loopback_server.url)

    # When HTML naming it (and local files, and inline data) becomes a PDF
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(html)

    # Then the server saw no request, nothing was embedded, and every URL was refused as such
    assert loopback_server.requests == []
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert [len(page.images) for page in reader.pages] == [0]
    assert dict(reader.attachments) == {}
    failures = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Failed")]
    assert all("ForbiddenResource" in message for message in failures), failures
    assert [url for url in refused if not any(url in message for message in failures)] == []
    # while our own stylesheet and image loaded
    assert [m for m in failures if "report.css" in m or "favicon.svg" in m] == []
    assert "Relatório" in reader.pages[0].extract_text()


def test_renderer_makes_no_links(loopback_server: LoopbackServer) -> None:
    html = (
        f'<p><a href="javascript:alert(1)">script</a> <a href="{loopback_server.url}/x">site</a>'
        ' <a href="file:///etc/passwd">arquivo</a></p>'
    )

    pdf = html_to_pdf(html)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert [page.get("/Annots") for page in reader.pages] == [None]
    assert "script site arquivo" in reader.pages[0].extract_text()
    assert loopback_server.requests == []
