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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # When the client leaves the person type out, the document says it.
        if "person_type" not in attrs and self.instance is None and attrs.get("document"):
            attrs["person_type"] = documents.person_type_for(attrs["document"])
        return super().validate(attrs)
