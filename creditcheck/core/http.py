"""Facts about the HTTP request that several apps record."""

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """The client's IP. Behind a proxy (TRUST_X_FORWARDED_FOR) the first forwarded address."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[0].strip()) or None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
