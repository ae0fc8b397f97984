"""The adapter's cached OAuth2 access token (one per adapter instance, never shared)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Renew this long before the platform's expiry, so a billed call never leaves with a token that
# dies in flight: a 401 on a billed call is not retried (see the adapter).
RENEW_MARGIN_SECONDS = 60.0


@dataclass
class TokenCache:
    """Holds one bearer token and when to stop using it. Times are monotonic seconds."""

    _token: str = field(default="", repr=False)
    _use_until: float = 0.0

    def get(self, now: float) -> str | None:
        """The cached token, or None when there is none or it is about to expire."""
        if self._token and now < self._use_until:
            return self._token
        return None

    def store(self, token: str, expires_in: float, now: float) -> None:
        # Short-lived tokens keep at least half of their life usable.
        margin = min(RENEW_MARGIN_SECONDS, expires_in / 2)
        self._token = token
        self._use_until = now + expires_in - margin

    def clear(self) -> None:
        self._token = ""
        self._use_until = 0.0
