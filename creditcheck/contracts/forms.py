"""Filters of the Contratos and Financeiro > Faturas lists."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.external import external_id_condition
from creditcheck.core.forms import BranchFilterForm, choice_filter, name_or_document_condition


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
        if text := data["q"].strip():
            queryset = queryset.filter(
                name_or_document_condition(text, "customer__")
                | Q(plan__icontains=text)
                | external_id_condition(text)
            )
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["branch"]:
            queryset = queryset.filter(branch=data["branch"])
        return queryset


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
        if text := data["q"].strip():
            queryset = queryset.filter(
                name_or_document_condition(text, "contract__customer__")
                | Q(number__icontains=text)
                | external_id_condition(text)
            )
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["branch"]:
            queryset = queryset.filter(contract__branch=data["branch"])
        if data["overdue"]:
            queryset = queryset.filter(status=InvoiceStatus.OPEN, due_date__lt=today)
        return queryset
