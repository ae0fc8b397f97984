"""REST API of notices: consents to electronic notice (record, list, revoke) and the notices
sent, with their events. The services decide; a NoticeRefused answers 400 with its `code`."""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.core.api import ModelPermissions, require_perm
from creditcheck.core.selectors import scope_to_user
from creditcheck.notices.models import Notice, NoticeConsent, RepaymentPlan
from creditcheck.notices.refusals import NoticeRefused
from creditcheck.notices.serializers import (
    NoticeConsentRevokeSerializer,
    NoticeConsentSerializer,
    NoticeSerializer,
    RepaymentPlanSerializer,
)
from creditcheck.notices.services import consent_record, consent_revoke, repayment_plan_record
from creditcheck.notices.sms import sms_status_callback

VIEW = require_perm("notices.view_notice")
RECORD = require_perm("notices.record_notice")


def refusal_response(refusal: NoticeRefused) -> Response:
    body = {"code": refusal.code, "detail": refusal.message}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class NoticeConsentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = NoticeConsentSerializer
    queryset = NoticeConsent.objects.all()
    filterset_fields = ["customer", "channel"]

    def get_permissions(self) -> list[permissions.BasePermission]:
        needed = RECORD if self.action in ("create", "revoke") else VIEW
        return [permissions.IsAuthenticated(), needed()]

    def get_queryset(self) -> models.QuerySet[NoticeConsent]:
        return scope_to_user(
            NoticeConsent.objects.select_related("recorded_by"),
            self.request.user,
            "customer__branch",
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = NoticeConsentSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            consent = consent_record(user=request.user, **body.validated_data)
        except NoticeRefused as refusal:
            return refusal_response(refusal)
        return Response(NoticeConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoticeConsentRevokeSerializer, responses={200: NoticeConsentSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        consent = self.get_object()
        body = NoticeConsentRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            consent = consent_revoke(
                consent=consent, revoked_on=body.validated_data["revoked_on"], user=request.user
            )
        except NoticeRefused as refusal:
            return refusal_response(refusal)
        return Response(NoticeConsentSerializer(consent).data)


class NoticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = NoticeSerializer
    queryset = Notice.objects.all()
    filterset_fields = ["customer", "invoice", "channel", "status"]
    permission_classes = [permissions.IsAuthenticated, VIEW]

    def get_queryset(self) -> models.QuerySet[Notice]:
        return scope_to_user(
            Notice.objects.prefetch_related("events"), self.request.user, "customer__branch"
        )


class RepaymentPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Repayment plans (superendividamento): a refusal (dates, debts) answers 400 `code`."""

    serializer_class = RepaymentPlanSerializer
    queryset = RepaymentPlan.objects.all()
    filterset_fields = ["customer", "kind"]
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self) -> models.QuerySet[RepaymentPlan]:
        return scope_to_user(
            RepaymentPlan.objects.select_related("recorded_by").prefetch_related("invoices"),
            self.request.user,
            "customer__branch",
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RepaymentPlanSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            plan = repayment_plan_record(user=request.user, **body.validated_data)
        except NoticeRefused as refusal:
            return refusal_response(refusal)
        return Response(RepaymentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class SmsStatusWebhook(APIView):
    """Zenvia's MESSAGE_STATUS callbacks (notices/sms.py): authenticated by the webhook token
    header, not by a user; a forged one answers 401, a replayed one 403, and changes nothing."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    # Not part of the API clients use (the gateway calls it): left out of the schema.
    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        outcome = sms_status_callback(body=request.body, headers=request.headers)
        return Response({"code": outcome.code}, status=outcome.status)
