"""REST API of the integration settings (Configurações > Integrações)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.core.api import ModelPermissions, require_perm
from creditcheck.core.openapi import error_responses
from creditcheck.core.selectors import scope_to_user
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.selectors import credit_settings
from creditcheck.integrations.serializers import (
    BranchIntegrationSerializer,
    CreditAnalysisSettingsSerializer,
)
from creditcheck.integrations.services import (
    branch_integration_save,
    branch_integration_sync_products,
    branch_integration_test,
    credit_settings_update,
)
from providers.base import ProviderError, ProviderProtocolError, ProviderUnavailable


class SettingsPermission(permissions.BasePermission):
    """Anyone signed in may read the flags (screens need them); changing them is configuration."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.has_perm("integrations.change_creditanalysissettings"))


class CreditAnalysisSettingsView(APIView):
    permission_classes = [SettingsPermission]

    @extend_schema(responses=CreditAnalysisSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(CreditAnalysisSettingsSerializer(credit_settings()).data)

    @extend_schema(
        request=CreditAnalysisSettingsSerializer, responses=CreditAnalysisSettingsSerializer
    )
    def put(self, request: Request) -> Response:
        row = credit_settings()
        serializer = CreditAnalysisSettingsSerializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            row = credit_settings_update(
                user=request.user,
                enabled=data.get("enabled", row.enabled),
                requery_interval_days=data.get("requery_interval_days"),
            )
        except DjangoValidationError as exc:
            _raise_as_api_error(exc)
        return Response(CreditAnalysisSettingsSerializer(row).data)


def _raise_as_api_error(exc: DjangoValidationError) -> None:
    raise ValidationError(serializers.as_serializer_error(exc)) from exc


TestResult = inline_serializer(
    "IntegrationTestResult",
    {
        "ok": serializers.BooleanField(),
        "message": serializers.CharField(),
    },
)


# "Testar" and product sync act on an existing integration: the screen's permission, not "add".
CHANGE_INTEGRATION = [
    permissions.IsAuthenticated,
    require_perm("integrations.change_branchintegration"),
]


class BranchIntegrationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Per-branch platform settings. Credentials are accepted, stored encrypted, never returned."""

    serializer_class = BranchIntegrationSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = BranchIntegration.objects.all()

    def get_queryset(self) -> Any:
        return scope_to_user(BranchIntegration.objects.select_related("branch"), self.request.user)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)

    def _save(self, serializer: Any, instance: BranchIntegration | None) -> None:
        data = serializer.validated_data
        current = instance

        def pick(name: str, default: Any) -> Any:
            return data.get(name, getattr(current, name) if current else default)

        try:
            serializer.instance = branch_integration_save(
                integration=instance,
                branch=pick("branch", None),
                platform=pick("platform", ""),
                environment=pick("environment", "production"),
                base_url=data.get("base_url", current.base_url if current else ""),
                credentials=data.get("credentials"),
                product=pick("product", ""),
                cost_per_query=pick("cost_per_query", 0),
                is_default=pick("is_default", False),
                active=pick("active", True),
                user=self.request.user,
            )
        except DjangoValidationError as exc:
            _raise_as_api_error(exc)

    @extend_schema(request=None, responses=TestResult)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_INTEGRATION)
    def test(self, request: Request, pk: str | None = None) -> Response:
        """ "Testar": checks the stored credentials with a free call to the platform."""
        ok, message = branch_integration_test(integration=self.get_object())
        return Response({"ok": ok, "message": message})

    @extend_schema(
        request=None, responses={200: BranchIntegrationSerializer, **error_responses(409, 502)}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="sync-products",
        permission_classes=CHANGE_INTEGRATION,
    )
    def sync_products(self, request: Request, pk: str | None = None) -> Response:
        """ "Produtos > Sincronizar": refreshes the product catalogue from the platform."""
        integration = self.get_object()
        try:
            branch_integration_sync_products(integration=integration)
        except ProviderError as exc:
            # A platform down or answering garbage is a bad gateway; its refusal (credentials,
            # product) conflicts with the stored settings, which the user must correct.
            failed = isinstance(exc, ProviderUnavailable | ProviderProtocolError)
            return Response(
                {"code": "provider_error", "detail": exc.user_message, "provider_code": exc.code},
                status=502 if failed else 409,
            )
        return Response(BranchIntegrationSerializer(integration).data)
