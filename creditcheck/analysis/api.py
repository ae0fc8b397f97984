"""REST API of credit queries: request, list, read, the two report downloads, and settling a
billing the platform left unknown."""

from typing import Any, NoReturn

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode
from creditcheck.analysis.exporters import credit_report_download, provider_report_download
from creditcheck.analysis.selectors import QueryFilters, filter_queries, queries_for, query_totals
from creditcheck.analysis.serializers import (
    CreditQueryPageSerializer,
    CreditQueryRequestSerializer,
    CreditQuerySerializer,
)
from creditcheck.analysis.services import (
    BillingSettlementRefused,
    CreditQueryRefused,
    credit_query_request,
    credit_query_settle_billing,
)
from creditcheck.analysis.subjects import (
    subject_from_customer,
    subject_from_document,
    subject_from_lead,
    subject_from_prospect,
)
from creditcheck.analysis.throttling import CreditQueryRateLimited, CreditQueryThrottle
from creditcheck.core.api import FileDownloadNegotiation
from creditcheck.core.http import MAX_ID, client_ip
from creditcheck.core.openapi import error_responses
from creditcheck.integrations.serializers import PlatformField

REFUSAL_STATUS = {
    RefusalCode.INTEGRATION_DISABLED: status.HTTP_403_FORBIDDEN,
    RefusalCode.BRANCH_FORBIDDEN: status.HTTP_403_FORBIDDEN,
    RefusalCode.INVALID_DOCUMENT: status.HTTP_400_BAD_REQUEST,
    RefusalCode.BRANCH_WITHOUT_INTEGRATION: status.HTTP_409_CONFLICT,
    RefusalCode.REQUERY_INTERVAL: status.HTTP_409_CONFLICT,
    RefusalCode.BUDGET_EXCEEDED: status.HTTP_409_CONFLICT,
}


class CanRequestQueries(permissions.BasePermission):
    """Reading needs "view_creditquery" (as the screens); requesting needs "consultar"."""

    message = "Você não tem permissão para consultar análise de crédito."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user.has_perm("analysis.view_creditquery"))
        return bool(request.user.has_perm("analysis.request_creditquery"))


def refusal_body(refusal: CreditQueryRefused) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": refusal.code,
        "detail": refusal.message,
        "query_id": refusal.query.pk,
    }
    if refusal.code == RefusalCode.INVALID_DOCUMENT:
        body["document"] = [refusal.message]
    if refusal.last_query is not None and refusal.next_allowed_at is not None:
        if refusal.other_branch:  # only that it was consulted, and when it may be again
            body.update(other_branch=True, next_allowed_at=refusal.next_allowed_at.isoformat())
        else:
            body.update(
                last_query_id=refusal.last_query.pk,
                last_query_at=refusal.last_query.created_at.isoformat(),
                last_query_user=refusal.last_query.user.get_username(),
                next_allowed_at=refusal.next_allowed_at.isoformat(),
            )
    return body


class QueryFiltersSerializer(serializers.Serializer[Any]):
    """The list's query-string filters. A value its field cannot hold is a field error (400):
    ignoring it would list more than was asked for, as if the filter had been applied."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    branch = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    platform = PlatformField(required=False)
    user = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(QueryStatus.choices, required=False)
    result = serializers.ChoiceField(["with_restrictions", "clean"], required=False)
    document = serializers.CharField(required=False, max_length=18)


def filters_from_params(params: Any) -> QueryFilters:
    """Query-string filters (empty ones mean "all"); raises ValidationError for bad values."""
    given = {name: value for name, value in params.items() if value != ""}
    serializer = QueryFiltersSerializer(data=given)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return QueryFilters(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        branch_id=data.get("branch"),
        platform=data.get("platform", ""),
        user_id=data.get("user"),
        status=data.get("status", ""),
        result=data.get("result", ""),
        document=data.get("document", ""),
    )


class CreditQueryListCreate(APIView):
    permission_classes = [permissions.IsAuthenticated, CanRequestQueries]

    def get_throttles(self) -> list[Any]:
        # Only requesting a query costs money; reading the history is not limited.
        return [CreditQueryThrottle()] if self.request.method == "POST" else []

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise CreditQueryRateLimited(int(wait or 1))

    @extend_schema(
        operation_id="credit_queries_list",
        parameters=[QueryFiltersSerializer, OpenApiParameter("page", int, required=False)],
        responses={200: CreditQueryPageSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        queryset = filter_queries(
            queries_for(request.user).select_related("customer", "lead", "prospect"),
            filters_from_params(request.query_params),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        response = paginator.get_paginated_response(CreditQuerySerializer(page, many=True).data)
        totals = query_totals(queryset)
        response.data["totals"] = {
            "count": totals.count,
            "performed": totals.performed,
            "refused": totals.refused,
            "cost": str(totals.cost),
            "with_restrictions": totals.with_restrictions,
        }
        return response

    @extend_schema(
        request=CreditQueryRequestSerializer,
        responses={
            201: CreditQuerySerializer,
            202: CreditQuerySerializer,
            **error_responses(409, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = CreditQueryRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("customer"):
            subject = subject_from_customer(data["customer"])
        elif data.get("lead"):
            subject = subject_from_lead(data["lead"])
        elif data.get("prospect"):
            subject = subject_from_prospect(data["prospect"])
        else:
            subject = subject_from_document(data["document"])
        try:
            outcome = credit_query_request(
                subject=subject,
                branch=data["branch"],
                user=request.user,
                product=data["product"],
                platform=data["platform"],
                override_reason=data["override_reason"],
                reuse_result=data["reuse_result"],
                ip_address=client_ip(request),
            )
        except CreditQueryRefused as refusal:
            return Response(refusal_body(refusal), status=REFUSAL_STATUS[RefusalCode(refusal.code)])
        query = outcome.query
        query.refresh_from_db()  # in embedded mode the call already ran
        code = status.HTTP_202_ACCEPTED if query.unfinished else status.HTTP_201_CREATED
        return Response(CreditQuerySerializer(query).data, status=code)


class CreditQueryDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, CanRequestQueries]

    @extend_schema(responses=CreditQuerySerializer)
    def get(self, request: Request, pk: int) -> Response:
        queryset = queries_for(request.user).select_related("customer", "lead", "prospect")
        query = get_object_or_404(queryset, pk=pk)
        return Response(CreditQuerySerializer(query).data)


class CreditQueryReportPdf(APIView):
    permission_classes = [permissions.IsAuthenticated, CanRequestQueries]
    content_negotiation_class = FileDownloadNegotiation  # else Accept: application/pdf is a 406

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponse:
        query = get_object_or_404(queries_for(request.user), pk=pk)
        if query.status != "succeeded":
            raise PermissionDenied("O relatório só existe para consultas concluídas.")
        return credit_report_download(query, user=request.user, ip_address=client_ip(request))


class CreditQueryProviderReport(APIView):
    permission_classes = [permissions.IsAuthenticated, CanRequestQueries]
    content_negotiation_class = FileDownloadNegotiation  # else Accept: application/pdf is a 406

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int) -> FileResponse:
        query = get_object_or_404(queries_for(request.user), pk=pk)
        if not query.provider_file:
            raise NotFound("A plataforma não enviou relatório para esta consulta.")
        return provider_report_download(query, user=request.user, ip_address=client_ip(request))


class CanSettleBilling(permissions.BasePermission):
    message = "Você não tem permissão para confirmar a cobrança de consultas."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.has_perm("analysis.settle_query_billing"))


class BillingSettlementSerializer(serializers.Serializer[Any]):
    billed = serializers.ChoiceField(
        [Billed.YES.value, Billed.NO.value],
        help_text="yes: the platform billed it; no: it did not.",
    )


class CreditQuerySettleBilling(APIView):
    """Record whether a query whose billing the platform left unknown ("cobrança incerta") was
    billed: its cost leaves the uncertain figures, into the month's spend or out of it."""

    permission_classes = [permissions.IsAuthenticated, CanSettleBilling]

    @extend_schema(
        request=BillingSettlementSerializer,
        responses={200: CreditQuerySerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        query = get_object_or_404(queries_for(request.user), pk=pk)
        serializer = BillingSettlementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            settled = credit_query_settle_billing(
                query_id=query.pk,
                billed=Billed(serializer.validated_data["billed"]),
                user=request.user,
                ip_address=client_ip(request),
            )
        except BillingSettlementRefused as refusal:
            return Response(
                {"code": refusal.code, "detail": refusal.message}, status=status.HTTP_409_CONFLICT
            )
        return Response(CreditQuerySerializer(settled).data)
