"""Filter building blocks for the API lists."""

from typing import Any

import django_filters
from django import forms
from django.db import models

from creditcheck.core import documents
from creditcheck.core.models import Branch


class DocumentFilter(django_filters.CharFilter):
    """Exact match on a normalized CPF/CNPJ, typed masked or bare."""

    def filter(self, qs: models.QuerySet[Any], value: Any) -> models.QuerySet[Any]:
        if value in ("", None):
            return qs
        return super().filter(qs, documents.normalize(value))


class StrictNullBooleanField(forms.NullBooleanField):
    """true/false or 1/0, any case; empty means no filtering; anything else is a field error.

    django-filter's own boolean filters read an unknown value as "no filter": a typo (or
    `?active=' OR 1=1`) would list everything as if it had been applied.
    """

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    # The stubs declare BooleanField's bool; a NullBooleanField also returns None.
    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if isinstance(value, bool):
            return value
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Informe true ou false.", code="invalid_boolean") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class BranchFilterSet(django_filters.FilterSet):
    active = StrictBooleanFilter()

    class Meta:
        model = Branch
        fields = ["state", "active"]
