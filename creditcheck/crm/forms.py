"""CRM screens' forms: Leads and Prospecções lists' filters and edit forms."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.core.forms import (
    BranchFilterForm,
    CepInput,
    DocumentInput,
    StyledFormMixin,
    name_or_document_condition,
)
from creditcheck.core.models import Branch
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.crm.models import Lead, Prospect


class LeadFilterForm(BranchFilterForm):
    source = forms.ChoiceField(
        label="Origem", choices=[("", "Todas"), *LeadSource.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF ou CNPJ"

    def filter(self, queryset: QuerySet[Lead]) -> QuerySet[Lead]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"].strip():
            queryset = queryset.filter(name_or_document_condition(data["q"]))
        if data["branch"]:
            queryset = queryset.filter(branch=data["branch"])
        if data["source"]:
            queryset = queryset.filter(source=data["source"])
        return queryset


class ProspectFilterForm(BranchFilterForm):
    stage = forms.ChoiceField(
        label="Etapa", choices=[("", "Todas"), *ProspectStage.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF ou CNPJ"

    def filter(self, queryset: QuerySet[Prospect]) -> QuerySet[Prospect]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"].strip():
            queryset = queryset.filter(name_or_document_condition(data["q"]))
        if data["branch"]:
            queryset = queryset.filter(branch=data["branch"])
        if data["stage"]:
            queryset = queryset.filter(stage=data["stage"])
        return queryset


class _BranchScopedModelForm(StyledFormMixin, forms.ModelForm):
    """A record of one of the user's branches: the filial choice offers only those."""

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        branch_field.empty_label = None


class LeadForm(_BranchScopedModelForm):
    class Meta:
        model = Lead
        fields = ["name", "document", "phone", "email", "source", "branch"]
        widgets = {
            "document": DocumentInput(),
            "phone": forms.TextInput(attrs={"placeholder": "(11) 91234-5678", "type": "tel"}),
        }
        help_texts = {"document": "Opcional. Com ou sem máscara."}


class ProspectForm(_BranchScopedModelForm):
    class Meta:
        model = Prospect
        fields = [
            "name",
            "document",
            "phone",
            "email",
            "source",
            "branch",
            "stage",
            "desired_plan",
            "cep",
            "street",
            "number",
            "complement",
            "district",
            "city",
            "state",
        ]
        widgets = {
            "document": DocumentInput(),
            "cep": CepInput(),
            "phone": forms.TextInput(attrs={"placeholder": "(11) 91234-5678", "type": "tel"}),
        }
        help_texts = {
            "document": "Com ou sem máscara. Obrigatório para converter em cliente.",
        }
