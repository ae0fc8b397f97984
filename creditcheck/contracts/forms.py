"""Filters of the Contratos and Financeiro > Faturas lists."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.forms import BranchFilterForm, choice_filter, searched
from creditcheck.core.selectors import filter_given


class ContractFilterForm(BranchFilterForm):
    status = choice_filter("Situação", ContractStatus.choices)

    field_order = ["q", "status", "branch"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Cliente, CPF/CNPJ, plano ou código no ERP"

    def filter(self, queryset: QuerySet[Contract]) -> QuerySet[Contract]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = searched(queryset, data["q"], "customer__", "plan", "external_id")
        return filter_given(queryset, status=data["status"], branch=data["branch"])


class InvoiceFilterForm(BranchFilterForm):
    status = choice_filter("Situação", InvoiceStatus.choices)
    overdue = forms.BooleanField(label="Somente vencidas", required=False)

    field_order = ["q", "status", "branch", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Número, cliente, CPF/CNPJ ou código no ERP"

    def filter(self, queryset: QuerySet[Invoice], today: datetime.date) -> QuerySet[Invoice]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = searched(queryset, data["q"], "contract__customer__", "number", "external_id")
        queryset = filter_given(queryset, status=data["status"], contract__branch=data["branch"])
        if data["overdue"]:
            queryset = queryset.filter(status=InvoiceStatus.OPEN, due_date__lt=today)
        return queryset
