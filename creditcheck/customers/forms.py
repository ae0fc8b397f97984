"""Customer screens' forms: the search bar of the list and the "Dados" tab."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.core.enums import PersonType
from creditcheck.core.forms import (
    BranchFilterForm,
    BrDateInput,
    CepInput,
    DocumentInput,
    StyledFormMixin,
    name_or_document_condition,
)
from creditcheck.core.models import Branch
from creditcheck.customers.enums import CustomerStatus
from creditcheck.customers.models import Customer


class CustomerSearchForm(BranchFilterForm):
    status = forms.ChoiceField(
        label="Situação", choices=[("", "Todas"), *CustomerStatus.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Nome, CPF ou CNPJ", "type": "search", "autofocus": True}
        )

    def filter(self, queryset: QuerySet[Customer]) -> QuerySet[Customer]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"].strip():
            queryset = queryset.filter(name_or_document_condition(data["q"]))
        if data["branch"]:
            queryset = queryset.filter(branch=data["branch"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset


class CustomerForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "person_type",
            "name",
            "document",
            "birth_date",
            "mother_name",
            "cep",
            "street",
            "number",
            "complement",
            "district",
            "city",
            "state",
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
            "phone": forms.TextInput(attrs={"placeholder": "(11) 91234-5678", "type": "tel"}),
        }
        help_texts = {
            "document": "Com ou sem máscara. CNPJ alfanumérico aceito.",
            "birth_date": "Data de nascimento (pessoa física) ou de fundação (jurídica).",
        }

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        branch_field.empty_label = None
        person_type_field = self.fields["person_type"]
        assert isinstance(person_type_field, forms.ChoiceField)
        # Radio buttons: the two person types only, without the blank "---------" choice.
        person_type_field.choices = PersonType.choices
