from creditcheck.core.api import ScopedViewSet
from creditcheck.customers.filters import CustomerFilterSet
from creditcheck.customers.models import Customer
from creditcheck.customers.serializers import CustomerSerializer


class CustomerViewSet(ScopedViewSet):
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
