"""API shapes of credit queries."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from creditcheck.analysis.identity import identity_divergences
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.serializers import ScopedRelatedField, UserBranchField
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.integrations.serializers import PlatformField


class CreditQueryRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """POST body: exactly one subject (customer, lead, prospect or document) and a branch."""

    customer = ScopedRelatedField(queryset=Customer.objects.all(), required=False)
    lead = ScopedRelatedField(queryset=Lead.objects.all(), required=False)
    prospect = ScopedRelatedField(queryset=Prospect.objects.all(), required=False)
    # Validated by the query service, which stores invalid attempts as refused queries.
    document = serializers.CharField(required=False, max_length=32)
    branch = UserBranchField()
    product = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    platform = PlatformField(
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Query through the branch's active integration with this platform (default: the "
            "branch's default integration); 409 branch_without_integration when it has none."
        ),
    )
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    reuse_result = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Inside the re-query interval, when the last query is of a branch the user cannot "
            "open: answer with a copy of its result in `branch` (201, no call, no cost) instead "
            "of 409 requery_interval."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("customer", "lead", "prospect", "document") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Informe exatamente um entre cliente, lead, prospecção ou CPF/CNPJ."),
                code="one_subject",
            )
        return attrs


class IdentityDivergenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One field on which the platform's identity of the consulted disagrees with our record."""

    field = serializers.ChoiceField(
        choices=["name", "birth_date", "mother_name"],
        help_text="`name` (a company's razão social), `birth_date` or `mother_name`.",
    )
    # (the metaclass takes declared fields out of the class: this does not shadow Field.label)
    label = serializers.CharField(help_text="The field's name as staff read it (pt-BR).")  # type: ignore[assignment]
    ours = serializers.CharField(
        help_text="As the consulted customer, lead or prospect has it now (dates YYYY-MM-DD)."
    )
    bureau = serializers.CharField(help_text="As the platform answered it (dates YYYY-MM-DD).")
    message = serializers.CharField(help_text="The warning as the result screen shows it.")


class CreditQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A stored query as the API returns it (read-only).

    Declared field by field rather than as a ModelSerializer: it is on the hot path of every
    query and model introspection per response would cost more than the rest of serialization.
    """

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    subject_type = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    lead = serializers.IntegerField(source="lead_id", allow_null=True)
    prospect = serializers.IntegerField(source="prospect_id", allow_null=True)
    document = serializers.CharField()
    document_formatted = serializers.CharField()
    subject_name = serializers.CharField()
    branch = serializers.IntegerField(source="branch_id")
    platform = serializers.CharField()
    product = serializers.CharField()
    user = serializers.IntegerField(source="user_id")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    has_restrictions = serializers.BooleanField(allow_null=True)
    score = serializers.IntegerField(allow_null=True)
    score_band = serializers.SerializerMethodField()
    restriction_count = serializers.IntegerField()
    restriction_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    restrictions = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()
    identity = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    inquiries = serializers.SerializerMethodField()
    other_information = serializers.SerializerMethodField()
    identity_divergences = serializers.SerializerMethodField()
    protocol = serializers.CharField()
    billed = serializers.CharField()
    cost = serializers.DecimalField(max_digits=8, decimal_places=2)
    refusal_code = serializers.CharField()
    override_reason = serializers.CharField()
    error_code = serializers.CharField()
    error_message = serializers.CharField()
    # The query of another branch whose result this one received (no platform call of its own).
    shared_from = serializers.IntegerField(source="shared_from_id", allow_null=True)
    report_url = serializers.SerializerMethodField()
    provider_report_url = serializers.SerializerMethodField()

    def _report(self, query: CreditQuery) -> dict[str, Any]:
        return query.report or {}

    def get_restrictions(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("restrictions", []))

    def get_totals(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("totals", []))

    def get_identity(self, query: CreditQuery) -> dict[str, Any] | None:
        identity: dict[str, Any] | None = self._report(query).get("identity")
        return identity

    def get_company(self, query: CreditQuery) -> dict[str, Any] | None:
        """A company's (CNPJ) data beyond the identity: nome fantasia, natureza jurídica, CNAE,
        capital social; null for a person."""
        company: dict[str, Any] | None = self._report(query).get("company")
        return company

    def get_inquiries(self, query: CreditQuery) -> list[dict[str, Any]]:
        return list(self._report(query).get("inquiries", []))

    def get_other_information(self, query: CreditQuery) -> list[dict[str, Any]]:
        """What the platform sent that no other field holds: label, value and its path."""
        return list(self._report(query).get("other_information", []))

    @extend_schema_field(IdentityDivergenceSerializer(many=True))
    def get_identity_divergences(self, query: CreditQuery) -> list[dict[str, Any]]:
        """Where the platform's name, birth date or mother's name (a company's razão social)
        disagree with the consulted record's, accents, case and abbreviations tolerated; only
        what both sides have is compared. Empty without a result or a record (bare CPF/CNPJ)."""
        divergences = identity_divergences(query)
        return list(IdentityDivergenceSerializer(divergences, many=True).data)

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


class CreditQueryTotalsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(help_text="Every query listed, whatever its status.")
    performed = serializers.IntegerField(
        help_text="Consultas realizadas: sent to a platform, as GET /reports/costs/ counts them."
    )
    refused = serializers.IntegerField(help_text="Tentativas recusadas before any platform call.")
    cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Spent for certain (billing left unknown by the platform excluded).",
    )
    with_restrictions = serializers.IntegerField()


class CreditQueryPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The list's answer (for the schema): one page of queries and the totals of every page."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CreditQuerySerializer(many=True)
    totals = CreditQueryTotalsSerializer()
