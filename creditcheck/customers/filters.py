import django_filters

from creditcheck.core.filters import DocumentFilter
from creditcheck.customers.models import Customer


class CustomerFilterSet(django_filters.FilterSet):
    document = DocumentFilter(field_name="document")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Customer
        fields = [
            "branch", "document", "name", "status", "person_type", "external_source", "external_id",
        ]  # fmt: skip
