from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.services import invoice_status_check
from creditcheck.core.serializers import ModelCleanMixin, ScopedRelatedField, UserBranchField
from creditcheck.customers.models import Customer


class ContractSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    customer: ScopedRelatedField = ScopedRelatedField(queryset=Customer.objects.all())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    branch = UserBranchField()
    # Where a credit policy is in force, activating a contract needs an approved credit
    # decision (creditcheck/decisions/gate.py); a user with the permission may go past it.
    credit_override_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Why the contract is activated without an approved credit decision "
        "(needs decisions.override_credit_gate; audited).",
    )

    class Meta:
        model = Contract
        fields = [
            "id", "customer", "customer_name", "branch", "plan", "monthly_amount",
            "start_date", "status", "cancelled_at",
            "external_source", "external_id", "credit_override_reason",
        ]  # fmt: skip


class InvoiceSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    contract: ScopedRelatedField = ScopedRelatedField(queryset=Contract.objects.all())
    customer: serializers.PrimaryKeyRelatedField[Customer] = serializers.PrimaryKeyRelatedField(
        source="contract.customer", read_only=True
    )
    days_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id", "contract", "customer", "number", "amount", "due_date", "status",
            "paid_at", "paid_amount", "paid_by", "paid_via", "disputed", "days_overdue",
            "external_source", "external_id", "pix_txid", "digitable_line", "pix_code",
        ]  # fmt: skip
        # Recorded by the payment service (POST .../pay/), never written by a client.
        read_only_fields = ["paid_at", "paid_amount", "paid_by", "paid_via"]

    def validate_status(self, value: str) -> str:
        try:
            invoice_status_check(self.instance.status if self.instance else None, value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc
        return value
