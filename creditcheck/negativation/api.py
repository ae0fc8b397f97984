"""REST API of negativações: request an inclusion, list, read, request a removal.

The services decide; a refusal (NegativationRefused) is answered with the status of its code
(REFUSAL_STATUS), its stable `code` and its Portuguese `detail`.
"""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from creditcheck.core.openapi import error_responses
from creditcheck.core.selectors import scope_to_user
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.refusals import NegativationRefused, RefusalCode
from creditcheck.negativation.serializers import (
    NegativationRemovalSerializer,
    NegativationRequestSerializer,
    NegativationSerializer,
)
from creditcheck.negativation.services import (
    InclusionChoices,
    negativation_include,
    negativation_request_removal,
)

REFUSAL_STATUS = {
    RefusalCode.INTEGRATION_DISABLED: status.HTTP_403_FORBIDDEN,
    RefusalCode.NOT_ELIGIBLE: status.HTTP_400_BAD_REQUEST,
    RefusalCode.INVALID_TRANSITION: status.HTTP_409_CONFLICT,
    RefusalCode.INVALID_REQUEST: status.HTTP_400_BAD_REQUEST,
}


def refusal_response(refusal: NegativationRefused) -> Response:
    body: dict[str, Any] = {"code": refusal.code, "detail": refusal.message}
    if refusal.code == RefusalCode.NOT_ELIGIBLE:
        body["reasons"] = [{"code": r.code, "message": r.message} for r in refusal.reasons]
    if refusal.errors:
        body["errors"] = {
            name: [{"code": e.code, "message": e.message}] for name, e in refusal.errors.items()
        }
    return Response(body, status=REFUSAL_STATUS[RefusalCode(refusal.code)])


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
        body = NegativationRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            data = body.validated_data
            choices = InclusionChoices(
                reason=data.get("reason", ""),
                reason_code=data.get("reason_code"),
                integration=data.get("integration"),
                amount=data.get("amount"),
            )
            negativation = negativation_include(
                invoice=data["invoice"], user=request.user, choices=choices
            )
        except NegativationRefused as refusal:
            return refusal_response(refusal)
        negativation.refresh_from_db()
        return Response(NegativationSerializer(negativation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=NegativationRemovalSerializer,
        responses={200: NegativationSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        negativation = self.get_object()
        body = NegativationRemovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            negativation_request_removal(
                negativation=negativation,
                reason=body.validated_data["reason"],
                user=request.user,
                platform_code=body.validated_data["platform_code"],
            )
        except NegativationRefused as refusal:
            return refusal_response(refusal)
        negativation.refresh_from_db()
        return Response(NegativationSerializer(negativation).data)
