"""Forms of Financeiro > Pagamentos recebidos (filter bar, "Vincular fatura") and Importar."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from creditcheck.contracts.models import Invoice
from creditcheck.core.forms import BranchFilterForm, StyledFormMixin, choice_filter
from creditcheck.core.models import Branch
from creditcheck.erp.enums import NEEDS_ATTENTION, EventKind, EventStatus
from creditcheck.erp.importing import PRESET_NAMES
from creditcheck.erp.models import ImportMode, PaymentEvent

ATTENTION = "attention"


class PaymentEventFilterForm(BranchFilterForm):
    status = forms.ChoiceField(
        label="Resultado",
        choices=[("", "Todos"), (ATTENTION, "A conferir"), *EventStatus.choices],
        required=False,
    )
    kind = choice_filter("Natureza", EventKind.choices)

    field_order = ["q", "status", "kind", "branch"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Evento, referência ou fatura"

    def filter(self, queryset: QuerySet[PaymentEvent]) -> QuerySet[PaymentEvent]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if text := data["q"].strip():
            queryset = queryset.filter(
                Q(event_id__icontains=text)
                | Q(reference__icontains=text)
                | Q(invoice__number__icontains=text)
            )
        if data["status"] == ATTENTION:
            queryset = queryset.filter(status__in=NEEDS_ATTENTION)
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["branch"]:
            queryset = queryset.filter(branch=data["branch"])
        return queryset


class PaymentMatchForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label="Número da fatura", max_length=30)

    def __init__(self, *args: Any, invoices: QuerySet[Invoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invoices = invoices

    def clean_number(self) -> Invoice:
        number = self.cleaned_data["number"].strip()
        invoice = self.invoices.filter(number=number).first()
        if invoice is None:
            raise forms.ValidationError("Nenhuma fatura com este número nas suas filiais.")
        return invoice


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="Arquivo",
        help_text="CSV (separado por ; ou ,) ou XLSX, até 25 MB.",
        error_messages={"empty": "O arquivo está vazio.", "required": "Escolha o arquivo."},
    )
    preset = forms.ChoiceField(label="Layout das colunas", choices=list(PRESET_NAMES.items()))
    source = forms.SlugField(
        label="Origem",
        max_length=30,
        initial="arquivo",
        help_text="Sistema de onde vêm os códigos (ex.: ixc). Reimportar com a mesma origem "
        "atualiza os registros em vez de duplicá-los.",
    )
    branch = forms.ModelChoiceField(label="Filial dos clientes", queryset=Branch.objects.none())
    mode = forms.ChoiceField(
        label="Linhas com erro", choices=ImportMode.choices, initial=ImportMode.SKIP_ERRORS
    )

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches

    def clean_source(self) -> str:
        return str(self.cleaned_data["source"]).lower()


class IxcConnectionForm(StyledFormMixin, forms.Form):
    """An IXCProvedor connection. The token is never rendered back: blank keeps the stored one."""

    name = forms.CharField(label="Nome", max_length=120, initial="IXCProvedor")
    base_url = forms.URLField(
        label="URL do IXC",
        max_length=300,
        assume_scheme="https",
        help_text="O endereço do IXC do provedor, sem /webservice/v1 (ex.: https://ixc.provedor.com.br).",
    )
    token = forms.CharField(
        label="Token do webservice",
        required=False,
        max_length=300,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="No formato <id do usuário>:<token>, como o IXC o mostra. Guardado cifrado; "
        "nunca é mostrado de novo.",
    )
    default_branch = forms.ModelChoiceField(
        label="Filial padrão",
        queryset=Branch.objects.none(),
        help_text="Recebe os clientes das filiais do IXC que não estiverem mapeadas.",
    )
    active = forms.BooleanField(
        label="Ativa (sincroniza a cada 15 minutos)", required=False, initial=True
    )

    def __init__(
        self, *args: Any, branches: QuerySet[Branch], editing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["default_branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        if editing:
            self.fields[
                "token"
            ].help_text = "Em branco mantém o token guardado (cifrado; nunca é mostrado de novo)."


class IxcBranchMapForm(StyledFormMixin, forms.Form):
    """One select per IXC filial: which branch receives its customers."""

    def __init__(
        self,
        *args: Any,
        filiais: list[dict[str, Any]],
        current: dict[str, int],
        branches: QuerySet[Branch],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for filial in filiais:
            label = f"{filial['id']} — {filial['name']}"
            if not filial.get("active", True):
                label += " (inativa no IXC)"
            self.fields[f"filial_{filial['id']}"] = forms.ModelChoiceField(
                label=label,
                queryset=branches,
                required=False,
                empty_label="Filial padrão da conexão",
                initial=current.get(str(filial["id"])),
            )

    def mapping(self) -> dict[str, Branch | None]:
        return {
            name.removeprefix("filial_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("filial_")
        }
