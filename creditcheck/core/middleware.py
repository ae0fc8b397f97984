"""A request that loses its database connection answers 503, not a 500 traceback.

PostgreSQL restarting, a failover, or a proxy dropping connections cut a request short. The API
answers `{"code": "database_unavailable", "detail": ...}` and the screens a page in Portuguese,
both 503 with Retry-After. Django closes the broken connection when the request ends (it saw
the error), and the next request connects again.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # InterfaceError: the connection was already closed; OperationalError: it broke, or the
        # server refused or terminated it.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable during %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            exception,
        )
        message = _(
            "O banco de dados está indisponível no momento. Tente de novo em alguns instantes."
        )
        response: HttpResponse
        if request.path.startswith(API_PREFIX):
            response = JsonResponse(
                {"detail": message, "code": "database_unavailable"},
                status=503,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            # Without the request: its context processors would read the database again.
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
