"""Facts about the HTTP request that several apps record."""

from typing import Any

from django.conf import settings

# The largest id the 64-bit integer columns hold.
MAX_ID = 2**63 - 1


def client_ip(request: Any) -> str | None:
    """The client's IP. Behind a proxy (TRUST_X_FORWARDED_FOR) the first forwarded address."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[0].strip()) or None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def parse_id(value: str | None) -> int | None:
    """A row id typed in a URL or query string; None unless ASCII digits within MAX_ID.

    str.isdigit() alone accepts "²", which int() refuses, and a longer number overflows
    SQLite's integers when a lookup compares it with a foreign key.
    """
    if not value or len(value) > len(str(MAX_ID)) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None
