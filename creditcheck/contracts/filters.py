import django_filters

from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.filters import DocumentFilter, StrictBooleanFilter
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer


class ContractFilterSet(django_filters.FilterSet):
    document = DocumentFilter(field_name="customer__document")

    class Meta:
        model = Contract
        fields = ["branch", "customer", "document", "status", "external_source", "external_id"]


class InvoiceFilterSet(django_filters.FilterSet):
    # Ids are chosen among existing rows (as the other filter sets' own foreign keys are): a
    # bare number would reach the database unchecked, and overflow SQLite's integers.
    branch = django_filters.ModelChoiceFilter(
        field_name="contract__branch", queryset=Branch.objects.all()
    )
    customer = django_filters.ModelChoiceFilter(
        field_name="contract__customer", queryset=Customer.objects.all()
    )
    document = DocumentFilter(field_name="contract__customer__document")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    disputed = StrictBooleanFilter()

    class Meta:
        model = Invoice
        fields = [
            "branch", "contract", "customer", "document", "status", "disputed",
            "external_source", "external_id", "pix_txid",
        ]  # fmt: skip
