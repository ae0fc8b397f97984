"""The OpenAPI schema and Swagger UI views, behind sign-in unless API_DOCS_PUBLIC.

Apart from creditcheck/core/openapi.py: drf-spectacular's views read DRF's settings, which name
that module's AutoSchema.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


class ApiDocsPermission(permissions.BasePermission):
    """The schema and its docs describe every operation and field of the API: for signed-in
    users, unless the operator opens them to anyone (API_DOCS_PUBLIC)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(settings.API_DOCS_PUBLIC or (request.user and request.user.is_authenticated))


class JsonErrorsMixin:
    """Errors (401 for an anonymous caller) as the API's JSON body, not in the view's own
    format (YAML for the schema, an HTML template for the docs)."""

    def handle_exception(self, exc: Exception) -> Response:
        request: Any = getattr(self, "request")  # noqa: B009 (set by APIView.dispatch)
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        response: Response = super().handle_exception(exc)  # type: ignore[misc]
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    permission_classes = [ApiDocsPermission]


class DocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served by this same URL (`?script=`), not inline:
    the Content-Security-Policy allows scripts from our own origin only."""

    permission_classes = [ApiDocsPermission]
