"""HTML to PDF with WeasyPrint, allowed to load nothing but our own static files.

Names, addresses and platform payloads end up in these documents; a URL in any of them must not
make the server fetch anything (SSRF) or read local files. WeasyPrint is imported only when a PDF
is made: it is heavy and parses its own stylesheets at import.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Templates' relative URLs resolve against this base. ".invalid" never resolves (RFC 2606), and
# the fetcher serves this host from our static folders and refuses every other URL.
BASE_URL = "https://static.creditcheck.invalid/"
MEDIA_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


class ForbiddenResource(Exception):
    pass


def static_path(url: str) -> Path:
    """The file of our static folders a URL names; ForbiddenResource for anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        raise ForbiddenResource(f"recurso externo recusado: {parts.scheme}://{parts.netloc}")
    relative = unquote(parts.path).lstrip("/").removeprefix(settings.STATIC_URL.lstrip("/"))
    # An absolute path ("/static//etc/passwd") would make the finders look outside our folders.
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ForbiddenResource("caminho recusado")
    found = finders.find(relative)
    if not found:
        raise ForbiddenResource("arquivo estático inexistente")
    return Path(found if isinstance(found, str) else found[0])


@lru_cache(maxsize=1)
def _static_only_fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # untyped library base
        """Serves our static files; http(s), file: and data: URLs are refused."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_path(url)
            media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": media_type}
            )

    return StaticOnlyFetcher


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes; every resource outside our static files is refused, and the PDF
    has no links."""
    from weasyprint import HTML

    fetcher = _static_only_fetcher_class()()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    # Our reports link nowhere; an href in a platform's HTML report (converted here) must not
    # become a clickable javascript: or phishing URI in a PDF we hand out.
    for page in document.pages:
        page.links.clear()
    pdf: bytes = document.write_pdf()
    return pdf
