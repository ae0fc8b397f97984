"""The PDF renderer loads our static files and nothing else."""

from __future__ import annotations

import pytest

from creditcheck.core.pdf import BASE_URL, ForbiddenResource, html_to_pdf, static_path


def test_static_path_serves_our_stylesheet() -> None:
    assert static_path(f"{BASE_URL}css/report.css").name == "report.css"
    assert static_path(f"{BASE_URL}static/css/report.css").name == "report.css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{BASE_URL}../../../etc/passwd",
        f"{BASE_URL}css/missing.css",
    ],
)
def test_static_path_refuses_everything_else(url: str) -> None:
    with pytest.raises(ForbiddenResource):
        static_path(url)


def test_html_to_pdf_renders_with_stylesheet_and_ignores_external_image() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="css/report.css"></head><body>'
        '<h1>Relatório</h1><img src="http://127.0.0.1:1/x.png"><img src="file:///etc/passwd">'
        "</body></html>"
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
