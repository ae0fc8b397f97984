from rest_framework import serializers

from creditcheck.core.serializers import (
    CepSerializerField,
    DocumentSerializerField,
    ModelCleanMixin,
    ScopedRelatedField,
    UserBranchField,
)
from creditcheck.crm.models import Lead, Prospect


class LeadSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    document = DocumentSerializerField(required=False, allow_blank=True)
    document_formatted = serializers.CharField(read_only=True)
    branch = UserBranchField()

    class Meta:
        model = Lead
        fields = [
            "id", "name", "document", "document_formatted", "phone", "email", "source",
            "branch", "created_at",
        ]  # fmt: skip


class ProspectSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    document = DocumentSerializerField(required=False, allow_blank=True)
    document_formatted = serializers.CharField(read_only=True)
    cep = CepSerializerField(required=False, allow_blank=True)
    branch = UserBranchField()
    lead: ScopedRelatedField = ScopedRelatedField(
        queryset=Lead.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Prospect
        fields = [
            "id", "name", "document", "document_formatted", "phone", "email", "source",
            "branch", "lead", "cep", "street", "number", "complement", "district", "city",
            "state", "desired_plan", "stage", "converted_customer", "created_at",
        ]  # fmt: skip
        read_only_fields = ["converted_customer"]
