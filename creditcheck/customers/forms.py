"""Customer screens' forms: the search bar of the list and the "Dados" tab."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html

from creditcheck.core.enums import PersonType
from creditcheck.core.forms import (
    ADDRESS_FIELDS,
    BranchScopedModelForm,
    BrDateInput,
    CepInput,
    DocumentInput,
    PersonFilterForm,
    PhoneInput,
    choice_filter,
)
from creditcheck.customers.enums import CustomerStatus
from creditcheck.customers.models import Customer
from creditcheck.customers.services import DuplicateCustomer, customer_check_document


class CustomerSearchForm(PersonFilterForm[Customer]):
    status = choice_filter("Situação", CustomerStatus.choices)
    search_fields = ("external_id",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autofocus": True})
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF, CNPJ ou código no ERP"

    def filter(self, queryset: QuerySet[Customer]) -> QuerySet[Customer]:
        queryset = super().filter(queryset)
        if self.is_valid() and self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


class CustomerForm(BranchScopedModelForm):
    class Meta:
        model = Customer
        fields = [
            "person_type",
            "name",
            "document",
            "birth_date",
            "mother_name",
            *ADDRESS_FIELDS,
            "phone",
            "email",
            "branch",
            "status",
        ]
        widgets = {
            "person_type": forms.RadioSelect,
            "document": DocumentInput(),
            "birth_date": BrDateInput(),
            "cep": CepInput(),
            "phone": PhoneInput(),
        }
        help_texts = {
            "document": "Com ou sem máscara. CNPJ alfanumérico aceito.",
            "birth_date": "Data de nascimento (pessoa física) ou de fundação (jurídica).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_type_field = self.fields["person_type"]
        assert isinstance(person_type_field, forms.ChoiceField)
        # Radio buttons: the two person types only, without the blank "---------" choice.
        person_type_field.choices = PersonType.choices

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        try:
            customer_check_document(
                document=cleaned.get("document") or "",
                branch=cleaned.get("branch"),
                customer_id=self.instance.pk,
            )
        except DuplicateCustomer as refusal:
            existing = refusal.existing
            self.add_error(
                "document",
                format_html(
                    '{} <a href="{}" data-testid="existing-customer">Abrir o cadastro</a>',
                    refusal.message_text,
                    reverse("customers:edit", args=[existing.pk]),
                ),
            )
        return cleaned
