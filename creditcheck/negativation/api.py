"""REST API of negativações: request an inclusion, list, read, request a removal."""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from creditcheck.core.openapi import error_responses
from creditcheck.core.selectors import scope_to_user
from creditcheck.integrations.selectors import credit_settings
from creditcheck.negativation.enums import REGISTERED
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.serializers import (
    NegativationRemovalSerializer,
    NegativationRequestSerializer,
    NegativationSerializer,
)
from creditcheck.negativation.services import (
    NegativationNotAllowed,
    negativation_include,
    negativation_request_removal,
)


class NegativationPermission(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "action", "") == "create":
            return bool(user.has_perm("negativation.include_negativation"))
        if getattr(view, "action", "") == "remove":
            return bool(user.has_perm("negativation.remove_negativation"))
        return bool(user.has_perm("negativation.view_negativation"))


def integration_disabled() -> Response | None:
    """403 for inclusions and removals while "Utiliza integração com análise de crédito" is Não,
    as the screens disable them."""
    if credit_settings().enabled:
        return None
    return Response(
        {
            "code": "integration_disabled",
            "detail": "A integração com análise de crédito está desativada "
            "(Configurações > Integrações): as ações de negativação estão indisponíveis.",
        },
        status=status.HTTP_403_FORBIDDEN,
    )


class NegativationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = NegativationSerializer
    permission_classes = [NegativationPermission]
    queryset = Negativation.objects.all()
    filterset_fields = ["status", "branch", "customer", "invoice", "platform"]

    def get_queryset(self) -> models.QuerySet[Negativation]:
        return scope_to_user(
            Negativation.objects.select_related("invoice").prefetch_related("events"),
            self.request.user,
        )

    @extend_schema(request=NegativationRequestSerializer, responses={201: NegativationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if refused := integration_disabled():
            return refused
        body = NegativationRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            negativation = negativation_include(
                invoice=body.validated_data["invoice"], user=request.user
            )
        except NegativationNotAllowed as refusal:
            return Response(
                {
                    "code": "not_eligible",
                    "detail": "A fatura não pode ser negativada.",
                    "reasons": [{"code": r.code, "message": r.message} for r in refusal.reasons],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        negativation.refresh_from_db()
        return Response(NegativationSerializer(negativation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=NegativationRemovalSerializer,
        responses={200: NegativationSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        negativation = self.get_object()
        if refused := integration_disabled():
            return refused
        body = NegativationRemovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if negativation.status not in REGISTERED:
            return Response(
                {
                    "code": "not_removable",
                    "detail": f"Negativação {negativation.get_status_display().lower()}: "
                    "não há registro ativo para baixar.",
                },
                status=status.HTTP_409_CONFLICT,
            )
        negativation_request_removal(
            negativation=negativation,
            reason=body.validated_data["reason"],
            user=request.user,
            platform_code=body.validated_data["platform_code"],
        )
        negativation.refresh_from_db()
        return Response(NegativationSerializer(negativation).data)
