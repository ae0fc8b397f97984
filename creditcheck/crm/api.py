from creditcheck.core.api import ScopedViewSet
from creditcheck.crm.filters import LeadFilterSet, ProspectFilterSet
from creditcheck.crm.models import Lead, Prospect
from creditcheck.crm.serializers import LeadSerializer, ProspectSerializer


class LeadViewSet(ScopedViewSet):
    queryset = Lead.objects.all()
    serializer_class = LeadSerializer
    filterset_class = LeadFilterSet


class ProspectViewSet(ScopedViewSet):
    queryset = Prospect.objects.all()
    serializer_class = ProspectSerializer
    filterset_class = ProspectFilterSet
