"""Filter building blocks for the API lists."""

from typing import Any

import django_filters
from django.db import models

from creditcheck.core import documents
from creditcheck.core.models import Branch


class DocumentFilter(django_filters.CharFilter):
    """Exact match on a normalized CPF/CNPJ, typed masked or bare."""

    def filter(self, qs: models.QuerySet[Any], value: Any) -> models.QuerySet[Any]:
        if value in ("", None):
            return qs
        return super().filter(qs, documents.normalize(value))


class BranchFilterSet(django_filters.FilterSet):
    class Meta:
        model = Branch
        fields = ["state", "active"]
