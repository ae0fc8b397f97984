"""API shapes of credit queries."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.serializers import ScopedRelatedField, UserBranchField
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer


class CreditQueryRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """POST body: exactly one subject (customer, lead, prospect or document) and a branch."""

    customer = ScopedRelatedField(queryset=Customer.objects.all(), required=False)
    lead = ScopedRelatedField(queryset=Lead.objects.all(), required=False)
    prospect = ScopedRelatedField(queryset=Prospect.objects.all(), required=False)
    # Validated by the query service, which stores invalid attempts as refused queries.
    document = serializers.CharField(required=False, max_length=32)
    branch = UserBranchField()
    product = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("customer", "lead", "prospect", "document") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Informe exatamente um entre cliente, lead, prospecção ou CPF/CNPJ."),
                code="one_subject",
            )
        return attrs


class CreditQuerySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    document_formatted = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    restrictions = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()
    identity = serializers.SerializerMethodField()
    inquiries = serializers.SerializerMethodField()
    score_band = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    provider_report_url = serializers.SerializerMethodField()

    class Meta:
        model = CreditQuery
        fields = [
            "id", "status", "status_display", "subject_type", "customer", "lead", "prospect",
            "document", "document_formatted", "subject_name", "branch", "platform", "product",
            "user", "created_at", "finished_at", "has_restrictions", "score", "score_band",
            "restriction_count", "restriction_amount", "restrictions", "totals", "identity",
            "inquiries", "protocol", "billed", "cost", "refusal_code", "override_reason",
            "error_code", "error_message", "report_url", "provider_report_url",
        ]  # fmt: skip
        read_only_fields = fields

    def _report(self, query: CreditQuery) -> dict[str, Any]:
        return query.report or {}

    def get_restrictions(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("restrictions", []))

    def get_totals(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("totals", []))

    def get_identity(self, query: CreditQuery) -> dict[str, Any] | None:
        identity: dict[str, Any] | None = self._report(query).get("identity")
        return identity

    def get_inquiries(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("inquiries", []))

    def get_score_band(self, query: CreditQuery) -> str:
        score = self._report(query).get("score") or {}
        return str(score.get("band", ""))

    def get_report_url(self, query: CreditQuery) -> str | None:
        if query.status != "succeeded":
            return None
        return reverse("api-credit-query-report-pdf", args=[query.pk])

    def get_provider_report_url(self, query: CreditQuery) -> str | None:
        if not query.provider_file:
            return None
        return reverse("api-credit-query-provider-report", args=[query.pk])
