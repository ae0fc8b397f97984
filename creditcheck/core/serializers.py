"""Serializer building blocks shared by every app's API, and the branch serializer."""

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from creditcheck.core import documents
from creditcheck.core.fields import normalize_cep, validate_cep
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, scope_to_user


class DocumentSerializerField(serializers.CharField):
    """CPF/CNPJ typed masked or bare; validated and returned normalized."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value == "" and self.allow_blank:
            return ""
        try:
            return documents.validate(value)
        except documents.InvalidDocumentError as exc:
            raise serializers.ValidationError(exc.message, code=documents.ERROR_CODE) from exc


class CepSerializerField(serializers.CharField):
    """CEP typed with or without the hyphen; stored as 8 digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = normalize_cep(super().to_internal_value(data))
        if value == "" and self.allow_blank:
            return ""
        try:
            validate_cep(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code=exc.code) from exc
        return value


@extend_schema_field(OpenApiTypes.INT)
class UserBranchField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A branch id restricted to the branches of the requesting user."""

    default_error_messages = {
        "does_not_exist": _("Filial inexistente ou você não tem acesso a ela."),
    }

    def get_queryset(self) -> models.QuerySet[Branch]:
        return branches_for(self.context["request"].user)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related id restricted to the rows of the requesting user's branches."""

    default_error_messages = {
        "does_not_exist": _("Registro inexistente ou de uma filial à qual você não tem acesso."),
    }

    def __init__(self, *, branch_field: str = "branch", **kwargs: Any) -> None:
        self.branch_field = branch_field
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        assert queryset is not None, "ScopedRelatedField needs a queryset"
        return scope_to_user(queryset, self.context["request"].user, self.branch_field)


class ModelCleanMixin:
    """Run the model's clean() on the would-be instance so API and forms share its rules."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # type: ignore[misc]
        instance = copy.copy(self.instance) if self.instance else self.Meta.model()  # type: ignore[attr-defined]
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs


class BranchSerializer(ModelCleanMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    # Declared fields lose the model's unique check: without it a repeated CNPJ reached the
    # database's constraint (a 500).
    cnpj = DocumentSerializerField(
        validators=[
            UniqueValidator(
                queryset=Branch.objects.all(), message=_("Já existe uma filial com este CNPJ.")
            )
        ]
    )
    cnpj_formatted = serializers.CharField(read_only=True)

    class Meta:
        model = Branch
        fields = ["id", "name", "cnpj", "cnpj_formatted", "state", "city", "active"]
