from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from creditcheck.contracts.enums import ContractStatus
from creditcheck.contracts.filters import ContractFilterSet, InvoiceFilterSet
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.serializers import ContractSerializer, InvoiceSerializer
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.api import ScopedViewSet, require_perm
from creditcheck.core.http import client_ip
from creditcheck.core.openapi import error_responses
from creditcheck.decisions.gate import ActivationRefused, activation_gate


class ContractViewSet(ScopedViewSet):
    queryset = Contract.objects.select_related("customer")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet

    @extend_schema(responses={201: ContractSerializer, **error_responses(409)})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(responses={200: ContractSerializer, **error_responses(409)})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        self._save_gated(serializer, was_active=False)

    def perform_update(self, serializer: Any) -> None:
        self._save_gated(serializer, was_active=serializer.instance.status == ContractStatus.ACTIVE)

    def _save_gated(self, serializer: Any, *, was_active: bool) -> None:
        """Save, then let the credit gate refuse an activation (nothing stays saved)."""
        reason = serializer.validated_data.pop("credit_override_reason", "")
        with transaction.atomic():
            contract = serializer.save()
            if contract.status == ContractStatus.ACTIVE and not was_active:
                try:
                    activation_gate(
                        customer=contract.customer,
                        branch=contract.branch,
                        monthly_amount=contract.monthly_amount,
                        user=self.request.user,
                        override_reason=reason,
                        ip_address=client_ip(self.request),
                        contract=contract,
                    )
                except ActivationRefused as refusal:
                    transaction.set_rollback(True)
                    raise CreditGateClosed(refusal) from None


class CreditGateClosed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "no_credit_decision"

    def __init__(self, refusal: ActivationRefused) -> None:
        super().__init__(refusal.message, code=refusal.code)


class InvoicePaymentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    paid_at = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class InvoiceViewSet(ScopedViewSet):
    queryset = Invoice.objects.select_related("contract")
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet
    branch_field = "contract__branch"

    @extend_schema(request=InvoicePaymentSerializer, responses=InvoiceSerializer)
    # Registering a payment changes the invoice, as on the screen ("Registrar pagamento").
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, require_perm("contracts.change_invoice")],
    )
    def pay(self, request: Request, pk: str | None = None) -> Response:
        """Register a payment; a negativação of the invoice is then removed automatically."""
        invoice = self.get_object()
        payment = InvoicePaymentSerializer(data=request.data)
        payment.is_valid(raise_exception=True)
        try:
            invoice = invoice_pay(
                invoice=invoice,
                paid_at=payment.validated_data["paid_at"],
                amount=payment.validated_data["amount"],
                user=request.user,
            )
        except DjangoValidationError as exc:
            raise ValidationError(serializers.as_serializer_error(exc)) from exc
        return Response(InvoiceSerializer(invoice, context={"request": request}).data)
