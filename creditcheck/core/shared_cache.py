"""What happens when the shared cache (Redis, CACHE_URL) is unreachable.

The cache holds protections, not data: the per-user query rate limit and the platforms' circuit
breakers. A Redis restart must not stop attendants from working, so their callers catch
CACHE_ERRORS, log, and go on without the protection until Redis is back. In embedded mode the
cache is in-process memory and never raises.
"""

from redis.exceptions import RedisError

CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError,)
