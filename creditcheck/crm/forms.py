"""CRM screens' forms: Leads and Prospecções lists' filters and edit forms."""

from django.db.models import QuerySet

from creditcheck.core.forms import (
    ADDRESS_FIELDS,
    BranchScopedModelForm,
    CepInput,
    DocumentInput,
    PersonFilterForm,
    PhoneInput,
    choice_filter,
)
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.crm.models import Lead, Prospect


class LeadFilterForm(PersonFilterForm[Lead]):
    source = choice_filter("Origem", LeadSource.choices)

    def filter(self, queryset: QuerySet[Lead]) -> QuerySet[Lead]:
        queryset = super().filter(queryset)
        if self.is_valid() and self.cleaned_data["source"]:
            queryset = queryset.filter(source=self.cleaned_data["source"])
        return queryset


class ProspectFilterForm(PersonFilterForm[Prospect]):
    stage = choice_filter("Etapa", ProspectStage.choices)

    def filter(self, queryset: QuerySet[Prospect]) -> QuerySet[Prospect]:
        queryset = super().filter(queryset)
        if self.is_valid() and self.cleaned_data["stage"]:
            queryset = queryset.filter(stage=self.cleaned_data["stage"])
        return queryset


class LeadForm(BranchScopedModelForm):
    class Meta:
        model = Lead
        fields = ["name", "document", "phone", "email", "source", "branch"]
        widgets = {"document": DocumentInput(), "phone": PhoneInput()}
        help_texts = {"document": "Opcional. Com ou sem máscara."}


class ProspectForm(BranchScopedModelForm):
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
            *ADDRESS_FIELDS,
        ]
        widgets = {"document": DocumentInput(), "cep": CepInput(), "phone": PhoneInput()}
        help_texts = {
            "document": "Com ou sem máscara. Obrigatório para converter em cliente.",
        }
