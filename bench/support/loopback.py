"""Benches that talk to servers over HTTP only ever talk to this machine (not a bench itself)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


def loopback_refusal(url: str) -> str | None:
    """Why `url` is not an http(s) URL on loopback, or None when it is.

    The host name is resolved: every address it resolves to must be a loopback address, so a
    name that points elsewhere is refused as well.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"{url!r} is not an http(s) URL"
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        return f"{url!r}: cannot resolve {parts.hostname!r} ({exc})"
    addresses = {str(info[4][0]) for info in infos}
    outside = sorted(a for a in addresses if not ipaddress.ip_address(a).is_loopback)
    if outside:
        return f"{url!r} resolves outside loopback ({', '.join(outside)}); refusing"
    return None
