import django_filters

from creditcheck.core.filters import DocumentFilter
from creditcheck.crm.models import Lead, Prospect


class LeadFilterSet(django_filters.FilterSet):
    document = DocumentFilter(field_name="document")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Lead
        fields = ["branch", "document", "name", "source"]


class ProspectFilterSet(django_filters.FilterSet):
    document = DocumentFilter(field_name="document")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Prospect
        fields = ["branch", "document", "name", "source", "stage"]
