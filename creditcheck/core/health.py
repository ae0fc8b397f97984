"""`/healthz`: whether this app server can do its work, for load balancers and operators.

Answers 503 when the database or the Celery broker cannot be reached: this server can then
neither record a credit query nor hand it to a worker, and a load balancer should send the
traffic elsewhere. Everything else answers 200, "degraded" when the shared cache is unreachable
or some platform's circuit breaker is not closed: a platform outage is the platform's, every app
server sees the same one, and pulling them all out of the load balancer would not help.

No authentication: an anonymous caller (the load balancer) gets the overall status and one
status per part, nothing else. Staff users signed in, or anyone when the operator sets
HEALTHZ_DETAILS, also get each part's details: the database vendor, exception class names,
the cache backend and each active branch integration's circuit (branch id and name, platform,
state). Even those name no secret, URL or document.
"""

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from creditcheck.celery import app as celery_app
from creditcheck.integrations.circuit import circuit_health

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
DEGRADED = "degraded"
# No broker configured: tasks run inside the web process (embedded mode), nothing to reach.
EMBEDDED = "embedded"
# The circuits could not be read (their states live in the cache, their list in the database).
UNKNOWN = "unknown"

# Seconds to wait for the broker: a probe must answer before the load balancer gives up on it.
BROKER_TIMEOUT_SECONDS = 2.0
CLOSED_CIRCUIT = "closed"


def _failure(component: str, exc: Exception) -> dict[str, Any]:
    # The message may name hosts or users: it goes to the log, the answer keeps the class only.
    logger.warning("healthz: %s unreachable: %s", component, exc)
    return {"status": DOWN, "error": type(exc).__name__}


def database_health() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means the database cannot serve this server
        return _failure("database", exc)
    return {"status": OK, "vendor": connection.vendor}


def broker_health() -> dict[str, Any]:
    """Open (and close) a connection to CELERY_BROKER_URL; with Redis that includes a PING."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"status": EMBEDDED}
    timeouts = {
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
    }
    try:
        with celery_app.connection_for_write(
            url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=timeouts
        ) as broker:
            # max_retries=0: one attempt, the probe itself is retried by whoever calls /healthz.
            broker.ensure_connection(max_retries=0)
    except Exception as exc:  # any failure means tasks cannot be handed to the workers
        return _failure("broker", exc)
    return {"status": OK}


def cache_health() -> dict[str, Any]:
    """Write, read back and delete a key of its own (several processes probe at once)."""
    backend = "redis" if settings.CACHE_URL else "local"
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, key, timeout=30)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # rate limits and circuit breakers cannot be shared meanwhile
        return {**_failure("cache", exc), "backend": backend}
    if answered != key:
        return {"status": DOWN, "error": "lost_write", "backend": backend}
    return {"status": OK, "backend": backend}


def circuits_health() -> dict[str, Any]:
    """Each active branch integration's circuit state (creditcheck/integrations/circuit.py)."""
    try:
        items = circuit_health()
    except Exception as exc:
        return {**_failure("circuits", exc), "status": UNKNOWN, "items": []}
    not_closed = sum(1 for item in items if item["state"] != CLOSED_CIRCUIT)
    return {"status": DEGRADED if not_closed else OK, "not_closed": not_closed, "items": items}


def health_report() -> tuple[dict[str, Any], int]:
    """The /healthz body and its HTTP status."""
    database = database_health()
    broker = broker_health()
    cache_state = cache_health()
    if database["status"] == DOWN:
        # Without the database the integrations cannot be listed.
        circuits: dict[str, Any] = {"status": UNKNOWN, "error": "database_down", "items": []}
    else:
        circuits = circuits_health()
        if cache_state["status"] != OK:
            circuits["status"] = UNKNOWN  # their states live in the unreachable cache
    if DOWN in (database["status"], broker["status"]):
        status, http_status = DOWN, 503
    elif cache_state["status"] != OK or circuits["status"] != OK:
        status, http_status = DEGRADED, 200
    else:
        status, http_status = OK, 200
    body = {
        "status": status,
        "database": database,
        "broker": broker,
        "cache": cache_state,
        "circuits": circuits,
    }
    return body, http_status


PARTS = ("database", "broker", "cache", "circuits")


def health_summary(body: dict[str, Any]) -> dict[str, Any]:
    """What anyone may see: the overall status and each part's status."""
    return {"status": body["status"], **{part: {"status": body[part]["status"]} for part in PARTS}}


def shows_details(request: HttpRequest) -> bool:
    if settings.HEALTHZ_DETAILS:
        return True
    try:
        user: Any = request.user
        return bool(user.is_authenticated and user.is_staff)
    except DatabaseError:  # the session and the user live in the database that is down
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    body, http_status = health_report()
    if not shows_details(request):
        body = health_summary(body)
    return JsonResponse(body, status=http_status, json_dumps_params={"ensure_ascii": False})
