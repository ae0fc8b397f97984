from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from creditcheck.contracts.filters import ContractFilterSet, InvoiceFilterSet
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.serializers import ContractSerializer, InvoiceSerializer
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.api import ScopedViewSet, require_perm


class ContractViewSet(ScopedViewSet):
    queryset = Contract.objects.select_related("customer")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet


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
