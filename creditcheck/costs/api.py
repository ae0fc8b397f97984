"""GET /api/v1/reports/costs/: the figures of Relatórios > Custos as JSON (costs.selectors)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.core.openapi import error_responses
from creditcheck.core.selectors import branches_for
from creditcheck.costs.forms import CostsFilterForm
from creditcheck.costs.selectors import costs_report


class CanViewCosts(permissions.BasePermission):
    message = "Você não tem permissão para ver custos e uso."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.has_perm("costs.view_costs"))


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthField(serializers.DateField):
    """A month as AAAA-MM (a DateField's schema would promise a whole date)."""

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class UsageRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    # A declared field named "label" is moved off the class by DRF's metaclass; mypy sees the
    # Field.label attribute it would shadow.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    cost = _money()


class DayRowSerializer(serializers.Serializer):
    day = serializers.DateField()
    count = serializers.IntegerField()
    cost = _money()


class BudgetSerializer(serializers.Serializer):
    limit = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    spent = _money()
    uncertain = _money()
    ratio = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    warning = serializers.BooleanField()
    blocked = serializers.BooleanField()


class BranchCostsSerializer(serializers.Serializer):
    branch_id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    cost = _money()
    budget = BudgetSerializer()
    avoided = serializers.IntegerField()
    saved = _money()
    uncertain = serializers.IntegerField()
    uncertain_cost = _money()


class NegativationFiguresSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    removed = serializers.IntegerField()
    deadlines_met = serializers.IntegerField()
    deadlines_missed = serializers.IntegerField()
    overdue = serializers.IntegerField()


class CostsReportSerializer(serializers.Serializer):
    month = MonthField()
    count = serializers.IntegerField()
    cost = _money()
    avoided = serializers.IntegerField()
    saved = _money()
    uncertain = serializers.IntegerField(help_text="Consultas com cobrança incerta")
    uncertain_cost = _money()
    per_day = DayRowSerializer(many=True)
    per_branch = BranchCostsSerializer(many=True)
    per_platform = UsageRowSerializer(many=True)
    per_user = UsageRowSerializer(many=True)
    per_product = UsageRowSerializer(many=True)
    negativations = NegativationFiguresSerializer()


class CostsReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewCosts]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, required=False, description="AAAA-MM; padrão: o atual"),
            OpenApiParameter("branch", int, required=False, description="Uma filial do usuário"),
        ],
        responses={200: CostsReportSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        form = CostsFilterForm(
            {"month": request.query_params.get("month", ""), **_branch(request)},
            branches=branches_for(request.user),
        )
        if not form.is_valid():
            body = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            return Response(
                {"code": "invalid", "detail": "Filtros inválidos.", **body},
                status=status.HTTP_400_BAD_REQUEST,
            )
        report = costs_report(month=form.cleaned_data["month"], branches=form.selected_branches())
        return Response(CostsReportSerializer(report).data)


def _branch(request: Request) -> dict[str, str]:
    value = request.query_params.get("branch", "")
    return {"branch": value} if value else {}
