from typing import Any

from rest_framework import serializers

from creditcheck.core import documents
from creditcheck.core.serializers import (
    CepSerializerField,
    DocumentSerializerField,
    ModelCleanMixin,
    UserBranchField,
)
from creditcheck.customers.models import Customer
from creditcheck.customers.services import DuplicateCustomer, customer_check_document


class CustomerSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    document = DocumentSerializerField()
    document_formatted = serializers.CharField(read_only=True)
    cep = CepSerializerField()
    branch = UserBranchField()

    class Meta:
        model = Customer
        fields = [
            "id", "person_type", "name", "document", "document_formatted", "birth_date",
            "mother_name", "cep", "street", "number", "complement", "district", "city",
            "state", "email", "phone", "branch", "status",
            "external_source", "external_id",
        ]  # fmt: skip
        extra_kwargs = {"person_type": {"required": False}}
        # Not DRF's validator of the unique constraint (branch, document): validate() gives the
        # rule's own error, on the document field (customers/services.py).
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # When the client leaves the person type out, the document says it.
        if "person_type" not in attrs and self.instance is None and attrs.get("document"):
            attrs["person_type"] = documents.person_type_for(attrs["document"])
        attrs = super().validate(attrs)
        try:
            customer_check_document(
                document=attrs.get("document", getattr(self.instance, "document", "")),
                branch=attrs.get("branch", getattr(self.instance, "branch", None)),
                customer_id=getattr(self.instance, "pk", None),
            )
        except DuplicateCustomer as refusal:
            raise serializers.ValidationError(serializers.as_serializer_error(refusal)) from None
        return attrs
