"""API plumbing shared by every app: scoped viewsets, permissions and error bodies."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from creditcheck.core.filters import BranchFilterSet
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.serializers import BranchSerializer


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's error bodies plus stable machine-readable codes.

    Field errors keep DRF's shape `{"document": ["CPF inválido..."]}` and gain
    `"code": "invalid"` and `"codes": {"document": ["invalid_document"]}`; other errors
    are `{"detail": "...", "code": "not_found"}`.
    """
    # DRF turns Django's Http404 and PermissionDenied into these; do it first to read the code.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Raised when DRF reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE; Django alone would
        # answer its HTML 400 page.
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, APIException):
        return response
    if isinstance(exc, ValidationError):
        if isinstance(response.data, dict):
            response.data = {**response.data, "code": "invalid", "codes": exc.get_codes()}
        else:
            response.data = {
                "non_field_errors": response.data,
                "code": "invalid",
                "codes": {"non_field_errors": exc.get_codes()},
            }
    elif isinstance(response.data, dict):
        response.data = {**response.data, "code": exc.get_codes()}
    return response


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self) -> None:
        super().__init__(payload_too_large_message())


def payload_too_large_message() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    limit = f"{megabytes:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return _("O corpo da requisição passa do limite de %(limit)s MB.") % {"limit": limit}


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a request Django refused before any view (a body over the size limit, a
    bad Host) answers, under /api/, the API's error body; screens get a page in Portuguese."""
    too_big = isinstance(exception, RequestDataTooBig)
    status_code = 413 if too_big else 400
    if too_big:
        detail, code = payload_too_large_message(), "payload_too_large"
    else:
        detail, code = str(exceptions.ParseError.default_detail), "bad_request"
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail, "code": code},
            status=status_code,
            json_dumps_params={"ensure_ascii": False},
        )
    # Without the request: its context processors could read the body that was refused.
    return HttpResponse(render_to_string("400.html", {"message": detail}), status=status_code)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: a URL under /api/ that matches no route (an id that is not a number) gets
    the API's error body, not the HTML page of the screens."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(exceptions.NotFound.default_detail), "code": "not_found"}, status=404
        )
    return defaults.page_not_found(request, exception)


class FileDownloadNegotiation(DefaultContentNegotiation):
    """For endpoints that answer a file (a PDF) as a plain HttpResponse, outside DRF's
    rendering: DRF renders only their errors, always as JSON.

    DRF would otherwise refuse a client that asks for the file (`Accept: application/pdf`,
    406) or names its type (the LGPD report's `?format=pdf`, 404) before the view runs.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class ModelPermissions(permissions.DjangoModelPermissions):
    """Model permissions from the user's role, reading included (view_<model>)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


def require_perm(permission: str) -> type[permissions.BasePermission]:
    """A permission class for one named permission, for actions whose HTTP method would
    otherwise map to the wrong model permission (a POST action that changes, not adds)."""

    class RequiredPermission(permissions.BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(permission))

    RequiredPermission.__name__ = f"Requires[{permission}]"
    return RequiredPermission


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """List, create, read and update, restricted to the requesting user's branches.

    Rows of other branches are invisible: their detail URLs answer 404.
    """

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    branch_field = "branch"
    queryset: models.QuerySet[Any]

    def get_queryset(self) -> models.QuerySet[Any]:
        return scope_to_user(super().get_queryset(), self.request.user, self.branch_field)


class BranchViewSet(ScopedViewSet):
    queryset = Branch.objects.all()
    serializer_class = BranchSerializer
    filterset_class = BranchFilterSet

    def get_queryset(self) -> models.QuerySet[Any]:
        return branches_for(self.request.user)
