"""Customer screens' forms: the search bar of the list and the "Dados" tab."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from creditcheck.core.enums import PersonType
from creditcheck.core.external import external_id_condition
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


class CustomerSearchForm(PersonFilterForm[Customer]):
    status = choice_filter("Situação", CustomerStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autofocus": True})
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF, CNPJ ou código no ERP"

    def search_condition(self, text: str) -> Q:
        return super().search_condition(text) | external_id_condition(text)

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
