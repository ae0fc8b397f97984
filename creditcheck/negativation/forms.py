"""Forms of the negativação screens: list filters, batch actions, payment and settings."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.contracts.models import Invoice
from creditcheck.core.forms import (
    BranchFilterForm,
    BrDateInput,
    DateRangeForm,
    StyledFormMixin,
    searched,
)
from creditcheck.core.models import Branch
from creditcheck.core.selectors import filter_given, in_period
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.platforms import platform_filter_choices
from creditcheck.negativation.enums import (
    InclusionReason,
    NegativationAction,
    NegativationStatus,
    RemovalReason,
)
from creditcheck.negativation.models import BranchNegativationSettings, Negativation
from creditcheck.negativation.services import InclusionChoices

YES_NO = [(True, "Sim"), (False, "Não")]


class MoneyField(forms.DecimalField):
    """R$ amounts as people type them: "1.234,50", "1234,50" or "1234.50"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0,00"})
        )
        super().__init__(localize=True, **kwargs)

    # django-stubs declare DecimalField.to_python as IntegerField's (int | None).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        # With a decimal comma, dots can only be thousands separators.
        if isinstance(value, str) and "," in value:
            value = value.replace(".", "")
        return super().to_python(value)


def _set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class NegativationFilterForm(DateRangeForm, BranchFilterForm):
    """Financeiro > Negativações filters."""

    ORIGIN_CHOICES = [("", "Todas"), ("automatic", "Automática"), ("manual", "Manual")]

    status = forms.ChoiceField(
        label="Situação", choices=[("", "Todas"), *NegativationStatus.choices], required=False
    )
    platform = forms.ChoiceField(
        label="Plataforma", choices=platform_filter_choices, required=False
    )
    date_from = forms.DateField(label="Solicitada de", required=False, widget=BrDateInput())
    date_to = forms.DateField(label="até", required=False, widget=BrDateInput())
    origin = forms.ChoiceField(label="Origem", choices=ORIGIN_CHOICES, required=False)

    field_order = ["q", "status", "branch", "platform", "date_from", "date_to", "origin"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = "Cliente ou CPF/CNPJ"
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF/CNPJ ou nº da fatura"

    def filter(self, queryset: QuerySet[Negativation]) -> QuerySet[Negativation]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = searched(queryset, data["q"], "customer__", "invoice__number")
        queryset = in_period(queryset, "created_at", data["date_from"], data["date_to"])
        equal = {name: data[name] for name in ("status", "branch", "platform")}
        queryset = filter_given(queryset, **equal)
        if data["origin"]:
            queryset = queryset.filter(automatic=data["origin"] == "automatic")
        return queryset


class RemovalReasonForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Motivo da baixa",
        choices=[("", "Selecione o motivo"), *RemovalReason.choices],
        error_messages={"required": "Escolha o motivo da baixa."},
    )


class BatchActionForm(RemovalReasonForm):
    """Selected negativações and what to do with them: "Solicitar baixa" or "Tentar novamente".

    Posted twice: first to show the confirmation, then with `confirmed` to act.
    """

    REMOVE = NegativationAction.REMOVE
    RETRY = NegativationAction.RETRY

    action = forms.ChoiceField(
        choices=[(REMOVE, "Solicitar baixa"), (RETRY, "Tentar novamente")],
        widget=forms.HiddenInput,
    )
    ids = forms.ModelMultipleChoiceField(
        queryset=Negativation.objects.none(),
        error_messages={
            "required": "Selecione ao menos uma negativação.",
            "invalid_choice": "Uma das negativações selecionadas não existe mais.",
        },
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, negativations: QuerySet[Negativation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "ids", negativations)
        # The reason only matters for a removal; a retry posts none.
        self.fields["reason"].required = self.data.get("action") == self.REMOVE


class EligibleFilterForm(StyledFormMixin, forms.Form):
    """Elegíveis: one branch at a time, since each branch has its own rules."""

    SITUATION_CHOICES = [("", "Todas"), ("eligible", "Elegíveis"), ("ineligible", "Não elegíveis")]

    branch = forms.ModelChoiceField(label="Filial", queryset=Branch.objects.none())
    q = forms.CharField(label="Buscar", required=False)
    situation = forms.ChoiceField(label="Elegibilidade", choices=SITUATION_CHOICES, required=False)

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "branch", branches)
        self.fields["q"].widget.attrs["placeholder"] = "Número, cliente ou CPF/CNPJ"

    def filter_invoices(self, queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
        return searched(queryset, self.cleaned_data["q"], "contract__customer__", "number")


class EligibleIncludeForm(forms.Form):
    """Invoices selected in Elegíveis for "Negativar selecionadas" (posted twice, as above)."""

    invoices = forms.ModelMultipleChoiceField(
        queryset=Invoice.objects.none(),
        error_messages={
            "required": "Selecione ao menos uma fatura elegível.",
            "invalid_choice": "Uma das faturas selecionadas não existe mais.",
        },
    )
    branch = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, invoices: QuerySet[Invoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "invoices", invoices)


class PaymentForm(StyledFormMixin, forms.Form):
    """The payment's date and amount; contracts.services.invoice_pay decides what it accepts."""

    paid_at = forms.DateField(label="Data do pagamento", widget=BrDateInput())
    amount = MoneyField(label="Valor pago (R$)")


class IntegrationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        cost = f"{obj.cost_per_query:.2f}".replace(".", ",")
        return f"{obj.get_platform_display()} ({obj.get_environment_display()}) — R$ {cost}"


class InclusionForm(StyledFormMixin, forms.Form):
    """ "Negativar" one invoice: reason, nature of the debt, platform and amount.

    Only parses what is typed; what the values may be (amount above zero and within the open
    amount, an including integration of the branch) is the service's call
    (negativation_include), whose field errors the view puts back on these fields.
    """

    reason = forms.ChoiceField(
        label="Motivo da negativação",
        choices=InclusionReason.choices,
        initial=InclusionReason.OVERDUE,
        required=False,
    )
    reason_code = forms.CharField(
        label="Natureza da dívida (código na plataforma)",
        max_length=20,
        required=False,
        help_text="Vazio: o padrão da plataforma.",
    )
    integration = IntegrationChoiceField(
        label="Plataforma",
        queryset=BranchIntegration.objects.none(),
        required=False,
        empty_label=None,
    )
    amount = MoneyField(
        label="Valor a negativar (R$)",
        required=False,
        error_messages={"invalid": "Informe um valor em reais, como 129,90."},
    )

    def __init__(
        self,
        *args: Any,
        invoice: Invoice,
        integrations: QuerySet[BranchIntegration],
        default: BranchIntegration | None,
        default_reason_code: str,
        open_amount: Decimal,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "integration", integrations)
        self.fields["integration"].initial = default.pk if default else None
        self.fields["reason_code"].initial = default_reason_code
        self.fields["amount"].initial = open_amount
        self.fields[
            "amount"
        ].help_text = f"Até o valor em aberto da fatura {invoice.number}; vazio: o valor em aberto."

    def choices(self) -> InclusionChoices:
        data = self.cleaned_data
        return InclusionChoices(
            reason=data["reason"],
            reason_code=data["reason_code"] if "reason_code" in self.data else None,
            integration=data["integration"],
            amount=data["amount"],
        )


class BranchNegativationSettingsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    auto_include = forms.TypedChoiceField(
        label="Negativar automaticamente",
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text="Sim: a execução diária inclui toda fatura elegível desta filial.",
    )
    days_after_due = forms.IntegerField(
        label="Dias após o vencimento",
        min_value=1,
        error_messages={
            "min_value": "Informe pelo menos 1 dia: a dívida só pode ser registrada a partir "
            "do dia seguinte ao vencimento.",
        },
        help_text="Mínimo 1. O usual é 30 dias.",
    )
    min_amount = MoneyField(
        label="Valor mínimo (R$)",
        min_value=Decimal("0.00"),
        error_messages={"min_value": "Informe um valor igual ou maior que zero."},
        help_text="Faturas com valor menor não são negativadas.",
    )
    run_hour = forms.IntegerField(
        label="Hora da execução diária (0–23)",
        min_value=0,
        max_value=23,
        error_messages={
            "min_value": "Informe uma hora entre 0 e 23.",
            "max_value": "Informe uma hora entre 0 e 23.",
        },
    )
    integration = IntegrationChoiceField(
        label="Integração usada",
        queryset=BranchIntegration.objects.none(),
        required=False,
        empty_label="Padrão da filial",
        help_text="Vazio: a integração padrão da filial. O custo por inclusão é o da integração.",
    )

    class Meta:
        model = BranchNegativationSettings
        fields = [
            "auto_include",
            "days_after_due",
            "min_amount",
            "run_hour",
            "integration",
            "inclusion_reason_code",
            "removal_reason_code",
        ]
        labels = {
            "inclusion_reason_code": "Natureza da inclusão",
            "removal_reason_code": "Motivo de baixa padrão",
        }
        help_texts = {
            "inclusion_reason_code": "Código da natureza da dívida na plataforma. Vazio: o "
            "padrão da plataforma.",
            "removal_reason_code": "Código do motivo de baixa na plataforma. Vazio: o padrão da "
            "plataforma (pagamento).",
        }

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        _set_queryset(self, "integration", BranchIntegration.objects.filter(branch=branch))
        self.fields["auto_include"].initial = self.instance.auto_include

    def clean_integration(self) -> BranchIntegration | None:
        integration: BranchIntegration | None = self.cleaned_data["integration"]
        if integration is not None and not integration.active:
            raise forms.ValidationError(
                "Esta integração está inativa: escolha uma ativa ou a padrão da filial."
            )
        return integration
