import django_filters

from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.filters import DocumentFilter


class ContractFilterSet(django_filters.FilterSet):
    document = DocumentFilter(field_name="customer__document")

    class Meta:
        model = Contract
        fields = ["branch", "customer", "document", "status"]


class InvoiceFilterSet(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="contract__branch")
    customer = django_filters.NumberFilter(field_name="contract__customer")
    document = DocumentFilter(field_name="contract__customer__document")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Invoice
        fields = ["branch", "contract", "customer", "document", "status", "disputed"]
