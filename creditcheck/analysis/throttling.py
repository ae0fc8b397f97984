"""The per-user rate limit on credit queries: one rule for the API and the screens.

Each query costs money, so a user (or a script holding their token) may request at most
`settings.CREDIT_QUERY_RATE` queries in a sliding window. Attempts are counted in Django's
cache, keyed by user, before the query service runs: a refused attempt never reaches it.
"""

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from creditcheck.core.shared_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

SCOPE = "credit_queries"
CODE = "rate_limited"
PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
PERIODS.update({"h": 3600, "hour": 3600, "d": 86400, "day": 86400})


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """ "30/min" -> Rate(30, 60)."""
    count, _, period = text.strip().partition("/")
    if not count.isdigit() or period not in PERIODS:
        raise ImproperlyConfigured(
            f"CREDIT_QUERY_RATE must look like '30/min' (sec, min, hour, day), got {text!r}"
        )
    return Rate(int(count), PERIODS[period])


def rate_limited_message(wait_seconds: int) -> str:
    return f"Limite de consultas por minuto atingido. Tente novamente em {wait_seconds} segundos."


def credit_query_rate_hit(*, user: Any, now: float | None = None) -> int | None:
    """Count one query attempt of `user`.

    Returns None when the attempt is within the rate (and records it), or the whole seconds
    to wait when it is not (and records nothing, so waiting is enough to be let through).
    """
    rate = parse_rate(settings.CREDIT_QUERY_RATE)
    now = time.time() if now is None else now
    key = f"{SCOPE}:{user.pk}"
    try:
        # The history is read, then written back: one user's attempts take turns, or parallel
        # requests (a script with several threads) would each count on the same history.
        if not _take_turn(f"{key}:turn"):
            return 1  # still busy after LOCK_WAIT: a flood of parallel attempts, refused
        try:
            history: list[float] = [t for t in cache.get(key, []) if t > now - rate.seconds]
            if len(history) >= rate.count:
                return max(1, math.ceil(history[0] + rate.seconds - now))
            history.append(now)
            cache.set(key, history, rate.seconds)
        finally:
            cache.delete(f"{key}:turn")
    except CACHE_ERRORS:
        logger.warning("query rate limit not applied: the shared cache is unreachable")
    return None


# A turn is held for a few milliseconds; it expires by itself if its process dies holding it.
TURN_EXPIRES_SECONDS = 5
LOCK_WAIT_SECONDS = 0.5


def _take_turn(turn_key: str) -> bool:
    """Wait (up to LOCK_WAIT_SECONDS) for this user's turn; `cache.add` is atomic (SET NX)."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not cache.add(turn_key, 1, timeout=TURN_EXPIRES_SECONDS):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


class CreditQueryRateLimited(Throttled):
    """429 with our code and the Portuguese message (DRF adds the Retry-After header)."""

    def __init__(self, wait_seconds: int) -> None:
        super(Throttled, self).__init__(rate_limited_message(wait_seconds), CODE)
        self.wait = wait_seconds


class CreditQueryThrottle(BaseThrottle):
    """DRF throttle for the endpoints that request credit queries (scope "credit_queries")."""

    scope = SCOPE

    def __init__(self) -> None:
        self.wait_seconds: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        self.wait_seconds = credit_query_rate_hit(user=request.user)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds
