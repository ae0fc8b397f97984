"""Response headers that keep credit data out of caches and foreign scripts out of pages.

- Every response to a signed-in user (screens, API, PDFs, CSV and JSON exports) is
  `Cache-Control: no-store, private`: credit reports, platform PDFs, the LGPD report and the
  customer screens must not stay in a shared proxy cache or in the browser's history, where the
  back button would show them after the user signed out. Static files never get here (WhiteNoise
  answers them before this middleware) and stay cacheable.
- HTML pages carry the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY
  (django-csp): scripts and styles from our own static files only, so no inline script or
  `style=""` may appear in templates/.
"""

from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

NO_STORE = "no-store, private"


class NoStoreForSignedInMiddleware:
    """After AuthenticationMiddleware. An API request signed with a token is seen too: DRF sets
    the user it authenticated on the underlying request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = NO_STORE
        return response


class HtmlContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware for HTML pages only: a PDF, a CSV or a JSON body runs none of
    our scripts, and a policy on a PDF would apply to the browser's own PDF viewer."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
