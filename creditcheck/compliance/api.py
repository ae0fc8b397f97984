"""REST API of the LGPD data-subject report: GET /api/v1/lgpd/subject-report/."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.compliance.exporters import subject_report_response
from creditcheck.compliance.lgpd import FORMATS, personal_data_export, subject_report_to_dict
from creditcheck.core import documents
from creditcheck.core.api import FileDownloadNegotiation
from creditcheck.core.http import client_ip
from creditcheck.core.openapi import error_responses


class CanExportPersonalData(permissions.BasePermission):
    message = "Você não tem permissão para exportar dados pessoais (LGPD)."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("core.export_personal_data")
        )


class SubjectReportParamsSerializer(serializers.Serializer[Any]):
    document = serializers.CharField(max_length=18)
    format = serializers.ChoiceField(choices=FORMATS, default="json")

    def validate_document(self, value: str) -> str:
        try:
            return documents.validate(value)
        except documents.InvalidDocumentError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc


class SubjectReportView(APIView):
    permission_classes = [CanExportPersonalData]
    # `?format=` names the report's file type, not a DRF renderer.
    content_negotiation_class = FileDownloadNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("document", OpenApiTypes.STR, required=True),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), default="json"),
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/pdf"): bytes,
            **error_responses(400),
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        """Every query and negativação of a CPF/CNPJ in the caller's branches; audited."""
        params = SubjectReportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        export_format = params.validated_data["format"]
        report = personal_data_export(
            document=params.validated_data["document"],
            user=request.user,
            ip_address=client_ip(request),
            export_format=export_format,
        )
        if export_format == "pdf":
            return subject_report_response(report, "pdf")
        return Response(subject_report_to_dict(report))
